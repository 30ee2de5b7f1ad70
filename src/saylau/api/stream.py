"""Server-sent events: one ``results`` event when a client connects, then one whenever the national
figures change (precincts reported, or the hash of the national totals). Polled server-side."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from saylau.api.views import LiveViews
from saylau.model import ResultsView, SaylauError
from saylau.web import live_payload

__all__ = ["StreamSettings", "results_events"]

HEARTBEAT_SECONDS = 15.0


@dataclass(frozen=True, slots=True)
class StreamSettings:
    interval: float = 1.0  # seconds between two refreshes
    max_seconds: float | None = None  # close the stream after this long (None: while the client listens)


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
