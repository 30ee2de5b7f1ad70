"""Reads every context needs: an event by its code, and its territory (clear errors when missing)."""

from __future__ import annotations

from saylau.model import LifecycleError, NotFound, Territory
from saylau.store import EventRow, Tx

__all__ = ["load_event", "require_territory"]


def load_event(tx: Tx, code: str) -> EventRow:
    row = tx.find_event(code)
    if row is None:
        known = ", ".join(tx.event_codes()) or "none yet"
        raise NotFound(f"no event {code!r} in this database (events: {known})", details={"event": code})
    return row


def require_territory(tx: Tx, row: EventRow) -> Territory:
    territory = tx.territory(row.id)
    if territory is None:
        raise LifecycleError(
            f"event {row.referendum.code!r} has no territory yet: import it first", code="no_territory"
        )
    return territory
