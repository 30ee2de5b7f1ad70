"""`saylau serve`: the public site and JSON API on the same database as the other commands."""

from __future__ import annotations

from typing import Annotated

import typer

from saylau.cli.common import DemoDbOpt, err_console, handle_errors, open_or_demo

__all__ = ["serve_command"]


@handle_errors
def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    db: DemoDbOpt = None,
) -> None:
    """Serve the public results site and the JSON API (OpenAPI at /docs), read-only.

    With no --db, no SAYLAU_DATABASE_URL and no ./saylau.db, the kz-2022 demo is served under a DEMO
    banner. A configured database that cannot be reached is an error, never a fallback."""
    import uvicorn  # imported here: the other commands start without the web stack

    from saylau.api import create_app

    with open_or_demo(db, "public-site") as (ctx, demo):
        app = create_app(ctx, demo=demo)
        err_console.print(f"Serving on http://{host}:{port}/ (API documentation at /docs){' — DEMO' if demo else ''}")
        uvicorn.run(app, host=host, port=port, log_level="info")
