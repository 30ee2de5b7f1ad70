"""The live aggregates of each event, kept in memory, and the published results document served from a cache.

``LiveViews.view`` refreshes an event's aggregates on every read (services.LiveResults: only the protocols
accepted since the last read are applied). ``LiveViews.public_document`` serves the results JSON as bytes
encoded once per change (plain and gzip, each with its ETag); ``ResultsFastPath`` answers the hot
``GET /api/events/{code}/results`` from that cache without going through FastAPI's routing, as long as the
document was confirmed fresh less than ``max_age`` seconds ago (spec/formats.md §4, "Served by the API").
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from saylau.model import Mode, ResultsView
from saylau.services.context import Context
from saylau.services.paper.embargo import Embargo, EmbargoInForce, embargo_of, is_public_now
from saylau.services.paper.results import LiveResults, Stamp, published_json

__all__ = ["Document", "Level", "LiveViews", "ResultsFastPath", "negotiate"]

Level = Literal["top", "all"]
LEVELS: tuple[Level, ...] = ("top", "all")


@dataclass(frozen=True, slots=True)
class Document:
    """The published results document at one level, encoded once per change: the plain bytes and a gzip
    copy, each with its own strong ETag (two encodings are two representations, RFC 9110 §8.8.3)."""

    stamp: Stamp
    level: Level
    body: bytes
    etag: str
    gzip_body: bytes
    gzip_etag: str


@dataclass(frozen=True, slots=True)
class _Checked:
    """When the stamp and the embargo of an event were last read (monotonic seconds, taken before reading)."""

    at: float
    stamp: Stamp
    embargo: Embargo | None


def _encode(stamp: Stamp, level: Level, view: ResultsView) -> Document:
    body = json.dumps(published_json(view, level=level), ensure_ascii=False).encode("utf-8")
    digest = hashlib.sha256(body).hexdigest()[:32]
    packed = gzip.compress(body, compresslevel=6, mtime=0)  # mtime 0: the same body gives the same bytes
    return Document(stamp, level, body, f'"{digest}"', packed, f'"{digest}-gzip"')


class LiveViews:
    """One LiveResults per event; a refresh applies only the protocols accepted since the last one.

    Only the live mode is ever read: test-mode data is never served. ``max_age`` (seconds) is how long a
    confirmed-fresh results document may be served without asking the database again; 0 asks on every
    request. A change committed by another process (the CLI, another worker) is therefore visible after at
    most ``max_age`` seconds; a write through this application forgets every confirmation at once
    (``expire``). ``monotonic`` is injected for tests.
    """

    def __init__(self, ctx: Context, *, max_age: float = 0.0, monotonic: Callable[[], float] = time.monotonic):
        if max_age < 0:
            raise ValueError(f"max_age must be ≥ 0 seconds, not {max_age}")
        self._ctx = ctx
        self.max_age = max_age
        self._monotonic = monotonic
        self._live: dict[str, LiveResults] = {}
        self._documents: dict[tuple[str, Level], Document] = {}
        self._checked: dict[str, _Checked] = {}
        self._lock = threading.Lock()

    def view(self, code: str) -> ResultsView:
        with self._lock:  # LiveResults is not thread-safe; requests run in a thread pool
            live = self._live.get(code) or LiveResults(self._ctx, code, mode=Mode.LIVE)
            view = live.refresh()  # an unknown event raises NotFound and is not kept
            self._live[code] = live
            return view

    def document(self, code: str, level: Level = "all") -> Document:
        """The results JSON as bytes, rebuilt only when a version was accepted or the phase moved:
        building and encoding the national document costs hundreds of milliseconds on a large event.
        No embargo check: the public routes use ``public_document``."""
        with self._lock:
            return self._document(code, level)

    def _document(self, code: str, level: Level) -> Document:
        live = self._live.get(code) or LiveResults(self._ctx, code, mode=Mode.LIVE)
        stamp = live.stamp()  # an unknown event raises NotFound
        cached = self._documents.get((code, level))
        if cached is not None and cached.stamp == stamp:
            return cached
        doc = _encode(stamp, level, live.refresh())
        self._live[code] = live
        self._documents[(code, level)] = doc
        return doc

    def public_document(self, code: str, level: Level) -> Document:
        """The document the public may see now: the embargo is checked (EmbargoInForce), then the stamp
        unless it was confirmed less than ``max_age`` seconds ago."""
        with self._lock:
            doc = self.fresh(code, level)
            if doc is not None:
                return doc
            started = self._monotonic()  # before reading: a change committed after it is caught next time
            embargo = embargo_of(self._ctx, code)  # an unknown event raises NotFound
            if not is_public_now(embargo, self._ctx.clock()):
                assert embargo is not None
                raise EmbargoInForce(code, embargo.until)
            doc = self._document(code, level)
            self._checked[code] = _Checked(started, doc.stamp, embargo)
            return doc

    def fresh(self, code: str, level: Level) -> Document | None:
        """The cached document when its stamp and the embargo were read less than ``max_age`` seconds ago
        and the embargo is over by the clock now; else None (then ``public_document`` asks the database).
        Never blocks: safe to call on the event loop."""
        checked = self._checked.get(code)
        if checked is None or self._monotonic() - checked.at >= self.max_age:
            return None
        if not is_public_now(checked.embargo, self._ctx.clock()):
            return None
        doc = self._documents.get((code, level))
        return doc if doc is not None and doc.stamp == checked.stamp else None

    def expire(self) -> None:
        """Forget every freshness confirmation (a write went through this process): the next request reads
        the stamp again. The documents stay cached and are reused if the stamp did not change."""
        self._checked.clear()


def _accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether ``Accept-Encoding`` allows gzip (``gzip``, ``x-gzip`` or ``*`` with a q-value above 0)."""
    if not accept_encoding:
        return False
    for item in accept_encoding.split(","):
        name, _, params = item.partition(";")
        if name.strip().lower() not in ("gzip", "x-gzip", "*"):
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            return True
    return False


def _matches(if_none_match: str | None, etag: str) -> bool:
    """``If-None-Match`` (a list of entity tags or ``*``) against ``etag``, by weak comparison (RFC 9110 §13.1.2)."""
    if not if_none_match:
        return False
    tags = [t.strip() for t in if_none_match.split(",")]
    return any(t == "*" or t.removeprefix("W/") == etag for t in tags)


def negotiate(
    doc: Document, if_none_match: str | None, accept_encoding: str | None
) -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, headers, body) of the results route: gzip when accepted, 304 when the client's ETag is the
    one of the representation it would get. Clients revalidate every time (no-cache) and get a 304 cheaply."""
    packed = _accepts_gzip(accept_encoding)
    etag = doc.gzip_etag if packed else doc.etag
    headers = [("etag", etag), ("cache-control", "no-cache"), ("vary", "Accept-Encoding")]
    if _matches(if_none_match, etag):
        return 304, headers, b""
    headers.append(("content-type", "application/json"))
    if packed:
        headers.append(("content-encoding", "gzip"))
    return 200, headers, doc.gzip_body if packed else doc.body


RESULTS_PREFIX = "/api/events/"
RESULTS_SUFFIX = "/results"
_QUERIES: dict[bytes, Level] = {b"": "top", b"level=top": "top", b"level=all": "all"}


class ResultsFastPath:
    """Pure ASGI middleware: ``GET /api/events/{code}/results[?level=top|all]`` answered from the
    LiveViews cache when it is fresh (no thread pool, no routing, no database); anything else, and a
    cache that needs checking, goes on to the application, which checks and fills the cache. Any other
    method (a write by a commission member) expires the confirmations when it completes."""

    def __init__(self, app: ASGIApp, views: LiveViews, extra_headers: Iterable[tuple[str, str]] = ()):
        self.app = app
        self.views = views
        self.extra = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in extra_headers]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method not in ("GET", "HEAD", "OPTIONS"):
            try:
                await self.app(scope, receive, send)
            finally:
                self.views.expire()
            return
        path: str = scope["path"]
        level = _QUERIES.get(scope["query_string"])
        if method == "GET" and level is not None and path.startswith(RESULTS_PREFIX) and path.endswith(RESULTS_SUFFIX):
            code = path[len(RESULTS_PREFIX) : -len(RESULTS_SUFFIX)]
            doc = self.views.fresh(code, level) if code and "/" not in code else None
            if doc is not None:
                await self._send(doc, scope, send)
                return
        await self.app(scope, receive, send)

    @staticmethod
    def _headers(scope: Scope) -> tuple[str | None, str | None]:
        if_none_match = accept_encoding = None
        for name, value in scope["headers"]:
            if name == b"if-none-match":
                if_none_match = value.decode("latin-1")
            elif name == b"accept-encoding":
                accept_encoding = value.decode("latin-1")
        return if_none_match, accept_encoding

    async def _send(self, doc: Document, scope: Scope, send: Send) -> None:
        status, headers, body = negotiate(doc, *self._headers(scope))
        raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
        if status == 200:
            raw.append((b"content-length", str(len(body)).encode("latin-1")))
        start: Message = {"type": "http.response.start", "status": status, "headers": raw + self.extra}
        await send(start)
        await send({"type": "http.response.body", "body": body})
