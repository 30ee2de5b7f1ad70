"""Repository of end-to-end elections: the record is append-only (``append``; no update, no delete)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, and_, bindparam, func, insert, literal, select, union_all

from saylau.record.events import Event, EventType
from saylau.store import e2e_schema as e
from saylau.store.canonical import canonical_json
from saylau.store.repo import Tx
from saylau.store.schema import audit_log

__all__ = ["IN_CHUNK", "AuditRow", "BallotRow", "E2eTx", "ElectionRow", "IntakeRow", "NewBallot", "event_from_row"]

IN_CHUNK = 900


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


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One row of the audit log, written with others by ``E2eTx.audit_many``."""

    event: str | None
    actor: str
    action: str
    outcome: str  # "ok" | "refused"
    details: Mapping[str, object]
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class IntakeRow:
    """What verifying a ballot needs, read in one query: the election, its head event now, the joint key
    event's payload (None before the key ceremony) and whether the ballot's credential is registered."""

    election: ElectionRow
    head: Event
    joint_key: str | None
    registered: bool


def event_from_row(row: Any) -> Event:
    return Event(row.height, row.parent, EventType(row.type), row.payload, row.payload_hash, row.hash)


def _conflicts_statement() -> Any:
    """Built once (the hot path of intake): which of a batch's ballot ids and ciphertext fingerprints the
    database already holds, and how many cast ballots each of its credentials has, tagged by kind."""
    b, f = e.e2e_ballot, e.e2e_fingerprint
    election: Any = bindparam("election")
    return union_all(
        select(literal("id").label("what"), b.c.ballot_id.label("value"), literal(1).label("n")).where(
            b.c.election_id == election, b.c.ballot_id.in_(bindparam("ids", expanding=True))
        ),
        select(literal("ciphertext").label("what"), f.c.fingerprint.label("value"), literal(1).label("n")).where(
            f.c.election_id == election, f.c.fingerprint.in_(bindparam("fingerprints", expanding=True))
        ),
        select(literal("credential").label("what"), b.c.credential.label("value"), func.count().label("n"))
        .where(
            b.c.election_id == election,
            b.c.kind == "cast",
            b.c.credential.in_(bindparam("credentials", expanding=True)),
        )
        .group_by(b.c.credential),
    )


_CONFLICTS = _conflicts_statement()


def _head_and_last_statement() -> Any:
    """Built once: the election's head event with the tracking code of its last cast ballot."""
    t, b = e.e2e_event, e.e2e_ballot
    election: Any = bindparam("election")
    top = select(func.max(t.c.height)).where(t.c.election_id == election).scalar_subquery()
    last = (
        select(b.c.tracking_code)
        .where(b.c.election_id == election, b.c.kind == "cast")
        .order_by(b.c.height.desc())
        .limit(1)
        .scalar_subquery()
    )
    return select(t, last.label("last_tracking")).where(t.c.election_id == election, t.c.height == top)


_HEAD_AND_LAST = _head_and_last_statement()
_INSERT_EVENT = insert(e.e2e_event)
_INSERT_BALLOT = insert(e.e2e_ballot).returning(e.e2e_ballot.c.id, e.e2e_ballot.c.ballot_id)
_INSERT_FINGERPRINT = insert(e.e2e_fingerprint)
_INSERT_AUDIT = insert(audit_log)
_LOCK = select(e.e2e_election.c.id).where(e.e2e_election.c.code == bindparam("code", type_=String)).with_for_update()


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
            self.conn.execute(_LOCK, {"code": code}).all()

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
        return None if row is None else event_from_row(row)

    def events(self, election_id: int, types: Iterable[EventType] | None = None) -> list[Event]:
        t = e.e2e_event
        query = select(t).where(t.c.election_id == election_id).order_by(t.c.height)
        if types is not None:
            query = query.where(t.c.type.in_([x.value for x in types]))
        return [event_from_row(r) for r in self.conn.execute(query)]

    def events_at(self, election_id: int, heights: Sequence[int]) -> list[Event]:
        t = e.e2e_event
        found: dict[int, Event] = {}
        for start in range(0, len(heights), IN_CHUNK):
            chunk = list(heights[start : start + IN_CHUNK])
            rows = self.conn.execute(select(t).where(t.c.election_id == election_id, t.c.height.in_(chunk)))
            found.update((r.height, event_from_row(r)) for r in rows)
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
    def intake_row(self, code: str, credential: str) -> IntakeRow | None:
        """One round trip for ``cast_ballot``'s checks before the lock (None: no such election). Every
        lookup is by a unique index: the cost does not grow with the number of ballots."""
        el, ev, cr = e.e2e_election, e.e2e_event, e.e2e_credential
        head, key = ev.alias("head"), ev.alias("joint_key")
        # Uncorrelated sub-queries (computed once, then index lookups): a correlated max(height) joined
        # to the events let PostgreSQL's planner hash-join every event of the election, a cost that grew
        # with the ballots.
        eid = select(el.c.id).where(el.c.code == code).scalar_subquery()
        top = select(func.max(ev.c.height)).where(ev.c.election_id == eid).scalar_subquery()
        registered = select(cr.c.id).where(cr.c.election_id == eid, cr.c.credential == credential).exists()
        query = (
            select(el, registered.label("registered"), key.c.payload.label("joint_key_payload"))
            .add_columns(*(c.label(f"head_{c.name}") for c in head.c))
            .select_from(
                el.join(head, and_(head.c.election_id == eid, head.c.height == top)).outerjoin(
                    key, and_(key.c.election_id == eid, key.c.type == EventType.JOINT_KEY.value)
                )
            )
            .where(el.c.code == code)
        )
        row = self.conn.execute(query).first()
        if row is None:
            return None
        m = row._mapping
        top_event = Event(
            m["head_height"],
            m["head_parent"],
            EventType(m["head_type"]),
            m["head_payload"],
            m["head_payload_hash"],
            m["head_hash"],
        )
        election = ElectionRow(row.id, row.code, row.fingerprint, row.manifest)
        return IntakeRow(election, top_event, row.joint_key_payload, bool(row.registered))

    def find_ballot(self, election_id: int, ballot_id: str) -> BallotRow | None:
        t = e.e2e_ballot
        row = self.conn.execute(select(t).where(t.c.election_id == election_id, t.c.ballot_id == ballot_id)).first()
        return None if row is None else _ballot(row)

    def taken_fingerprints(self, election_id: int, fingerprints: Sequence[str]) -> list[str]:
        t = e.e2e_fingerprint
        query = select(t.c.fingerprint).where(t.c.election_id == election_id, t.c.fingerprint.in_(list(fingerprints)))
        return sorted(self.conn.execute(query).scalars())

    def casts_by(self, election_id: int, credential: str, kind: str = "cast") -> int:
        """The credential's ballots of this kind ("cast" or "spoiled")."""
        t = e.e2e_ballot
        query = select(func.count()).where(
            t.c.election_id == election_id, t.c.credential == credential, t.c.kind == kind
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

    def cast_ballots(self, election_id: int) -> list[BallotRow]:
        t = e.e2e_ballot
        query = select(t).where(t.c.election_id == election_id, t.c.kind == "cast").order_by(t.c.height)
        return [_ballot(r) for r in self.conn.execute(query)]

    # --- batches of ballots (group commit: services.e2e.intake) ----------------------------------
    def credentials(self, election_id: int) -> list[str]:
        """Every registered public credential of the election (fixed once voting has opened)."""
        t = e.e2e_credential
        return list(self.conn.execute(select(t.c.credential).where(t.c.election_id == election_id)).scalars())

    def batch_conflicts(
        self, election_id: int, ballot_ids: Sequence[str], fingerprints: Sequence[str], credentials: Sequence[str]
    ) -> tuple[set[str], set[str], dict[str, int]]:
        """Of the given values, those already in the database: (ballot ids used by any ballot, ciphertext
        fingerprints received, the number of cast ballots of each credential that has one). One statement
        for a whole batch (more only when a list is longer than a chunk that keeps SQLite under its limit on
        bound parameters)."""
        ids, fps, creds = _padded(ballot_ids), _padded(fingerprints), _padded(credentials)
        found: dict[str, set[str]] = {"id": set(), "ciphertext": set()}
        casts: dict[str, int] = {}
        step = IN_CHUNK // 3
        for start in range(0, max(len(ids), len(fps), len(creds), 1), step):
            chunks = {
                "election": election_id,
                "ids": ids[start : start + step],
                "fingerprints": fps[start : start + step],
                "credentials": creds[start : start + step],
            }
            for what, value, n in self.conn.execute(_CONFLICTS, chunks):
                if what == "credential":
                    casts[value] = int(n)
                else:
                    found[what].add(value)
        return found["id"], found["ciphertext"], casts

    def head_and_last_cast(self, election_id: int) -> tuple[Event, str | None]:
        """The head event and the last cast ballot's tracking code (None before the first), in one round
        trip; read with the election locked, so both are as the last committed writer left them."""
        row = self.conn.execute(_HEAD_AND_LAST, {"election": election_id}).one()
        return event_from_row(row), row.last_tracking

    def append_many(self, election_id: int, events: Sequence[Event]) -> None:
        """Append consecutive events in one executemany (UNIQUE(election, height) still guards each)."""
        if events:
            rows = [
                {
                    "election_id": election_id,
                    "height": v.height,
                    "type": v.type.value,
                    "parent": v.parent,
                    "payload": v.payload,
                    "payload_hash": v.payload_hash,
                    "hash": v.hash,
                }
                for v in events
            ]
            self.conn.execute(_INSERT_EVENT, rows)

    def insert_ballots(self, election_id: int, ballots: Sequence[NewBallot]) -> None:
        """The ballot rows (one multi-row insert, ids returned with their ballot id, which is unique), then
        all their ciphertext fingerprints (one executemany)."""
        if not ballots:
            return
        rows = [
            {
                "election_id": election_id,
                "ballot_id": v.ballot_id,
                "credential": v.credential,
                "ballot_hash": v.ballot_hash,
                "kind": v.kind,
                "tracking_code": v.tracking_code,
                "height": v.height,
            }
            for v in ballots
        ]
        returned = self.conn.execute(_INSERT_BALLOT, rows)
        row_ids = {ballot_id: row_id for row_id, ballot_id in returned}
        fingerprints = [
            {"election_id": election_id, "ballot_row": row_ids[v.ballot_id], "fingerprint": f}
            for v in ballots
            for f in v.fingerprints
        ]
        self.conn.execute(_INSERT_FINGERPRINT, fingerprints)

    def audit_many(self, rows: Sequence[AuditRow]) -> None:
        """Audit log rows in one executemany, in the given order (as ``Tx.audit`` writes one)."""
        if rows:
            params = [
                {
                    "event_code": r.event,
                    "at": r.at,
                    "actor": r.actor,
                    "action": r.action,
                    "outcome": r.outcome,
                    "details": canonical_json(dict(r.details)),
                }
                for r in rows
            ]
            self.conn.execute(_INSERT_AUDIT, params)


def _padded(values: Iterable[str]) -> list[str]:
    """The distinct values, sorted, the last repeated up to a power of two (at most ``IN_CHUNK // 3``): an
    IN list of a handful of lengths renders a handful of SQL texts, which the driver parses once each."""
    out = sorted(set(values))
    size = 1
    while size < len(out):
        size *= 2
    step = IN_CHUNK // 3
    if out and len(out) <= step:
        out += [out[-1]] * (min(size, step) - len(out))
    return out


def _ballot(row: Any) -> BallotRow:
    return BallotRow(row.ballot_id, row.credential, row.ballot_hash, row.kind, row.tracking_code, row.height)
