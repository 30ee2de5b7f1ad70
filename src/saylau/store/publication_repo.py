"""Repository of published releases: append-only (``append``; no update, no delete)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import insert, select

from saylau.store import schema as t
from saylau.store.repo import Tx

__all__ = ["PublicationRow", "PublicationTx"]


@dataclass(frozen=True, slots=True)
class PublicationRow:
    number: int
    kind: str
    previous: str
    hash: str
    manifest: str  # canonical JSON, exactly as hashed
    results_sha256: str


class PublicationTx:
    """The publication table inside one store transaction."""

    def __init__(self, tx: Tx):
        self.conn = tx.conn

    def append(self, event_id: int, row: PublicationRow, now: dt.datetime) -> None:
        self.conn.execute(
            insert(t.publication),
            {
                "event_id": event_id,
                "number": row.number,
                "kind": row.kind,
                "previous": row.previous,
                "hash": row.hash,
                "manifest": row.manifest,
                "results_sha256": row.results_sha256,
                "created_at": now,
            },
        )

    def releases(self, event_id: int) -> list[PublicationRow]:
        c = t.publication.c
        rows = self.conn.execute(
            select(c.number, c.kind, c.previous, c.hash, c.manifest, c.results_sha256)
            .where(c.event_id == event_id)
            .order_by(c.number)
        ).all()
        return [PublicationRow(*r) for r in rows]
