"""The public pages: the current event's national result at ``/``, an event, and the drill-down by unit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from saylau.api.views import LiveViews
from saylau.model import Lang
from saylau.services import Context, list_events
from saylau.services.embargo import require_public
from saylau.web import EventLink, render_message, render_results, strings

__all__ = ["pages_router"]

LangQuery = Annotated[Lang, Query(description="Language of the page: kk, ru or en")]


def pages_router(ctx: Context, views: LiveViews, demo: bool) -> APIRouter:
    router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)

    def links() -> list[EventLink]:
        return [(str(row.referendum.code), row.referendum.title) for row in list_events(ctx)]

    def page(request: Request, code: str, unit: str | None, lang: Lang, events: list[EventLink]) -> HTMLResponse:
        require_public(ctx, code)  # before the last polls close: a page saying so (409)
        view = views.view(code)
        html = render_results(view, unit or view.territory.root, lang, path=request.url.path, demo=demo, events=events)
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

    return router
