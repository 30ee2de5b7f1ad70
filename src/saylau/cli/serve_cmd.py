"""`saylau serve`: the public site and JSON API on the same database as the other commands."""

from __future__ import annotations

import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.common import DEFAULT_DB, err_console, handle_errors, open_context
from saylau.services import DEMO_DATASET, Context, run_demo

__all__ = ["serve_command"]

DEFAULT_FILE = Path("saylau.db")


def _demo_context(stack: ExitStack) -> Context:
    """The shipped demo counted into a temporary SQLite file that lives as long as the server."""
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="saylau-serve-demo-")))
    ctx = open_context(f"sqlite:///{folder / 'demo.db'}", "demo")
    err_console.print(f"No database configured and no ./{DEFAULT_FILE}: serving the {DEMO_DATASET} DEMO.")
    run_demo(ctx, lambda _label, _done, _total: None)
    return ctx


@handle_errors
def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="SAYLAU_DATABASE_URL",
            help=f"Database URL (SQLite file or PostgreSQL). Default: {DEFAULT_DB} if it exists, else the demo.",
        ),
    ] = None,
) -> None:
    """Serve the public results site and the JSON API (OpenAPI at /docs), read-only.

    With no --db, no SAYLAU_DATABASE_URL and no ./saylau.db, the kz-2022 demo is served under a DEMO
    banner. A configured database that cannot be reached is an error, never a fallback."""
    import uvicorn  # imported here: the other commands start without the web stack

    from saylau.api import create_app

    with ExitStack() as stack:
        demo = db is None and not DEFAULT_FILE.exists()
        ctx = _demo_context(stack) if demo else open_context(db or DEFAULT_DB, "public-site")
        app = create_app(ctx, demo=demo)
        err_console.print(f"Serving on http://{host}:{port}/ (API documentation at /docs){' — DEMO' if demo else ''}")
        uvicorn.run(app, host=host, port=port, log_level="info")
        ctx.store.dispose()
