"""`saylau serve`: the public site and JSON API on the same database as the other commands."""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import ipaddress
import json
import os
import socket
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from saylau.cli.codes import CliCode
from saylau.cli.common import DemoDbOpt, err_console, handle_errors, open_or_demo
from saylau.cli.map_opts import GeoJsonKeyOpt, GeoJsonOpt, region_map
from saylau.cli.user_cmd import KeyFileOpt, RequireScanOpt, ScanMaxOpt, with_settings
from saylau.model import SaylauError

if TYPE_CHECKING:
    from fastapi import FastAPI

    from saylau.services.context import Context

__all__ = ["serve_command", "worker_app"]

DATABASE_ENV = "SAYLAU_DATABASE_URL"
WORKER_ENV = "SAYLAU_SERVE_WORKER"  # what the parent `serve --workers N` hands to each worker process


@handle_errors
def serve_command(
    host: Annotated[str, typer.Option("--host", metavar="ADDRESS", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int,
        typer.Option(
            "--port", min=0, max=65535, help="Port to listen on (0: any free port; the one taken is announced)."
        ),
    ] = 8000,
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
            metavar="SECONDS",
            min=0.0,
            max=60.0,
            help="Seconds a results document confirmed current is served from memory before the database is "
            "asked again (0: on every request). A change appears at the latest after this long.",
        ),
    ] = 1.0,
    max_streams: Annotated[
        int,
        typer.Option(
            "--max-streams",
            min=1,
            max=100_000,
            help="Live event streams (/api/events/{code}/stream) open at once per worker; one more is answered "
            "503 with Retry-After.",
        ),
    ] = 100,
    key_file: KeyFileOpt = None,
    scan_max_mb: ScanMaxOpt = 20.0,
    require_scan: RequireScanOpt = False,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            "--trusted-proxy",
            metavar="ADDRESS",
            help="Address or network (10.0.0.0/8) of a reverse proxy whose X-Forwarded-For names the client, "
            "for the log-in throttle; repeatable. None by default: the connecting address is the client.",
        ),
    ] = None,
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
    # lazy: only `serve` loads the web stack (uvicorn, fastapi) and the store
    import uvicorn  # noqa: PLC0415
    from uvicorn.supervisors import Multiprocess  # noqa: PLC0415

    from saylau.store import split_password  # noqa: PLC0415

    with open_or_demo(db, "public-site") as (opened, demo):
        ctx = with_settings(opened, key_file, scan_max_mb, require_scan)  # the commission's key and scan policy
        ctx = _with_proxies(ctx, _proxies(trusted_proxy or []))
        geo = region_map(ctx, geojson, geojson_key, None)  # checked here, before any worker starts
        # uvicorn's own X-Forwarded-For handling trusts 127.0.0.1 by default: only the configured proxies
        proxies = ctx.settings.trusted_proxies
        trust, allow = bool(proxies), list(proxies) or None
        with listening_socket(host, port) as sock:  # bound and listening before it is announced
            where = f"http://{_shown(host)}:{sock.getsockname()[1]}/"
            if workers == 1:
                from saylau.api import create_app  # noqa: PLC0415  # the parent of --workers N needs no app

                app = create_app(
                    ctx, demo=demo, geo=geo, results_max_age=results_max_age, max_streams=max_streams, docs=docs
                )
                _announce(where, docs, workers, demo)
                config = uvicorn.Config(app, log_level="info", proxy_headers=trust, forwarded_allow_ips=allow)
                server = uvicorn.Server(config)
                with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: uvicorn stops, then raises it again
                    server.run(sockets=[sock])
                return
            # uvicorn starts worker processes from an import string: each builds its app from this description,
            # which sits in their environment; the database password does not: it waits in a private file
            url, password = split_password(ctx.store.engine)
            with tempfile.TemporaryDirectory(prefix="saylau-serve-") as private:  # mode 0700, removed on exit
                plan: dict[str, object] = {"db": url, "password_file": _private_copy(Path(private), password)}
                plan |= {"demo": demo, "max_streams": max_streams, "docs": docs}
                plan |= {"max_age": results_max_age, "scan_max_mb": scan_max_mb, "require_scan": require_scan}
                plan |= {"trusted_proxies": list(ctx.settings.trusted_proxies)}
                plan |= {"key_file": None if key_file is None else str(key_file.resolve())}
                plan |= {"geojson": None if geojson is None else str(geojson.resolve()), "geojson_key": geojson_key}
                inherited = os.environ.pop(DATABASE_ENV, None)  # a URL there may hold the password
                os.environ[WORKER_ENV] = json.dumps(plan)
                try:
                    target = "saylau.cli.serve_cmd:worker_app"
                    config = uvicorn.Config(
                        target,
                        factory=True,
                        workers=workers,
                        log_level="info",
                        proxy_headers=trust,
                        forwarded_allow_ips=allow,
                    )
                    _announce(where, docs, workers, demo)
                    with contextlib.suppress(KeyboardInterrupt):
                        Multiprocess(config, sockets=[sock]).run()  # the workers accept on the socket
                finally:
                    os.environ.pop(WORKER_ENV, None)
                    if inherited is not None:
                        os.environ[DATABASE_ENV] = inherited


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host``:``port`` (0: a free port) and listening: a client connecting from
    now on waits in its backlog until the server accepts it. It is handed to uvicorn as a socket object
    (not as a file descriptor: uvicorn re-creates one of those as AF_UNIX and the connections then lose
    TCP_NODELAY, about 40 ms per keep-alive response). A port in use is one plain error naming the port
    and --port; any other refusal (an address not of this host, a port below 1024) names the address."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET  # as uvicorn decides it
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart does not wait for TIME_WAIT
        sock.bind((host, port))
        sock.listen(2048)  # uvicorn's default backlog
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise SaylauError(
                f"port {port} on {_shown(host)} is already in use: stop the program listening there, or choose "
                "another port with --port",
                code=CliCode.PORT_IN_USE,
                details={"host": host, "port": port},
            ) from None
        raise SaylauError(
            f"cannot listen on {_shown(host)}:{port}: {exc.strerror or exc}",
            code=CliCode.CANNOT_LISTEN,
            details={"host": host, "port": port},
        ) from None
    sock.set_inheritable(True)  # the workers of --workers N accept on it
    return sock


def _announce(where: str, docs: bool, workers: int, demo: bool) -> None:
    err_console.print(
        f"Serving on {where} (API documentation at {'/docs' if docs else '/openapi.json'})"
        f"{f' with {workers} workers' if workers > 1 else ''}{' — DEMO' if demo else ''}",
        highlight=False,
    )


def _shown(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _private_copy(folder: Path, password: str | None) -> str | None:
    """The password in a new file of mode 0600 in ``folder`` (its path), or None when there is none."""
    if password is None:
        return None
    from saylau.services.private_files import write_secret  # noqa: PLC0415  # lazy: only `serve --workers N`

    path = folder / "db-password"
    write_secret(path, password.encode("utf-8"))
    return str(path)


def worker_app() -> FastAPI:
    """The application of one `serve --workers N` worker, on the database its parent opened."""
    # lazy: a worker process loads the web stack and the store, like `serve` itself
    from saylau.api import create_app  # noqa: PLC0415
    from saylau.services.context import Context, utc_now  # noqa: PLC0415
    from saylau.services.private_files import read_private_file  # noqa: PLC0415
    from saylau.store import Store, connect  # noqa: PLC0415

    plan = json.loads(os.environ[WORKER_ENV])
    password_file = plan.get("password_file")
    password = None if password_file is None else read_private_file(Path(password_file), "the database password")
    engine = connect(plan["db"], password=None if password is None else password.decode("utf-8"))
    ctx = Context(Store(engine), utc_now, "public-site")
    key_file = None if plan["key_file"] is None else Path(plan["key_file"])
    ctx = with_settings(ctx, key_file, plan["scan_max_mb"], plan["require_scan"])
    ctx = _with_proxies(ctx, tuple(plan["trusted_proxies"]))
    geojson = plan["geojson"]
    geo = region_map(ctx, None if geojson is None else Path(geojson), plan["geojson_key"], None)
    max_age, max_streams, docs = plan["max_age"], plan["max_streams"], plan["docs"]
    return create_app(ctx, demo=plan["demo"], geo=geo, results_max_age=max_age, max_streams=max_streams, docs=docs)


def _proxies(given: list[str]) -> tuple[str, ...]:
    """The trusted proxies, each checked as an address or a network (CIDR)."""
    try:
        return tuple(str(ipaddress.ip_network(p.strip(), strict=False)) for p in given)
    except ValueError as exc:
        raise typer.BadParameter(f"not an address or network: {exc}", param_hint="--trusted-proxy") from exc


def _with_proxies(ctx: Context, proxies: tuple[str, ...]) -> Context:
    return dataclasses.replace(ctx, settings=dataclasses.replace(ctx.settings, trusted_proxies=proxies))
