"""Repository of protocol scans inside one store transaction: content-addressed blobs, append-only links.

A scan's bytes are stored once per SHA-256 (``scan_blob``); each attachment to a precinct's protocol version
is a row of ``protocol_scan``. The newest row of a (precinct, version) is that version's scan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import insert, select

from saylau.model import Mode, UnitCode
from saylau.store import schema as t
from saylau.store.repo import Tx

__all__ = ["ScanRow", "ScansTx"]


@dataclass(frozen=True, slots=True)
class ScanRow:
    """One attachment of a scan (without its bytes)."""

    id: int
    precinct: UnitCode
    round: int
    sha256: str
    media_type: str
    size: int
    entry_id: int | None
    operator: str
    attached_at: dt.datetime


class ScansTx:
    """The scan tables inside one store transaction."""

    def __init__(self, tx: Tx):
        self.tx = tx
        self.conn = tx.conn

    def put_blob(self, sha256: str, media_type: str, content: bytes) -> None:
        """Store the bytes unless the same bytes (same SHA-256) are stored already."""
        known = self.conn.execute(select(t.scan_blob.c.sha256).where(t.scan_blob.c.sha256 == sha256)).first()
        if known is None:
            self.conn.execute(
                insert(t.scan_blob),
                {"sha256": sha256, "media_type": media_type, "size": len(content), "content": content},
            )

    def attach(
        self,
        event_id: int,
        mode: Mode,
        precinct: UnitCode,
        round_: int,
        sha256: str,
        entry_id: int | None,
        operator: str,
        now: dt.datetime,
    ) -> int:
        scan_id = self.conn.execute(
            insert(t.protocol_scan).returning(t.protocol_scan.c.id),
            {
                "event_id": event_id,
                "precinct_id": self.tx.unit_ids(event_id)[precinct],
                "mode": mode.value,
                "round": round_,
                "sha256": sha256,
                "entry_id": entry_id,
                "operator": operator,
                "attached_at": now,
            },
        ).scalar_one()
        return int(scan_id)

    def scans(self, event_id: int, mode: Mode, precinct: UnitCode | None = None) -> Iterator[ScanRow]:
        """Every attachment in the order made (of one precinct when named)."""
        s, b, u = t.protocol_scan.c, t.scan_blob.c, t.unit.c
        query = (
            select(s.id, u.code, s.round, s.sha256, b.media_type, b.size, s.entry_id, s.operator, s.attached_at)
            .join(t.scan_blob, b.sha256 == s.sha256)
            .join(t.unit, u.id == s.precinct_id)
            .where(s.event_id == event_id, s.mode == mode.value)
            .order_by(s.id)
        )
        if precinct is not None:
            query = query.where(u.code == precinct)
        for r in self.conn.execute(query):
            yield ScanRow(r[0], UnitCode(r[1]), r[2], r[3], r[4], r[5], r[6], r[7], r[8])

    def content(self, sha256: str) -> bytes:
        return bytes(
            self.conn.execute(select(t.scan_blob.c.content).where(t.scan_blob.c.sha256 == sha256)).scalar_one()
        )
