"""`saylau presets` and `saylau referendum outcome` (to be written)."""

import typer

__all__ = ["presets_app", "referendum_app"]

presets_app = typer.Typer(help="Rule presets: list them, show one.")
referendum_app = typer.Typer(help="Decide a referendum from a table of unit results.")
