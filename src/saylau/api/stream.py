"""Server-sent events: one ``results`` event when a client connects, then one whenever the national
figures change (precincts reported, or the hash of the national totals). Polled server-side.

A process holds at most ``StreamSettings.max_streams`` open streams (``saylau serve --max-streams``, 100 by
default; each worker its own): one more is answered 503 problem+json ``too_many_streams`` with
``Retry-After``, so a few hundred idle listeners cannot take a worker's every connection and thread. A slot
is taken when the response starts and given back when it ends, however it ends (the client gone, the cap
on events or seconds, an error)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.types import Receive, Scope, Send

from saylau.api.problems import PROBLEM_JSON, TYPE_PREFIX
from saylau.api.views import LiveViews
from saylau.model import ResultsView, SaylauError
from saylau.publish.site.live import live_payload

__all__ = ["DEFAULT_MAX_STREAMS", "StreamSettings", "StreamSlots", "results_events"]

HEARTBEAT_SECONDS = 15.0
DEFAULT_MAX_STREAMS = 100


@dataclass(frozen=True, slots=True)
class StreamSettings:
    interval: float = 1.0  # seconds between two refreshes
    max_seconds: float | None = None  # close the stream after this long (None: while the client listens)
    max_streams: int = DEFAULT_MAX_STREAMS  # open streams in this process at most
    retry_after: int = 10  # seconds a refused client is told to wait


class StreamSlots:
    """The open streams of this process, at most ``settings.max_streams`` (taken and given back on the
    event loop, so no lock is needed)."""

    def __init__(self, settings: StreamSettings):
        if settings.max_streams < 1:
            raise ValueError(f"max_streams must be at least 1 (got {settings.max_streams})")
        self.settings = settings
        self.open = 0

    @property
    def full(self) -> bool:
        return self.open >= self.settings.max_streams

    def refusal(self) -> JSONResponse:
        """503 problem+json ``too_many_streams`` with Retry-After."""
        limit, wait = self.settings.max_streams, self.settings.retry_after
        body = {
            "type": TYPE_PREFIX + "too_many_streams",
            "title": "Service Unavailable",
            "status": 503,
            "detail": f"this server has {limit} live streams open, its most: try again in {wait} s",
            "code": "too_many_streams",
            "details": {"max_streams": limit},
        }
        headers = {"Retry-After": str(wait), "Cache-Control": "no-store"}
        return JSONResponse(body, status_code=503, media_type=PROBLEM_JSON, headers=headers)

    def response(self, events: AsyncIterator[str]) -> StreamingResponse:
        return _HeldStream(self, events)


class _HeldStream(StreamingResponse):
    """An event stream holding one of the process's slots while it is sent (or the 503 if none is left)."""

    def __init__(self, slots: StreamSlots, events: AsyncIterator[str]):
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        super().__init__(events, media_type="text/event-stream", headers=headers)
        self._slots = slots

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        slots = self._slots
        if slots.full:
            aclose = getattr(self.body_iterator, "aclose", None)
            if aclose is not None:
                await aclose()
            await slots.refusal()(scope, receive, send)
            return
        slots.open += 1
        try:
            await super().__call__(scope, receive, send)
        finally:
            slots.open -= 1


def _sse(event: str, ident: int, data: object) -> str:
    return f"event: {event}\nid: {ident}\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


async def results_events(
    views: LiveViews, code: str, first: ResultsView, request: Request, settings: StreamSettings, max_events: int | None
) -> AsyncIterator[str]:
    sent, last, view = 0, "", first
    started = quiet_since = time.monotonic()
    while True:
        payload = live_payload(view)
        if payload["fingerprint"] != last:
            last, sent, quiet_since = payload["fingerprint"], sent + 1, time.monotonic()
            yield _sse("results", sent, payload)
            if max_events is not None and sent >= max_events:
                return
        elif time.monotonic() - quiet_since >= HEARTBEAT_SECONDS:
            quiet_since = time.monotonic()
            yield ": keep-alive\n\n"
        if settings.max_seconds is not None and time.monotonic() - started >= settings.max_seconds:
            return
        if await request.is_disconnected():
            return
        await asyncio.sleep(settings.interval)
        try:
            view = await run_in_threadpool(views.view, code)
        except SaylauError as exc:  # e.g. the database went away: say so and close
            yield _sse("error", sent + 1, {"code": exc.code, "detail": exc.message})
            return
