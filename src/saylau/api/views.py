"""The live aggregates of each event, kept in memory and refreshed on every read (services.LiveResults)."""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass

from saylau.model import Mode, ResultsView
from saylau.services import Context
from saylau.services.results import LiveResults, published_json

__all__ = ["Document", "LiveViews"]


@dataclass(frozen=True, slots=True)
class Document:
    """The published results document, encoded once per change (a CDN-friendly ETag beside it)."""

    stamp: tuple[str, int, int]
    body: bytes
    etag: str


class LiveViews:
    """One LiveResults per event; a refresh applies only the protocols accepted since the last one.

    Only the live mode is ever read: test-mode data is never served.
    """

    def __init__(self, ctx: Context):
        self._ctx = ctx
        self._live: dict[str, LiveResults] = {}
        self._documents: dict[str, Document] = {}
        self._lock = threading.Lock()

    def view(self, code: str) -> ResultsView:
        with self._lock:  # LiveResults is not thread-safe; requests run in a thread pool
            live = self._live.get(code) or LiveResults(self._ctx, code, mode=Mode.LIVE)
            view = live.refresh()  # an unknown event raises NotFound and is not kept
            self._live[code] = live
            return view

    def document(self, code: str) -> Document:
        """The results JSON as bytes, rebuilt only when a version was accepted or the phase moved:
        building and encoding the national document costs hundreds of milliseconds on a large event."""
        with self._lock:
            live = self._live.get(code) or LiveResults(self._ctx, code, mode=Mode.LIVE)
            stamp = live.stamp()  # an unknown event raises NotFound
            cached = self._documents.get(code)
            if cached is not None and cached.stamp == stamp:
                return cached
            body = json.dumps(published_json(live.refresh()), ensure_ascii=False).encode("utf-8")
            self._live[code] = live
            doc = Document(stamp, body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
            self._documents[code] = doc
            return doc
