"""Repository of end-to-end elections: the record is append-only (``append``; no update, no delete)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select

from saylau.record.events import Event, EventType
from saylau.store import e2e_schema as e
from saylau.store.repo import Tx

__all__ = ["BallotRow", "E2eTx", "ElectionRow", "NewBallot"]

_IN_CHUNK = 900


@dataclass(frozen=True, slots=True)
class ElectionRow:
    id: int
    code: str
    fingerprint: str
    manifest: str


@dataclass(frozen=True, slots=True)
class NewBallot:
    ballot_id: str
    credential: str
    ballot_hash: str
    kind: str  # "cast" | "spoiled"
    tracking_code: str | None
    height: int
    fingerprints: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BallotRow:
    ballot_id: str
    credential: str
    ballot_hash: str
    kind: str
    tracking_code: str | None
    height: int


def _event(row: Any) -> Event:
    return Event(row.height, row.parent, EventType(row.type), row.payload, row.payload_hash, row.hash)


class E2eTx:
    """The e2e tables inside one store transaction."""

    def __init__(self, tx: Tx):
        self.conn = tx.conn

    # --- elections and the record --------------------------------------------------------------
    def insert_election(self, code: str, fingerprint: str, manifest: str, now: dt.datetime) -> int:
        values = {"code": code, "fingerprint": fingerprint, "manifest": manifest, "created_at": now}
        election_id: int = self.conn.execute(insert(e.e2e_election).returning(e.e2e_election.c.id), values).scalar_one()
        return election_id

    def find_election(self, code: str) -> ElectionRow | None:
        row = self.conn.execute(select(e.e2e_election).where(e.e2e_election.c.code == code)).first()
        return None if row is None else ElectionRow(row.id, row.code, row.fingerprint, row.manifest)

    def lock_election(self, code: str) -> None:
        """SELECT … FOR UPDATE on the election's row (PostgreSQL; SQLite's write transaction already
        holds the database's write lock)."""
        if self.conn.dialect.name != "sqlite":
            self.conn.execute(select(e.e2e_election.c.id).where(e.e2e_election.c.code == code).with_for_update()).all()

    def election_codes(self) -> list[str]:
        return list(self.conn.execute(select(e.e2e_election.c.code).order_by(e.e2e_election.c.id)).scalars())

    def append(self, election_id: int, event: Event) -> None:
        """Append one event; UNIQUE(election, height) refuses a concurrent second writer."""
        self.conn.execute(
            insert(e.e2e_event),
            {
                "election_id": election_id,
                "height": event.height,
                "type": event.type.value,
                "parent": event.parent,
                "payload": event.payload,
                "payload_hash": event.payload_hash,
                "hash": event.hash,
            },
        )

    def head(self, election_id: int) -> Event | None:
        t = e.e2e_event
        top = select(func.max(t.c.height)).where(t.c.election_id == election_id).scalar_subquery()
        row = self.conn.execute(select(t).where(t.c.election_id == election_id, t.c.height == top)).first()
        return None if row is None else _event(row)

    def events(self, election_id: int, types: Iterable[EventType] | None = None) -> list[Event]:
        t = e.e2e_event
        query = select(t).where(t.c.election_id == election_id).order_by(t.c.height)
        if types is not None:
            query = query.where(t.c.type.in_([x.value for x in types]))
        return [_event(r) for r in self.conn.execute(query)]

    def events_at(self, election_id: int, heights: Sequence[int]) -> list[Event]:
        t = e.e2e_event
        found: dict[int, Event] = {}
        for start in range(0, len(heights), _IN_CHUNK):
            chunk = list(heights[start : start + _IN_CHUNK])
            rows = self.conn.execute(select(t).where(t.c.election_id == election_id, t.c.height.in_(chunk)))
            found.update((r.height, _event(r)) for r in rows)
        return [found[h] for h in heights]

    # --- guardians and credentials -------------------------------------------------------------
    def insert_guardians(self, election_id: int, share_keys: Sequence[str]) -> None:
        rows = [{"election_id": election_id, "idx": j, "share_key": k} for j, k in enumerate(share_keys, start=1)]
        self.conn.execute(insert(e.e2e_guardian), rows)

    def share_keys(self, election_id: int) -> dict[int, str]:
        t = e.e2e_guardian
        rows = self.conn.execute(select(t.c.idx, t.c.share_key).where(t.c.election_id == election_id))
        return {int(idx): str(key) for idx, key in rows}

    def insert_credentials(self, election_id: int, credentials: Sequence[str]) -> None:
        if credentials:
            rows = [{"election_id": election_id, "credential": c} for c in credentials]
            self.conn.execute(insert(e.e2e_credential), rows)

    def has_credential(self, election_id: int, credential: str) -> bool:
        t = e.e2e_credential
        query = select(t.c.id).where(t.c.election_id == election_id, t.c.credential == credential)
        return self.conn.execute(query).first() is not None

    # --- ballots -------------------------------------------------------------------------------
    def find_ballot(self, election_id: int, ballot_id: str) -> BallotRow | None:
        t = e.e2e_ballot
        row = self.conn.execute(select(t).where(t.c.election_id == election_id, t.c.ballot_id == ballot_id)).first()
        return None if row is None else _ballot(row)

    def taken_fingerprints(self, election_id: int, fingerprints: Sequence[str]) -> list[str]:
        t = e.e2e_fingerprint
        query = select(t.c.fingerprint).where(t.c.election_id == election_id, t.c.fingerprint.in_(list(fingerprints)))
        return sorted(self.conn.execute(query).scalars())

    def casts_by(self, election_id: int, credential: str) -> int:
        t = e.e2e_ballot
        query = select(func.count()).where(
            t.c.election_id == election_id, t.c.credential == credential, t.c.kind == "cast"
        )
        return int(self.conn.execute(query).scalar_one())

    def insert_ballot(self, election_id: int, ballot: NewBallot) -> None:
        values = {
            "election_id": election_id,
            "ballot_id": ballot.ballot_id,
            "credential": ballot.credential,
            "ballot_hash": ballot.ballot_hash,
            "kind": ballot.kind,
            "tracking_code": ballot.tracking_code,
            "height": ballot.height,
        }
        row_id = self.conn.execute(insert(e.e2e_ballot).returning(e.e2e_ballot.c.id), values).scalar_one()
        rows = [{"election_id": election_id, "ballot_row": row_id, "fingerprint": f} for f in ballot.fingerprints]
        self.conn.execute(insert(e.e2e_fingerprint), rows)

    def last_cast(self, election_id: int) -> BallotRow | None:
        t = e.e2e_ballot
        query = select(t).where(t.c.election_id == election_id, t.c.kind == "cast").order_by(t.c.height.desc())
        row = self.conn.execute(query.limit(1)).first()
        return None if row is None else _ballot(row)

    def cast_ballots(self, election_id: int) -> list[BallotRow]:
        t = e.e2e_ballot
        query = select(t).where(t.c.election_id == election_id, t.c.kind == "cast").order_by(t.c.height)
        return [_ballot(r) for r in self.conn.execute(query)]


def _ballot(row: Any) -> BallotRow:
    return BallotRow(row.ballot_id, row.credential, row.ballot_hash, row.kind, row.tracking_code, row.height)
