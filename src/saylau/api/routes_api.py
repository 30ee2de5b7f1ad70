"""The JSON API: events, published results, one unit with its children, precinct states, live stream.

Every route only calls the service layer and a renderer; errors go to the one problem+json handler.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from saylau.api.problems import PROBLEM_JSON
from saylau.api.schemas import EventSummary, PrecinctStateOut, Problem
from saylau.api.stream import StreamSettings, StreamSlots, results_events
from saylau.api.views import Level, LiveViews, negotiate
from saylau.publish.site.unit_json import unit_json
from saylau.services.context import Context
from saylau.services.paper.embargo import require_public
from saylau.services.paper.events import list_events
from saylau.services.paper.results import precinct_states
from saylau.services.paper.scans import current_scans
from saylau.services.paper.turnout import turnout, turnout_json

__all__ = ["api_router"]

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "No such event or unit"},
    409: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "Not possible in the event's phase"},
    422: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "Invalid request"},
    503: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "Database unavailable"},
}
RESULTS_DESCRIPTION = """The results document of spec/formats.md §4. By default (`level=top`) the light
document polled on election night: the country, its top-level units (regions), the outcomes, warnings and
corrections. `level=all` adds every unit down to the precincts (≈ 6 MB for a national event); one unit with
its children is `/api/events/{code}/units/{unit}`. The static site and `saylau export` carry the full document.

The encoded bytes are cached per event and level and rebuilt only when a protocol version is accepted or
the phase changes. Each response has a strong `ETag` (send it back in `If-None-Match` to get a `304`),
`Cache-Control: no-cache` and `Vary: Accept-Encoding`; a client that accepts gzip gets a pre-compressed
copy (`Content-Encoding: gzip`, its own ETag). The server may serve a document for up to its configured
freshness interval (`saylau serve --results-max-age`, 1 second by default) after it last confirmed it
current; a change committed in between appears at the latest when that interval has passed."""
EventPath = Annotated[str, Path(description="The event's code, e.g. kz-2022")]


def api_router(ctx: Context, views: LiveViews, stream: StreamSettings) -> APIRouter:
    router = APIRouter(prefix="/api", tags=["results"], responses=_ERRORS)
    slots = StreamSlots(stream)  # this process's open streams (at most stream.max_streams)

    @router.get("/events", summary="Every event in this database, oldest first")
    def events() -> list[EventSummary]:
        return [
            EventSummary(
                code=str(row.referendum.code),
                title=row.referendum.title,
                date=row.referendum.date.isoformat(),
                preset=row.referendum.preset,
                phase=str(row.phase),
                contests=len(row.referendum.contests),
            )
            for row in list_events(ctx)
        ]

    @router.get(
        "/events/{code}/results",
        summary="The published results document (format saylau-results): by default the national picture",
        description=RESULTS_DESCRIPTION,
        response_class=Response,
        responses={
            200: {"content": {"application/json": {}}, "description": "The results document"},
            304: {"description": "Not modified: the client's ETag is the current one"},
        },
    )
    def results(
        code: EventPath,
        request: Request,
        level: Annotated[
            Level,
            Query(description="`top` (default): the country and its top-level units; `all`: every unit"),
        ] = "top",
    ) -> Response:
        doc = views.public_document(code, level)  # the embargo first: live results wait for the polls to close
        status, headers, body = negotiate(
            doc, request.headers.get("if-none-match"), request.headers.get("accept-encoding")
        )
        return Response(content=body, status_code=status, headers=dict(headers))

    @router.get("/events/{code}/units/{unit}", summary="One unit's result and its children's")
    def unit(code: EventPath, unit: Annotated[str, Path(description="A unit code of the territory")]) -> dict[str, Any]:
        require_public(ctx, code)
        return unit_json(views.view(code), unit)

    @router.get("/events/{code}/precincts", summary="Where every precinct stands (live mode), with its scan's hash")
    def precincts(code: EventPath) -> list[PrecinctStateOut]:
        scans = current_scans(ctx, code)  # the scan of each current version (services.scans)
        return [
            PrecinctStateOut(
                precinct=s.precinct,
                state=s.state,
                version=s.version,
                scan_sha256=scans[s.precinct].sha256 if s.precinct in scans else None,
            )
            for s in precinct_states(ctx, code)
        ]

    @router.get("/events/{code}/turnout", summary="Intraday turnout: each unit's figures at fixed hours")
    def turnout_reports(code: EventPath) -> list[dict[str, Any]]:
        return [turnout_json(f) for f in turnout(ctx, code)]

    @router.get(
        "/events/{code}/stream",
        summary="Server-sent events: `results` now, then whenever the national figures change",
        response_class=StreamingResponse,
        responses={
            200: {"content": {"text/event-stream": {}}, "description": "An event stream"},
            503: {
                "model": Problem,
                "content": {PROBLEM_JSON: {}},
                "description": "`too_many_streams` (with Retry-After): this server's live streams are all taken",
            },
        },
    )
    async def live(
        code: EventPath,
        request: Request,
        max_events: Annotated[int | None, Query(ge=1, le=10_000, description="Close after this many events")] = None,
    ) -> Response:
        if slots.full:  # refused before any work (the slot itself is taken when the stream starts)
            return slots.refusal()
        await run_in_threadpool(require_public, ctx, code)
        first = await run_in_threadpool(views.view, code)  # an unknown event is a 404 before the stream starts
        return slots.response(results_events(views, code, first, request, stream, max_events))

    return router
