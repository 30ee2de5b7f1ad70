"""The live aggregates of each event, kept in memory and refreshed on every read (services.LiveResults)."""

from __future__ import annotations

import threading

from saylau.model import Mode, ResultsView
from saylau.services import Context
from saylau.services.results import LiveResults

__all__ = ["LiveViews"]


class LiveViews:
    """One LiveResults per event; a refresh applies only the protocols accepted since the last one.

    Only the live mode is ever read: test-mode data is never served.
    """

    def __init__(self, ctx: Context):
        self._ctx = ctx
        self._live: dict[str, LiveResults] = {}
        self._lock = threading.Lock()

    def view(self, code: str) -> ResultsView:
        with self._lock:  # LiveResults is not thread-safe; requests run in a thread pool
            live = self._live.get(code) or LiveResults(self._ctx, code, mode=Mode.LIVE)
            view = live.refresh()  # an unknown event raises NotFound and is not kept
            self._live[code] = live
            return view
