"""The FastAPI application: the public, read-only side of saylau on one database."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from saylau.api.limits import BodyLimit, route_limits
from saylau.api.problems import install_problem_handlers
from saylau.api.routes_api import api_router
from saylau.api.routes_audit import install_audit
from saylau.api.routes_commission import install_commission
from saylau.api.routes_e2e import install_e2e
from saylau.api.routes_observe import install_observe
from saylau.api.routes_pages import pages_router
from saylau.api.routes_petitions import install_petitions
from saylau.api.routes_register import install_register
from saylau.api.security import SECURITY_HEADERS, SecurityHeaders
from saylau.api.stream import DEFAULT_MAX_STREAMS, StreamSettings
from saylau.api.views import LiveViews, ResultsFastPath
from saylau.model.geo import GeoMap
from saylau.services.context import Context

__all__ = ["create_app"]

DESCRIPTION = """Published results of referendums and elections, read-only.

Figures are exact: shares are given as a decimal and as a fraction. Only live-mode data is served;
test-mode data never is. Errors are `application/problem+json` with a stable `code`."""


def create_app(
    ctx: Context,
    *,
    demo: bool = False,
    stream_interval: float = 1.0,
    stream_max_seconds: float | None = None,
    geo: GeoMap | None = None,
    results_max_age: float = 0.0,
    max_streams: int = DEFAULT_MAX_STREAMS,
    docs: bool = False,
) -> FastAPI:
    """The application on ``ctx`` (its store and clock are injected; nothing is read from the environment).

    ``demo`` shows the DEMO banner on every page (the shipped demo served as a fallback); ``geo`` is the
    GeoJSON of the region map (``serve --geojson``), else the tile cartogram. ``results_max_age``: seconds a
    results document confirmed current may be served from memory without asking the database (0: ask on
    every request; ``serve`` uses 1 s); writes through this application expire it at once. ``max_streams``:
    live event streams open at once in this process (``serve --max-streams``); one more is a 503. ``docs``:
    serve the interactive documentation (/docs, /redoc: Swagger UI and ReDoc load their scripts from a CDN,
    so they are off unless ``serve --docs``); the OpenAPI document (/openapi.json) is always served.

    Every request body is bounded by its route's limit (api.limits) and every response carries the
    security headers (api.security).
    """
    app = FastAPI(
        title="saylau",
        version="1",
        description=DESCRIPTION,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
    )
    app.state.demo = demo
    views = LiveViews(ctx, max_age=results_max_age)
    install_problem_handlers(app)
    app.include_router(api_router(ctx, views, StreamSettings(stream_interval, stream_max_seconds, max_streams)))
    app.include_router(pages_router(ctx, views, demo, geo))
    install_commission(app, ctx)
    install_e2e(app, ctx)
    install_observe(app, ctx)  # the observers' parallel check (spec/formats.md §16)
    install_audit(app, ctx, demo)  # the risk-limiting audit's pages (spec/audit.md §15)
    install_register(app, ctx)  # a voter's check of their own register entry (spec/register.md §8)
    install_petitions(app, ctx, demo)  # petitions' public pages and the commission's list (spec/petitions.md §12)
    app.mount("/static", StaticFiles(packages=[("saylau.publish.site", "static")]), name="static")
    if demo:

        @app.middleware("http")
        async def demo_header(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
            response = await call_next(request)
            response.headers["X-Saylau-Demo"] = "kz-2022"
            return response

    app.add_middleware(BodyLimit, routes=route_limits(ctx.settings.scans.max_bytes))
    app.add_middleware(SecurityHeaders, docs=docs)  # outside BodyLimit: its refusals carry the headers too
    # added last, so outermost: the hot results route is answered before any other middleware runs
    extra = [*SECURITY_HEADERS, *([("X-Saylau-Demo", "kz-2022")] if demo else [])]
    app.add_middleware(ResultsFastPath, views=views, extra_headers=extra)
    return app
