"""What a live page compares to know the aggregates changed (precincts reported and a hash of the totals),
and what it needs beside its unit's JSON to update in place: the national outcomes' verdicts and
explanations, and who is decided (seats, district winners: a change there reloads the page)."""

from __future__ import annotations

import hashlib
from typing import Any

from saylau.model import ResultsView
from saylau.model.canonical import canonical_json

__all__ = ["decided", "fingerprint", "live_payload", "verdict"]


def fingerprint(view: ResultsView) -> str:
    """sha256 over the canonical JSON (sorted keys, ints only) of the national result, purpose-tagged."""
    national = view.results.get(view.territory.root)
    body = {
        "reported": national.reported if national else 0,
        "totals": {str(q): dict(c) for q, c in national.totals.items()} if national else {},
        "phase": str(view.phase),
    }
    canonical = canonical_json(body)
    return hashlib.sha256(b"saylau/live-national/v1\x00" + canonical.encode()).hexdigest()


def verdict(adopted: bool, valid: bool) -> str:
    return "adopted" if adopted else ("rejected" if valid else "not_valid")


def decided(view: ResultsView) -> str:
    """Canonical JSON of the seats of each list and the winner of each decided district ("" for no one):
    what a page shows as elected; a live page reloads when it changes."""
    body = {
        "seats": {str(q): {str(o): n for o, n in s.seats.items()} for q, s in view.seat_outcomes.items()},
        "winners": {str(q): str(d.winner or "") for q, d in view.district_outcomes.items()},
    }
    return canonical_json(body)


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
        "verdicts": {str(q): verdict(o.adopted, o.valid) for q, o in view.outcomes.items()},
        "explanations": {str(q): list(o.explanation) for q, o in view.outcomes.items()}
        | {str(q): list(s.explanation) for q, s in view.seat_outcomes.items()},
        "decided": decided(view),
    }
