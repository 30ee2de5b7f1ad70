"""The public pages: the current event's national result at ``/``, an event, and the drill-down by unit."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from saylau.api.routes_scans import precinct_scans
from saylau.api.security import attachment
from saylau.api.views import LiveViews
from saylau.model import Lang
from saylau.model.geo import GeoMap
from saylau.publish.site.forensics import render_forensics
from saylau.publish.site.i18n import strings
from saylau.publish.site.render import EventLink, render_message, render_results, render_turnout
from saylau.services.context import Context
from saylau.services.paper.embargo import require_public
from saylau.services.paper.events import list_events
from saylau.services.paper.forensics import ForensicsCache
from saylau.services.paper.history import history_csv, history_json, precinct_history
from saylau.services.paper.turnout import turnout_board

__all__ = ["pages_router"]

LangQuery = Annotated[Lang, Query(description="Language of the page: kk, ru or en")]


def pages_router(ctx: Context, views: LiveViews, demo: bool, geo: GeoMap | None = None) -> APIRouter:
    """``geo``: the user's GeoJSON for the region map (``serve --geojson``); None: the tile cartogram."""
    router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)
    forensics_cache = ForensicsCache(ctx)  # the checks take seconds on a national event: once per change

    def links() -> list[EventLink]:
        return [(str(row.referendum.code), row.referendum.title) for row in list_events(ctx)]

    def page(request: Request, code: str, unit: str | None, lang: Lang, events: list[EventLink]) -> HTMLResponse:
        require_public(ctx, code)  # before the last polls close: a page saying so (409)
        view = views.view(code)
        html = render_results(
            view,
            unit or view.territory.root,
            lang,
            path=request.url.path,
            demo=demo,
            events=events,
            geo=geo,
            scans=precinct_scans(ctx, code, unit),  # a precinct's protocol scans (api.routes_scans)
        )
        return HTMLResponse(html)

    def turnout_page(request: Request, code: str, unit: str | None, lang: Lang) -> HTMLResponse:
        # Turnout is published during voting, as the API's /turnout: no embargo (services.turnout)
        board = turnout_board(ctx, code)
        html = render_turnout(
            board.event,
            board.territory,
            board.figures,
            unit or board.territory.root,
            lang,
            path=request.url.path,
            demo=demo,
            events=links(),
        )
        return HTMLResponse(html)

    @router.get("/", summary="The current (latest) event's national result")
    def home(request: Request, lang: LangQuery = "en") -> HTMLResponse:
        events = links()
        if not events:
            t = strings(lang)
            return HTMLResponse(render_message(t["site"], t["no_events"], lang, path="/", demo=demo))
        return page(request, events[-1][0], None, lang, events)

    @router.get("/events/{code}", summary="An event's national result")
    def event(request: Request, code: str, lang: LangQuery = "en") -> HTMLResponse:
        return page(request, code, None, lang, links())

    @router.get("/events/{code}/units/{unit}", summary="One unit of an event, with its subdivisions")
    def unit(request: Request, code: str, unit: str, lang: LangQuery = "en") -> HTMLResponse:
        return page(request, code, unit, lang, links())

    @router.get("/events/{code}/turnout", summary="Intraday turnout of the country and its top-level units")
    def turnout(request: Request, code: str, lang: LangQuery = "en") -> HTMLResponse:
        return turnout_page(request, code, None, lang)

    @router.get("/events/{code}/units/{unit}/turnout", summary="Intraday turnout of one unit and its subdivisions")
    def unit_turnout(request: Request, code: str, unit: str, lang: LangQuery = "en") -> HTMLResponse:
        return turnout_page(request, code, unit, lang)

    @router.get("/events/{code}/forensics", summary="Statistical checks of the precinct results (forensics)")
    def forensics(request: Request, code: str, lang: LangQuery = "en") -> HTMLResponse:
        report = forensics_cache.get(code)  # live results, after the embargo (services.paper.forensics)
        html = render_forensics(
            report.document, lang, names=report.names(lang), path=request.url.path, demo=demo, events=links()
        )
        return HTMLResponse(html)

    @router.get(
        "/events/{code}/forensics.json",
        tags=["results"],
        summary="The forensics report as JSON: every figure, the exclusions, the caveat (spec/forensics.md)",
        response_class=JSONResponse,
    )
    def forensics_json(code: str) -> JSONResponse:
        return JSONResponse(dict(forensics_cache.get(code).document), headers={"Cache-Control": "no-cache"})

    @router.get(
        "/events/{code}/precincts/{precinct}/versions",
        tags=["results"],
        summary="A precinct's accepted protocol versions and corrections with their reasons (JSON or CSV)",
        response_class=Response,
        responses={200: {"content": {"application/json": {}, "text/csv": {}}, "description": "The history"}},
    )
    def versions(
        code: str,
        precinct: str,
        fmt: Annotated[Literal["json", "csv"], Query(alias="format", description="json (default) or csv")] = "json",
    ) -> Response:
        history = precinct_history(ctx, code, precinct)  # live data, after the embargo
        name = f"{code}-{precinct}-versions.{fmt}"
        headers = {"Content-Disposition": attachment(name), "Cache-Control": "no-cache"}
        if fmt == "csv":
            return Response(history_csv(history), media_type="text/csv; charset=utf-8", headers=headers)
        return JSONResponse(history_json(history), headers=headers)

    return router
