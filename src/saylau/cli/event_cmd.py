"""Commands of the lifecycle: event, territory, protocols, phase, results, report, export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from saylau.cli.common import (
    DEFAULT_DB,
    ActorOpt,
    DbOpt,
    DemoDbOpt,
    EventArg,
    JsonOpt,
    console,
    handle_errors,
    only_event,
    open_context,
    open_or_demo,
    print_json,
    read_input,
)
from saylau.cli.help import HelpTyper
from saylau.cli.user_cmd import ScanMaxOpt, with_settings
from saylau.cli.views import entry_report_json, print_entry_report, print_states, write_report
from saylau.model import Mode, Phase

if TYPE_CHECKING:
    from saylau.services.paper.embargo import Audience

# lazy: each command imports the use cases it runs (and the database through open_context), so that
# `saylau --help` and the commands without a database do not load them (issue 10 item 8)

__all__ = [
    "event_app",
    "export_command",
    "phase_command",
    "protocols_app",
    "report_command",
    "results_command",
    "territory_app",
]

event_app = HelpTyper(help="Define referendums and elections, and list them.", no_args_is_help=True)
territory_app = HelpTyper(help="Import the territory and register of an event.", no_args_is_help=True)
protocols_app = HelpTyper(
    help="Enter precinct protocols (double entry) and see where each stands.", no_args_is_help=True
)

FileFormat = Literal["csv", "json"]


def _format_of(path: Path, given: str | None) -> FileFormat:
    fmt = given or path.suffix.lstrip(".").lower()
    if fmt not in ("csv", "json"):
        raise typer.BadParameter(f"cannot tell the format of {path}: give --format csv or --format json")
    return "csv" if fmt == "csv" else "json"


FormatOpt = Annotated[
    str | None, typer.Option("--format", metavar="csv|json", help="The file's format (default: from its name).")
]
EventFile = Annotated[
    Path,
    typer.Argument(
        metavar="FILE",
        help="The event, JSON: code, title, date, preset, settings and its questions or election contests "
        "(party list, single-member districts; format: spec/formats.md §1).",
    ),
]
TerritoryFile = Annotated[
    Path,
    typer.Argument(
        metavar="FILE",
        help="The units and their registers, CSV (code,kind,parent,name_kk,name_ru,name_en,registered) or "
        "JSON (format: spec/formats.md §2).",
    ),
]
ProtocolsFile = Annotated[
    Path,
    typer.Argument(
        metavar="FILE",
        help="Protocols, CSV (precinct,question, then every field of the preset's protocol and each option of "
        "an election contest) or JSON (format: spec/formats.md §3).",
    ),
]
ScanFile = Annotated[
    Path,
    typer.Argument(
        metavar="FILE",
        help="The scan: PDF, PNG or JPEG, told by its first bytes (format: spec/formats.md §10).",
    ),
]


@event_app.command("create")
@handle_errors
def event_create(file: EventFile, db: DbOpt = DEFAULT_DB, actor: ActorOpt = None, as_json: JsonOpt = False) -> None:
    """Define a referendum or an election from a JSON file (questions or contests in kk/ru/en, date, preset)."""
    from saylau.services.paper.events import create_event  # noqa: PLC0415

    ctx = open_context(db, actor)
    ref = create_event(ctx, read_input(file), str(file))
    if as_json:
        print_json({"event": ref.code, "phase": Phase.SETUP.value, "preset": ref.preset})
    else:
        console.print(f"created event [bold]{ref.code}[/] ({ref.title}, {ref.date}, preset {ref.preset}); phase: setup")


@event_app.command("list")
@handle_errors
def event_list(db: DbOpt = DEFAULT_DB, as_json: JsonOpt = False) -> None:
    """The events in this database with their phase."""
    from saylau.services.paper.events import list_events  # noqa: PLC0415

    rows = list_events(open_context(db, None))
    if as_json:
        print_json(
            [
                {
                    "event": r.referendum.code,
                    "title": r.referendum.title,
                    "date": r.referendum.date.isoformat(),
                    "preset": r.referendum.preset,
                    "phase": r.phase.value,
                }
                for r in rows
            ]
        )
        return
    for r in rows:
        console.print(f"{r.referendum.code}\t{r.referendum.date}\t{r.phase}\t{r.referendum.title}", highlight=False)


@territory_app.command("import")
@handle_errors
def territory_import(
    event: EventArg, file: TerritoryFile, fmt: FormatOpt = None, db: DbOpt = DEFAULT_DB, actor: ActorOpt = None
) -> None:
    """Import country, regions, districts, precincts (with registered voters) and abroad."""
    from saylau.services.paper.events import import_territory  # noqa: PLC0415

    ctx = open_context(db, actor)
    territory = import_territory(ctx, event, read_input(file), str(file), _format_of(file, fmt))
    registered = sum(territory[p].registered or 0 for p in territory.precincts())
    console.print(
        f"imported {len(territory):,} units, {len(territory.precincts()):,} precincts, "
        f"{registered:,} registered voters into {event}"
    )


@protocols_app.command("import")
@handle_errors
def protocols_import(
    event: EventArg,
    file: ProtocolsFile,
    operator: Annotated[
        str, typer.Option("--operator", metavar="NAME", help="Who keyed this file (double entry needs two).")
    ],
    fmt: FormatOpt = None,
    test: Annotated[bool, typer.Option("--test", help="Test data: kept apart, never published.")] = False,
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    """Enter a batch of protocols keyed by one operator: all or nothing."""
    from saylau.services.access.factor import LOCAL_CLI  # noqa: PLC0415
    from saylau.services.paper.protocols import enter_file  # noqa: PLC0415

    ctx = open_context(db, operator)
    # The command line is trusted shell access to the database: no one-time code, audited as local_cli.
    mode = Mode.TEST if test else Mode.LIVE
    report = enter_file(ctx, event, read_input(file), str(file), _format_of(file, fmt), mode=mode, factor=LOCAL_CLI)
    if as_json:
        print_json(entry_report_json(report))
    else:
        print_entry_report(report)


@protocols_app.command("scan")
@handle_errors
def protocols_scan(
    event: EventArg,
    precinct: Annotated[str, typer.Argument(help="The precinct's code.")],
    file: ScanFile,
    operator: Annotated[
        str, typer.Option("--operator", metavar="NAME", help="Who attaches the scan (kept in the audit log).")
    ],
    scan_max_mb: ScanMaxOpt = 20.0,
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    """Attach the scan of the signed paper protocol (PDF, PNG or JPEG) to the precinct's current accepted
    version; it is published beside the figures with its SHA-256. A later scan replaces it; both are kept."""
    from saylau.services.paper.scans import attach_scan  # noqa: PLC0415

    ctx = with_settings(open_context(db, operator), None, scan_max_mb)
    info = attach_scan(ctx, event, precinct, read_input(file), str(file), ctx.settings.scans)
    if as_json:
        print_json(
            {
                "event": event,
                "precinct": info.precinct,
                "version": info.version,
                "sha256": info.sha256,
                "media_type": info.media_type,
                "size": info.size,
            }
        )
    else:
        console.print(
            f"scan of {info.precinct} version {info.version} kept ({info.media_type}, {info.size:,} bytes)\n"
            f"sha256 {info.sha256}",
            highlight=False,
        )


@protocols_app.command("status")
@handle_errors
def protocols_status(
    event: EventArg,
    test: Annotated[bool, typer.Option("--test", help="Show the test data.")] = False,
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    """Which precincts are accepted, awaiting a second entry, in mismatch, or missing."""
    from saylau.services.paper.results import precinct_states  # noqa: PLC0415

    states = precinct_states(open_context(db, None), event, mode=Mode.TEST if test else Mode.LIVE)
    if as_json:
        print_json(
            [
                {"precinct": s.precinct, "state": s.state, "version": s.version, "operators": list(s.operators)}
                for s in states
            ]
        )
    else:
        print_states(states)


@handle_errors
def phase_command(
    event: EventArg,
    target: Annotated[Phase, typer.Argument(help="The next phase.")],
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
) -> None:
    """Move the event's lifecycle one step: setup → voting → counting → provisional → final → certified."""
    from saylau.services.access.factor import LOCAL_CLI  # noqa: PLC0415
    from saylau.services.paper.lifecycle import advance  # noqa: PLC0415

    change = advance(open_context(db, actor), event, target, LOCAL_CLI)  # shell access: audited as local_cli
    console.print(f"{event}: {change.before} → {change.after}")
    if change.zero_report_sha256:
        console.print(
            f"zero report recorded: 0 of {change.precincts:,} precincts reported, every total 0 "
            f"(sha256 {change.zero_report_sha256})"
        )


Level = Annotated[
    str, typer.Option("--level", metavar="top|all", help="top: regions; all: every unit down to precincts.")
]
CommissionOpt = Annotated[
    bool,
    typer.Option(
        "--commission",
        help="For the commission's own use: live results even while the embargo is in force (never publish them).",
    ),
]


def _audience(commission: bool) -> Audience:
    """Public unless a commission member says otherwise: nothing embargoed is written by default."""
    from saylau.services.paper.embargo import Audience  # noqa: PLC0415

    return Audience.COMMISSION if commission else Audience.PUBLIC


@handle_errors
def results_command(
    event: EventArg,
    level: Level = "top",
    test: Annotated[bool, typer.Option("--test", help="Show the test data (never published).")] = False,
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
    commission: CommissionOpt = False,
) -> None:
    """Aggregated results, completeness and the legal outcome."""
    from saylau.publish import render_terminal, to_json  # noqa: PLC0415
    from saylau.services.paper.results import results  # noqa: PLC0415

    mode = Mode.TEST if test else Mode.LIVE
    view = results(open_context(db, None), event, mode=mode, audience=_audience(commission))
    if as_json:
        print_json(to_json(view))
    else:
        render_terminal(view, console, level="all" if level == "all" else "top")


@handle_errors
def report_command(
    event: EventArg,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            metavar="DIR",
            help="Folder to write index.html, results.json and results.csv into (formats: spec/formats.md §6, §4, §5).",
        ),
    ],
    db: DbOpt = DEFAULT_DB,
    commission: CommissionOpt = False,
) -> None:
    """Write the self-contained HTML report with its JSON and CSV beside it (public: it waits for the
    embargo to end, unless --commission)."""
    from saylau.services.paper.results import results  # noqa: PLC0415

    view = results(open_context(db, None), event, audience=_audience(commission))
    index = write_report(view, out)
    console.print(f"report written: {index}")


@handle_errors
def export_command(
    fmt: Annotated[
        str, typer.Option("--format", metavar="csv|json|nist", help="csv, json or nist (NIST SP 1500-100 v2 JSON).")
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out", metavar="FILE", help="File to write (formats: spec/formats.md §5 CSV, §4 JSON, §8 NIST)."
        ),
    ],
    event: Annotated[
        str | None, typer.Option("--event", metavar="EVENT", help="Event code (needed when there are several).")
    ] = None,
    db: DemoDbOpt = None,
) -> None:
    """Open data: the results of an event as CSV, JSON or NIST SP 1500-100 v2 JSON.

    With no --db, no SAYLAU_DATABASE_URL and no ./saylau.db, the kz-2022 demo is exported (said on stderr)."""
    from saylau.services.paper.embargo import Audience  # noqa: PLC0415
    from saylau.services.paper.results import export, results  # noqa: PLC0415

    if fmt not in ("csv", "json", "nist"):
        raise typer.BadParameter(f"unknown format {fmt!r}: use csv, json or nist", param_hint="--format")
    with open_or_demo(db, None) as (ctx, demo):
        code = event or only_event(ctx)
        view = results(ctx, code, audience=Audience.PUBLIC)  # open data waits for the embargo
    text = export(view, "csv" if fmt == "csv" else "nist" if fmt == "nist" else "json")
    out.write_text(text, encoding="utf-8")
    console.print(f"{fmt} export of {code} written to {out}{' (DEMO data)' if demo else ''}")
