"""Repository of risk-limiting audits: every table is append-only (inserts; no update, no delete)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from saylau.store import audit_schema as a
from saylau.store.repo import Tx

__all__ = [
    "AuditAlreadyPlanned",
    "AuditRow",
    "AuditTx",
    "CountEntryRow",
    "CvrRow",
    "NewCountEntry",
    "RecordRow",
    "SeedEntryRow",
]


class AuditAlreadyPlanned(IntegrityError):
    """Another transaction created the event's audit first: the UNIQUE on ``audit.event_id`` (an
    IntegrityError still, of that one constraint, so that the service can say so plainly)."""


def _is_event_unique(exc: IntegrityError) -> bool:
    """The UNIQUE on audit.event_id (PostgreSQL: 'unique constraint "uq_audit_event_id"'; SQLite: 'UNIQUE
    constraint failed: audit.event_id'), not a CHECK or a foreign key."""
    text = str(exc.orig).lower()
    return "unique" in text and ("uq_audit_event_id" in text or "audit.event_id" in text)


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    event_id: int
    question: str
    method: str
    risk_limit: str
    actor: str


@dataclass(frozen=True, slots=True)
class SeedEntryRow:
    ordinal: int
    operator: str
    digits: str


@dataclass(frozen=True, slots=True)
class NewCountEntry:
    round: int
    batch: str
    operator: str
    yes: int
    no: int
    invalid: int
    not_counted: int
    decision: str
    votes: str | None = None  # an election contest's hand count: canonical JSON {option: votes}
    readings: str | None = None  # a comparison audit's: canonical JSON [[position, reading], ...]


@dataclass(frozen=True, slots=True)
class CountEntryRow:
    id: int
    round: int
    batch: str
    operator: str
    yes: int
    no: int
    invalid: int
    not_counted: int
    decision: str
    votes: str | None = None
    readings: str | None = None


@dataclass(frozen=True, slots=True)
class CvrRow:
    batch: str
    text: str  # canonical CSV, exactly as hashed
    sha256: str
    ballots: int
    actor: str


@dataclass(frozen=True, slots=True)
class RecordRow:
    height: int
    parent: str
    type: str
    payload: str  # canonical JSON, exactly as hashed
    payload_hash: str
    hash: str


class AuditTx:
    """The audit tables inside one store transaction."""

    def __init__(self, tx: Tx):
        self.conn = tx.conn

    def create(self, event_id: int, question: str, method: str, risk_limit: str, actor: str, now: dt.datetime) -> int:
        row = {"event_id": event_id, "question": question, "method": method, "risk_limit": risk_limit}
        try:
            result = self.conn.execute(
                insert(a.audit).returning(a.audit.c.id), row | {"created_at": now, "actor": actor}
            )
        except IntegrityError as exc:
            if not _is_event_unique(exc):
                raise
            # two plans at once: the second writer waited for the first's row, then met it
            raise AuditAlreadyPlanned(exc.statement, exc.params, exc.orig or exc) from exc
        return int(result.scalar_one())

    def find(self, event_id: int, *, lock: bool = False) -> AuditRow | None:
        """The event's audit; ``lock``: hold its row until the transaction ends (PostgreSQL: FOR UPDATE;
        SQLite serialises writers itself), so that two writers decide one after the other."""
        c = a.audit.c
        query = select(c.id, c.event_id, c.question, c.method, c.risk_limit, c.actor).where(c.event_id == event_id)
        if lock and self.conn.dialect.name != "sqlite":
            query = query.with_for_update()
        r = self.conn.execute(query).first()
        return None if r is None else AuditRow(r[0], r[1], r[2], r[3], r[4], r[5])

    def put_manifest(self, audit_id: int, text: str, sha256: str, now: dt.datetime) -> None:
        self.conn.execute(
            insert(a.audit_manifest), {"audit_id": audit_id, "text": text, "sha256": sha256, "created_at": now}
        )

    def manifest(self, audit_id: int) -> tuple[str, str] | None:
        c = a.audit_manifest.c
        r = self.conn.execute(select(c.text, c.sha256).where(c.audit_id == audit_id)).first()
        return None if r is None else (str(r[0]), str(r[1]))

    def add_seed_entry(self, audit_id: int, ordinal: int, operator: str, digits: str, now: dt.datetime) -> None:
        row = {"audit_id": audit_id, "ordinal": ordinal, "operator": operator, "digits": digits, "entered_at": now}
        self.conn.execute(insert(a.audit_seed_entry), row)

    def seed_entries(self, audit_id: int) -> list[SeedEntryRow]:
        c = a.audit_seed_entry.c
        rows = self.conn.execute(
            select(c.ordinal, c.operator, c.digits).where(c.audit_id == audit_id).order_by(c.ordinal)
        ).all()
        return [SeedEntryRow(r[0], r[1], r[2]) for r in rows]

    def add_count_entries(self, audit_id: int, rows: list[NewCountEntry], now: dt.datetime) -> None:
        if rows:
            self.conn.execute(
                insert(a.audit_count_entry),
                [
                    {
                        "audit_id": audit_id,
                        "round": r.round,
                        "batch": r.batch,
                        "operator": r.operator,
                        "yes": r.yes,
                        "no": r.no,
                        "invalid": r.invalid,
                        "not_counted": r.not_counted,
                        "decision": r.decision,
                        "votes": r.votes,
                        "readings": r.readings,
                        "entered_at": now,
                    }
                    for r in rows
                ],
            )

    def count_entries(self, audit_id: int) -> list[CountEntryRow]:
        """Every hand-count entry in keying order."""
        c = a.audit_count_entry.c
        cols = (c.id, c.round, c.batch, c.operator, c.yes, c.no, c.invalid, c.not_counted, c.decision, c.votes,
                c.readings)  # fmt: skip
        rows = self.conn.execute(select(*cols).where(c.audit_id == audit_id).order_by(c.id)).all()
        return [CountEntryRow(*r) for r in rows]

    def add_cvr(self, audit_id: int, row: CvrRow, now: dt.datetime) -> None:
        """A precinct's cast-vote records (the UNIQUE (audit, batch) refuses a second one)."""
        values = {"batch": row.batch, "text": row.text, "sha256": row.sha256, "ballots": row.ballots}
        self.conn.execute(insert(a.audit_cvr), values | {"audit_id": audit_id, "actor": row.actor, "created_at": now})

    def cvr_hashes(self, audit_id: int) -> dict[str, str]:
        """{batch: SHA-256} of every precinct's cast-vote records."""
        c = a.audit_cvr.c
        return {r[0]: r[1] for r in self.conn.execute(select(c.batch, c.sha256).where(c.audit_id == audit_id))}

    def cvrs(self, audit_id: int, batches: list[str] | None = None) -> list[CvrRow]:
        """The cast-vote records of ``batches`` (None: every batch), by batch."""
        c = a.audit_cvr.c
        query = select(c.batch, c.text, c.sha256, c.ballots, c.actor).where(c.audit_id == audit_id)
        if batches is not None:
            query = query.where(c.batch.in_(batches))
        return [CvrRow(*r) for r in self.conn.execute(query.order_by(c.batch)).all()]

    def append(self, audit_id: int, rows: list[RecordRow], now: dt.datetime) -> None:
        """Events at the head of the chain (the UNIQUE (audit, height) refuses a second writer's fork)."""
        if rows:
            self.conn.execute(
                insert(a.audit_record),
                [
                    {
                        "audit_id": audit_id,
                        "height": r.height,
                        "parent": r.parent,
                        "type": r.type,
                        "payload": r.payload,
                        "payload_hash": r.payload_hash,
                        "hash": r.hash,
                        "created_at": now,
                    }
                    for r in rows
                ],
            )

    def record(self, audit_id: int) -> list[RecordRow]:
        c = a.audit_record.c
        rows = self.conn.execute(
            select(c.height, c.parent, c.type, c.payload, c.payload_hash, c.hash)
            .where(c.audit_id == audit_id)
            .order_by(c.height)
        ).all()
        return [RecordRow(*r) for r in rows]
