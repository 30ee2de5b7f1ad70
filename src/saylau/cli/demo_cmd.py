"""`saylau demo`: a shipped reconstruction counted end to end into the database every command uses.

Which database: --db, else $SAYLAU_DATABASE_URL, else ./saylau.db, the one rule of every command, so that
`saylau serve`, `publish` and `export` run in the same folder find what the demo counted. One database holds
both demos, the referendum (kz-2022) and, with --election, the election (kz-2023-election): their event
codes differ. Each writes its report to its own folder, ./saylau-report/<event code>/ unless --out.

The demo writes only into a database that holds nothing but shipped demo data sets. An event is the
demo's when its code is that of a shipped data set AND the SHA-256 of its stored definition (the exact
text of the event file it was created from, which the store keeps with that digest and never changes)
is the SHA-256 of the shipped ``event.json``: an event of another origin under the same code, or an
edited copy, is not. Who created it is not asked: anyone can act as "demo" with --actor. Anything else in
the database (another event, an e-election, another program's tables) is refused with the list of what
it holds, and the database is left untouched: it was only read, a SQLite file opened read-only.

A rerun (the data set's own event is already there) rebuilds a SQLite file from empty and counts again
every shipped data set it held, so neither demo erases the other; a rebuild that would erase accounts
is refused too. Another database (PostgreSQL) is never emptied by the demo: a rerun there stops at the
event's uniqueness (duplicate_event). The rule is ``services.paper.demo.demo_plan``'s; this command only
removes the file it says to rebuild.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.common import (
    DEFAULT_DB,
    console,
    database_password,
    err_console,
    handle_errors,
    open_context,
    print_json,
    progress_bar,
)
from saylau.cli.views import write_report

__all__ = ["REPORT_ROOT", "demo_command"]

REPORT_ROOT = Path("saylau-report")  # each demo's report goes to REPORT_ROOT/<event code>/


@handle_errors
def demo_command(
    db: Annotated[
        str,
        typer.Option(
            "--db",
            envvar="SAYLAU_DATABASE_URL",
            metavar="URL",
            help="Database URL (a SQLite file or PostgreSQL) to count into; it may hold only demo events. "
            "Default: ./saylau.db, the file serve, publish and export use.",
            show_default=False,
        ),
    ] = DEFAULT_DB,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="DIR",
            help="Folder to write the HTML/JSON/CSV report into (formats: spec/formats.md §6, §4, §5). "
            "Default: ./saylau-report/kz-2022/, or "
            "./saylau-report/kz-2023-election/ with --election.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the national result as JSON.")] = False,
    election: Annotated[
        bool, typer.Option("--election", help="The 2023 Mazhilis election (a reconstruction) instead.")
    ] = False,
) -> None:
    """Count the 2022 Kazakh constitutional referendum (a reconstruction) end to end under double entry;
    with --election, the 2023 Mazhilis election (party lists, 29 single-member districts, against all).
    Both can live in one database (./saylau.db by default); a rerun rebuilds it with both."""
    started = time.perf_counter()
    with progress_bar(quiet=as_json, first="load the count and the demo data") as progress:  # on screen at once
        # lazy: only the demo loads its data, the count and the renderers
        from saylau.publish import render_terminal  # noqa: PLC0415
        from saylau.services.paper.demo import DEMO_DATASET, ELECTION_DATASET, demo_plan, run_demo  # noqa: PLC0415
        from saylau.services.paper.results import published_json  # noqa: PLC0415
        from saylau.store import read_contents, sqlite_file  # noqa: PLC0415

        dataset = ELECTION_DATASET if election else DEMO_DATASET
        progress("open the database", 0, 1)
        file = sqlite_file(db)
        where = _where(file)
        held = read_contents(db, password=database_password(db))
        plan = demo_plan(held, dataset, sqlite_file=file is not None, where=where)
        datasets = list(plan.datasets)
        if plan.rebuild and file is not None:
            _remove_sqlite(file)
        if len(datasets) > 1:
            err_console.print(f"recounting {', '.join(datasets[:-1])} too, which {where} held", highlight=False)
        ctx = open_context(db, "demo")
        try:
            runs = [run_demo(ctx, progress, name) for name in datasets]
        finally:
            ctx.store.dispose()
        run = runs[-1]  # the data set asked for is counted last
        index = write_report(run.view, out or REPORT_ROOT / run.view.event.code, progress)
    elapsed = time.perf_counter() - started
    if as_json:
        doc = published_json(run.view)
        doc["demo"] = {
            "database": db,
            "report": str(index),
            "seconds": round(elapsed, 3),
            "protocols": run.protocols,
            "entries": run.entries,
            "recounted": datasets[:-1],
        }
        print_json(doc)
        return
    render_terminal(run.view, console)
    console.print(
        f"\n{dataset}: {run.protocols:,} precinct protocols entered twice by two operators "
        f"({run.entries:,} entries) in {elapsed:.1f} s.\n"
        f"Database: {db} (`saylau serve`, `publish` and `export` use it)\n"
        f"Report:   {index.resolve()} (open it in a browser; JSON and CSV beside it)",
        highlight=False,
    )


def _where(file: Path | None) -> str:
    if file is None:
        return "the database named by --db or SAYLAU_DATABASE_URL"
    return str(file) if file.is_absolute() else f"./{file}"


def _remove_sqlite(path: Path) -> None:
    """Start the file from empty (with its journal files)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
