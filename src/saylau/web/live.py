"""What a live page compares to know the aggregates changed: precincts reported and a hash of the totals."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from saylau.model import ResultsView

__all__ = ["fingerprint", "live_payload"]


def fingerprint(view: ResultsView) -> str:
    """sha256 over the canonical JSON (sorted keys, ints only) of the national result, purpose-tagged."""
    national = view.results.get(view.territory.root)
    body = {
        "reported": national.reported if national else 0,
        "totals": {str(q): dict(c) for q, c in national.totals.items()} if national else {},
        "phase": str(view.phase),
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(b"saylau/live-national/v1\x00" + canonical.encode()).hexdigest()


def live_payload(view: ResultsView) -> dict[str, Any]:
    """One server-sent event: enough for a page to say what changed and decide to reload."""
    national = view.results.get(view.territory.root)
    return {
        "event": str(view.event.code),
        "status": view.status,
        "phase": str(view.phase),
        "reported": national.reported if national else 0,
        "expected": national.expected if national else 0,
        "totals": {str(q): dict(c) for q, c in national.totals.items()} if national else {},
        "fingerprint": fingerprint(view),
        "generated_at": view.generated_at.isoformat(),
    }
