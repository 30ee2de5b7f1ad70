"""`saylau demo`: the main job on the embedded default (SQLite, shipped kz-2022 data)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.common import console, handle_errors, open_context, print_json, progress_bar
from saylau.cli.views import write_report

__all__ = ["demo_command"]

DEMO_FILE = "saylau-demo.db"


def _fresh_sqlite(path: Path) -> str:
    """The demo owns its file: start from an empty database each run."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


@handle_errors
def demo_command(
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="A database URL instead of ./saylau-demo.db (it must not hold the demo event already)."
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the HTML/JSON/CSV report.")] = Path("saylau-report"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the national result as JSON.")] = False,
    election: Annotated[
        bool, typer.Option("--election", help="The 2023 Mazhilis election (a reconstruction) instead.")
    ] = False,
) -> None:
    """Count the 2022 Kazakh constitutional referendum (a reconstruction) end to end under double entry;
    with --election, the 2023 Mazhilis election (party lists, 29 single-member districts, against all)."""
    started = time.perf_counter()
    with progress_bar(quiet=as_json, first="load the count and the demo data") as progress:  # on screen at once
        # lazy: only the demo loads its data, the count and the renderers
        from saylau.publish import render_terminal  # noqa: PLC0415
        from saylau.services.paper.demo import DEMO_DATASET, ELECTION_DATASET, run_demo  # noqa: PLC0415
        from saylau.services.paper.results import published_json  # noqa: PLC0415

        dataset = ELECTION_DATASET if election else DEMO_DATASET
        progress("open the database", 0, 1)
        url = db or _fresh_sqlite(Path.cwd() / DEMO_FILE)
        ctx = open_context(url, "demo")
        run = run_demo(ctx, progress, dataset)
        index = write_report(run.view, out, progress)
    elapsed = time.perf_counter() - started
    if as_json:
        doc = published_json(run.view)
        doc["demo"] = {
            "database": url,
            "report": str(index),
            "seconds": round(elapsed, 3),
            "protocols": run.protocols,
            "entries": run.entries,
        }
        print_json(doc)
        return
    render_terminal(run.view, console)
    console.print(
        f"\n{dataset}: {run.protocols:,} precinct protocols entered twice by two operators "
        f"({run.entries:,} entries) in {elapsed:.1f} s.\n"
        f"Database: {url}\nReport:   {index.resolve()} (open it in a browser; JSON and CSV beside it)",
        highlight=False,
    )
