"""The observers' copies in the audit report (spec/audit.md §13a, §14: ``copies.json``).

The targeted batches of a MACRO audit are the precincts where an observer's or a citizen's copy of the protocol
differs from the official protocol when round 1 is drawn (``parallel.targeted_in``). So that a verifier can
recompute that set, round 1's ``draw`` event holds the number of copies there were (``copies``: the first that
many by id, the table being append-only) and the SHA-256 of ``copies.json`` made of them (``copies_sha256``);
the report writes the same document again from the same copies.

``copies.json`` holds no personal data: each copy's precinct, time, submitter *kind* (``observer`` for an
account, ``public`` for a citizen without one — never a name or label), figures and the SHA-256 of its photo;
and the official protocol (its version and figures) of each precinct with a copy, as the copies were compared
with it (``parallel.compare``: every field of the protocol, not only the manifest's).
"""

from __future__ import annotations

import hashlib

from saylau.model import Mode
from saylau.model.canonical import CanonicalProfile, canonical_json
from saylau.store import EventRow, Tx
from saylau.store.observer_repo import ObserverTx

__all__ = ["copies_fields", "copies_text"]


def copies_text(tx: Tx, row: EventRow, count: int | None = None) -> tuple[str, int]:
    """``copies.json`` (canonical JSON, RECORD profile) of the event's first ``count`` copies by id (all when
    None), with the current official protocol of each of their precincts; and the number of copies in it."""
    rows = sorted(ObserverTx(tx).copies(row.id), key=lambda r: r.id)
    if count is not None:
        rows = rows[:count]
    precincts = sorted({r.precinct for r in rows}, key=lambda p: p.encode("utf-8"))
    current = {v.precinct: v for v in tx.versions(row.id, Mode.LIVE, precincts)} if precincts else {}
    document = {
        "event": row.referendum.code,
        "copies": [
            {
                "id": r.id,
                "precinct": r.precinct,
                "submitted_at": r.submitted_at.isoformat(),
                "submitter": "public" if r.anonymous else "observer",
                "figures": {q: dict(v) for q, v in r.figures.items()},
                "photo_sha256": r.photo_sha256,
            }
            for r in rows
        ],
        "official": [
            {
                "precinct": p,
                "version": current[p].version,
                "figures": {q: dict(v) for q, v in current[p].counts.items()},
            }
            for p in precincts
            if p in current
        ],
    }
    return canonical_json(document, CanonicalProfile.RECORD), len(rows)


def copies_fields(tx: Tx, row: EventRow) -> dict[str, object]:
    """Round 1's draw keys (§12): ``copies`` (how many there are now) and ``copies_sha256`` (of copies.json)."""
    text, count = copies_text(tx, row)
    return {"copies": count, "copies_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}
