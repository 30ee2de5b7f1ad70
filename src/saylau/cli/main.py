"""The ``saylau`` command."""

from __future__ import annotations

import typer

from saylau.cli.demo_cmd import demo_command
from saylau.cli.e2e_cmd import e2e_app
from saylau.cli.event_cmd import (
    event_app,
    export_command,
    phase_command,
    protocols_app,
    report_command,
    results_command,
    territory_app,
)
from saylau.cli.publish_cmd import publish_command
from saylau.cli.rules_cmd import presets_app, referendum_app
from saylau.cli.seats_cmd import seats_command
from saylau.cli.serve_cmd import serve_command
from saylau.cli.turnout_cmd import embargo_app, turnout_app
from saylau.cli.user_cmd import user_app

__all__ = ["app", "main"]

app = typer.Typer(
    name="saylau",
    help="Run a referendum from register to certified result, and check it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command("demo")(demo_command)
app.add_typer(event_app, name="event")
app.add_typer(territory_app, name="territory")
app.add_typer(protocols_app, name="protocols")
app.command("phase")(phase_command)
app.command("results")(results_command)
app.command("report")(report_command)
app.command("export")(export_command)
app.add_typer(presets_app, name="presets")
app.add_typer(referendum_app, name="referendum")
app.command("seats")(seats_command)
app.add_typer(e2e_app, name="e2e")
app.command("serve")(serve_command)
app.command("publish")(publish_command)
app.add_typer(user_app, name="user")
app.add_typer(turnout_app, name="turnout")
app.add_typer(embargo_app, name="embargo")


def main() -> None:
    app()
