"""Typer commands for each step of the lifecycle."""

__all__: list[str] = []
