"""Bounded request bodies: every route has a byte limit, checked as the body arrives (pure ASGI).

A request whose declared ``Content-Length`` is over its route's limit is refused at once, before the
application runs; a body without one (chunked) is counted as its chunks come off the ASGI receive channel,
and the read that passes the limit raises ``BodyTooLarge``, so no more than the limit is ever buffered.
Both answer 413 ``body_too_large`` (problem+json, or a page for a browser) naming the limit in
``details.limit``. The check is one regular-expression match per request and one addition per chunk: the
ballot intake route is hot.

The limits (``route_limits``): the commission's small forms 64 KiB; a CSV batch 8 MiB; a precinct's
cast-vote records for an audit the records' maximum plus 64 KiB of form; a protocol entry
with its scan, and a copy of a protocol with its photo, the scan's maximum plus 64 KiB of form; a ballot
or a challenged ballot twice the largest ballot the parser reads (a body between the two is refused by the
parser, by name); any other POST, PUT or PATCH a small form (64 KiB), any other request 0: the read-only
routes take no body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from saylau.api.problems import http_problem
from saylau.io.ballot_body import MAX_BALLOT_BYTES
from saylau.io.cvr import MAX_CVR_BYTES

__all__ = [
    "BALLOT_LIMIT",
    "BATCH_LIMIT",
    "DEFAULT_LIMITS",
    "FORM_LIMIT",
    "BodyLimit",
    "BodyTooLarge",
    "RouteLimit",
    "route_limits",
]

FORM_LIMIT = 64 * 1024
"""The commission's forms without a file: log-in, log-out, phase, the live check of an entry."""
BATCH_LIMIT = 8 * 1024 * 1024
"""A CSV batch pasted into the upload form (urlencoded)."""
BALLOT_LIMIT = 2 * MAX_BALLOT_BYTES


class BodyTooLarge(HTTPException):
    """A request body over its route's limit (problem ``body_too_large``, 413)."""

    code = "body_too_large"

    def __init__(self, limit: int, declared: int | None = None):
        self.limit = limit
        self.details = {"limit": limit}
        said = f"declares {declared:,} bytes" if declared is not None else "has more bytes than that"
        super().__init__(413, f"the request body may have at most {limit:,} bytes on this route; this one {said}")


@dataclass(frozen=True, slots=True)
class RouteLimit:
    """At most ``limit`` body bytes on requests of ``method`` whose whole path matches ``pattern``."""

    method: str
    pattern: str
    limit: int


def route_limits(scan_max_bytes: int) -> list[RouteLimit]:
    """The per-route table of the served application, the hot ballot route first."""
    segment = r"[^/]+"
    base = f"/commission/events/{segment}"
    return [
        RouteLimit("POST", f"/api/e2e/{segment}/ballots", BALLOT_LIMIT),
        RouteLimit("POST", f"/api/e2e/{segment}/spoiled", 2 * BALLOT_LIMIT),
        RouteLimit("POST", "/login", FORM_LIMIT),
        RouteLimit("POST", "/api/register/check", FORM_LIMIT),  # a voter's own check (spec/register.md §8)
        RouteLimit("POST", "/register/check", FORM_LIMIT),
        RouteLimit("POST", "/logout", FORM_LIMIT),
        RouteLimit("POST", f"/commission/petitions/{segment}/verify", FORM_LIMIT),  # spec/petitions.md §12
        RouteLimit("POST", f"/api/petitions/{segment}/signatures", FORM_LIMIT),  # an online signature
        RouteLimit("POST", f"{base}/phase", FORM_LIMIT),
        RouteLimit("POST", f"{base}/upload", BATCH_LIMIT),
        *(RouteLimit("POST", f"{base}/rla/{step}", FORM_LIMIT) for step in ("plan", "manifest", "seed", "draw")),
        RouteLimit("POST", f"{base}/rla/batches/{segment}", FORM_LIMIT),
        RouteLimit("POST", f"{base}/rla/cvr", MAX_CVR_BYTES + FORM_LIMIT),  # a precinct's cast-vote records
        RouteLimit("POST", f"{base}/precincts/{segment}", scan_max_bytes + FORM_LIMIT),
        RouteLimit("POST", f"{base}/precincts/{segment}/check", FORM_LIMIT),
        # an observer's or a citizen's copy of a protocol with its photo (spec/formats.md §16)
        RouteLimit("POST", f"{base}/precincts/{segment}/copy", scan_max_bytes + FORM_LIMIT),
        RouteLimit("POST", f"/events/{segment}/precincts/{segment}/copy", scan_max_bytes + FORM_LIMIT),
    ]


def _declared(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


DEFAULT_LIMITS = {"POST": FORM_LIMIT, "PUT": FORM_LIMIT, "PATCH": FORM_LIMIT}
"""A request on no route of the table: a small form for a method that carries a body, else 0 bytes."""


class BodyLimit:
    """Pure ASGI middleware: the body of each request bounded by its route's limit (``routes``; any
    other request: ``defaults`` by method, else 0 bytes). Refusals go to the application's problem
    response."""

    def __init__(self, app: ASGIApp, routes: Iterable[RouteLimit], defaults: Mapping[str, int] = DEFAULT_LIMITS):
        self.app = app
        self.defaults = dict(defaults)
        self._routes = [(r.method, re.compile(r.pattern), r.limit) for r in routes]

    def limit_of(self, method: str, path: str) -> int:
        for m, pattern, limit in self._routes:
            if m == method and pattern.fullmatch(path):
                return limit
        return self.defaults.get(method, 0)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_of(scope["method"], scope["path"])
        declared = _declared(scope)
        if declared is not None and declared > limit:
            await _refuse(BodyTooLarge(limit, declared), scope, receive, send)
            return
        seen = 0  # counted even with a declared length: not every ASGI server enforces it

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)


async def _refuse(exc: BodyTooLarge, scope: Scope, receive: Receive, send: Send) -> None:
    response = http_problem(Request(scope, receive), exc)
    await response(scope, receive, send)
