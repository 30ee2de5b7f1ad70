"""`saylau turnout import|show` (intraday turnout at fixed hours) and `saylau embargo set|show`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.common import (
    DEFAULT_DB,
    ActorOpt,
    DbOpt,
    EventArg,
    JsonOpt,
    console,
    handle_errors,
    open_context,
    print_json,
    read_input,
)
from saylau.cli.help import HelpTyper
from saylau.model.numbers import percent

# lazy: each command imports the use cases it runs, so that the other commands start without them

__all__ = ["embargo_app", "turnout_app"]


turnout_app = HelpTyper(
    help="Intraday turnout: each unit's figures at fixed hours (10:00, 12:00, ...).", no_args_is_help=True
)


@turnout_app.command("import")
@handle_errors
def turnout_import(
    event: EventArg,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="The reports, CSV: unit,at,registered,voted, at an hour HH:MM (format: spec/formats.md, "
            "Intraday turnout).",
        ),
    ],
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
) -> None:
    """Import a CSV with columns unit,at,registered,voted (all or nothing)."""
    from saylau.services.paper.turnout import import_turnout  # noqa: PLC0415

    n = import_turnout(open_context(db, actor), event, read_input(file), str(file))
    console.print(f"imported {n:,} turnout report(s) into {event}")


@turnout_app.command("show")
@handle_errors
def turnout_show(event: EventArg, db: DbOpt = DEFAULT_DB, as_json: JsonOpt = False) -> None:
    """The reports by hour and unit, with turnout."""
    from rich.table import Table  # noqa: PLC0415

    from saylau.services.paper.turnout import turnout, turnout_json  # noqa: PLC0415

    figures = turnout(open_context(db, None), event)
    if as_json:
        print_json([turnout_json(f) for f in figures])
        return
    hours = sorted({f.at for f in figures})
    table = Table("unit", *hours, title=f"Turnout reports, {event}")
    by_unit: dict[str, dict[str, str]] = {}
    for f in figures:
        share = f.share
        by_unit.setdefault(f.unit, {})[f.at] = f"{f.voted:,} ({percent(share)})" if share is not None else "—"
    for unit, row in by_unit.items():
        table.add_row(unit, *(row.get(h, "") for h in hours))
    console.print(table)


embargo_app = HelpTyper(
    help="When results may be shown to the public: the closing times of the polls.", no_args_is_help=True
)


@embargo_app.command("set")
@handle_errors
def embargo_set(
    event: EventArg,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            metavar="FILE",
            help='The closing times, JSON: {"polls_close": [{"zone": TEXT, "at": ISO 8601 time with UTC '
            "offset}, ...]} (format: spec/formats.md, Embargo).",
        ),
    ] = None,
    kz: Annotated[
        bool, typer.Option("--kz", help="Kazakhstan's closing times on the event's date (20:00 local).")
    ] = False,
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
) -> None:
    """Keep live results from the public until the last polls close (commission members still see them)."""
    from saylau.services.paper.embargo import kz_polls_close, parse_embargo, set_embargo  # noqa: PLC0415
    from saylau.services.paper.turnout import event_date  # noqa: PLC0415

    if (file is None) == (not kz):
        raise typer.BadParameter("give exactly one of --file or --kz")
    ctx = open_context(db, actor)
    embargo = parse_embargo(read_input(file), str(file)) if file is not None else kz_polls_close(event_date(ctx, event))
    set_embargo(ctx, event, embargo)
    console.print(f"{event}: results public from {embargo.until.isoformat()}")


@embargo_app.command("show")
@handle_errors
def embargo_show(event: EventArg, db: DbOpt = DEFAULT_DB) -> None:
    """When the event's results become public, and the closing time of each zone."""
    from saylau.services.paper.embargo import embargo_of  # noqa: PLC0415

    embargo = embargo_of(open_context(db, None), event)
    if embargo is None:
        console.print(f"{event}: no embargo (results are public as they come)")
        return
    for close in embargo.closes:
        console.print(f"  {close.zone}: {close.at.isoformat()}", highlight=False)
    console.print(f"{event}: results public from {embargo.until.isoformat()}")
