"""`saylau serve`: the public site and JSON API on the same database as the other commands."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from saylau.cli.common import DemoDbOpt, err_console, handle_errors, open_or_demo
from saylau.cli.map_opts import GeoJsonKeyOpt, GeoJsonOpt, region_map
from saylau.cli.user_cmd import KeyFileOpt, RequireScanOpt, ScanMaxOpt, with_settings

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["serve_command", "worker_app"]

WORKER_ENV = "SAYLAU_SERVE_WORKER"  # what the parent `serve --workers N` hands to each worker process


@handle_errors
def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    db: DemoDbOpt = None,
    geojson: GeoJsonOpt = None,
    geojson_key: GeoJsonKeyOpt = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Worker processes (each keeps its own results cache); about one per CPU core.",
        ),
    ] = 1,
    results_max_age: Annotated[
        float,
        typer.Option(
            "--results-max-age",
            min=0.0,
            max=60.0,
            help="Seconds a results document confirmed current is served from memory before the database is "
            "asked again (0: on every request). A change appears at the latest after this long.",
        ),
    ] = 1.0,
    key_file: KeyFileOpt = None,
    scan_max_mb: ScanMaxOpt = 20.0,
    require_scan: RequireScanOpt = False,
    docs: Annotated[
        bool,
        typer.Option(
            "--docs",
            help="Serve the interactive API documentation at /docs and /redoc (their scripts come from a CDN: "
            "off by default). /openapi.json is always served.",
        ),
    ] = False,
) -> None:
    """Serve the results site, the JSON API (OpenAPI at /openapi.json), the commission pages and the voting booth.

    With no --db, no SAYLAU_DATABASE_URL and no ./saylau.db, the kz-2022 demo is served under a DEMO
    banner. A configured database that cannot be reached is an error, never a fallback. With --workers N,
    N processes share the port, each with its own cache; the demo database is built once and shared."""
    import uvicorn  # imported here: the other commands start without the web stack

    from saylau.api import create_app

    with open_or_demo(db, "public-site") as (opened, demo):
        ctx = with_settings(opened, key_file, scan_max_mb, require_scan)  # the commission's key and scan policy
        geo = region_map(ctx, geojson, geojson_key, None)  # checked here, before any worker starts
        err_console.print(
            f"Serving on http://{host}:{port}/ (API documentation at {'/docs' if docs else '/openapi.json'})"
            f"{f' with {workers} workers' if workers > 1 else ''}{' — DEMO' if demo else ''}"
        )
        if workers == 1:
            app = create_app(ctx, demo=demo, geo=geo, results_max_age=results_max_age, docs=docs)
            uvicorn.run(app, host=host, port=port, log_level="info")
            return
        # uvicorn starts worker processes from an import string: each builds its app from this description
        url = ctx.store.engine.url.render_as_string(hide_password=False)
        plan = {"db": url, "demo": demo, "max_age": results_max_age}
        plan |= {"key_file": None if key_file is None else str(key_file.resolve()), "scan_max_mb": scan_max_mb}
        plan |= {"require_scan": require_scan, "docs": docs}
        plan |= {"geojson": None if geojson is None else str(geojson.resolve()), "geojson_key": geojson_key}
        os.environ[WORKER_ENV] = json.dumps(plan)
        try:
            target = "saylau.cli.serve_cmd:worker_app"
            uvicorn.run(target, factory=True, host=host, port=port, workers=workers, log_level="info")
        finally:
            os.environ.pop(WORKER_ENV, None)


def worker_app() -> FastAPI:
    """The application of one `serve --workers N` worker, on the database its parent opened."""
    from saylau.api import create_app
    from saylau.services import Context, utc_now
    from saylau.store import Store, connect

    plan = json.loads(os.environ[WORKER_ENV])
    ctx = Context(Store(connect(plan["db"])), utc_now, "public-site")
    key_file = None if plan["key_file"] is None else Path(plan["key_file"])
    ctx = with_settings(ctx, key_file, plan["scan_max_mb"], plan["require_scan"])
    geojson = plan["geojson"]
    geo = region_map(ctx, None if geojson is None else Path(geojson), plan["geojson_key"], None)
    return create_app(ctx, demo=plan["demo"], geo=geo, results_max_age=plan["max_age"], docs=plan["docs"])
