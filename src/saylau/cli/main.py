"""The ``saylau`` command."""

from __future__ import annotations

import typer

from saylau.cli.rules_cmd import presets_app, referendum_app

__all__ = ["app", "main"]

app = typer.Typer(
    name="saylau",
    help="Run a referendum from register to certified result, and check it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(presets_app, name="presets")
app.add_typer(referendum_app, name="referendum")


def main() -> None:
    app()
