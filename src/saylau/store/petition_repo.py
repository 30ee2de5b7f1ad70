"""Repository of the petitions (spec/petitions.md §10): append-only (inserts; no update, no delete). Records
are canonical JSON, read back as dicts; the services turn them into the core's values. The register is read
here too, read-only, as the matching needs it: every version of every person (store/register_schema)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from saylau.model.canonical import CanonicalProfile, canonical_json
from saylau.store import petition_schema as p
from saylau.store import register_schema as r
from saylau.store.repo import Tx

__all__ = ["PetitionRow", "PetitionTx", "RegisterVersionRow", "SignatureRow", "Taken", "VerificationRow"]


def _json(value: object) -> str:
    """Canonical JSON in the report profile (null and booleans allowed: a blank field, the illegible mark)."""
    return canonical_json(value, CanonicalProfile.REPORT)


class Taken(IntegrityError):
    """A UNIQUE refused the row: a petition code, a sheet, a signature or a withdrawal already there
    (a concurrent writer included)."""


@dataclass(frozen=True, slots=True)
class PetitionRow:
    id: int
    code: str
    kind: str
    scope: str
    preset: str
    definition: dict[str, Any]
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class SignatureRow:
    signature: str
    seq: int
    channel: str
    record: dict[str, Any]
    received_at: dt.datetime


@dataclass(frozen=True, slots=True)
class VerificationRow:
    id: int
    rule: str
    seed: str | None
    decided_by: str
    qualified: bool
    required: int
    raw: int
    valid: int
    figures: dict[str, Any]
    verdicts: dict[str, Any]
    recall_event: str | None
    at: dt.datetime
    actor: str


@dataclass(frozen=True, slots=True)
class RegisterVersionRow:
    identifier: str
    version: int
    name_key: str
    birth_date: dt.date
    precinct: str
    status: str
    valid_from: dt.datetime


def _aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


class PetitionTx:
    """The petitions' reads and writes inside one store transaction."""

    def __init__(self, tx: Tx):
        self.tx = tx
        self.conn = tx.conn

    def _insert(self, table: Any, values: Mapping[str, Any]) -> int:
        try:
            with self.conn.begin_nested():
                return int(
                    self.conn.execute(
                        insert(table).returning(table.c[next(iter(table.primary_key)).name]), dict(values)
                    ).scalar_one()
                )
        except IntegrityError as exc:
            if "unique" in str(exc.orig).lower() or "duplicate key" in str(exc.orig).lower():
                raise Taken(exc.statement, exc.params, exc.orig or exc) from exc
            raise

    # --- petitions ------------------------------------------------------------------------------------
    def insert_petition(
        self, code: str, kind: str, scope: str, preset: str, definition: Mapping[str, Any], actor: str,
        now: dt.datetime,
    ) -> int:  # fmt: skip
        values = {
            "code": code, "kind": kind, "scope": scope, "preset": preset,
            "definition": _json(dict(definition)), "created_at": now, "actor": actor,
        }  # fmt: skip
        return self._insert(p.petition, values)

    def lock(self, petition_id: int) -> None:
        """Serialise writers of one petition (intake order, verification): PostgreSQL row lock; SQLite's
        write transactions already are serial."""
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(select(p.petition.c.id).where(p.petition.c.id == petition_id).with_for_update())

    def find(self, code: str) -> PetitionRow | None:
        row = self.conn.execute(select(p.petition).where(p.petition.c.code == code)).first()
        if row is None:
            return None
        return PetitionRow(
            row.id, row.code, row.kind, row.scope, row.preset, json.loads(row.definition), _aware(row.created_at)
        )

    def codes(self) -> list[str]:
        return [str(c) for c in self.conn.execute(select(p.petition.c.code).order_by(p.petition.c.code)).scalars()]

    # --- sheets, keyings, scans ------------------------------------------------------------------------
    def put_scan(self, sha256: str, content: bytes) -> None:
        """A scan by its hash, once (the same bytes again are already there)."""
        found = self.conn.execute(select(p.petition_scan.c.sha256).where(p.petition_scan.c.sha256 == sha256)).first()
        if found is None:
            self.conn.execute(insert(p.petition_scan), {"sha256": sha256, "content": content})

    def scan(self, sha256: str) -> bytes | None:
        found = self.conn.execute(select(p.petition_scan.c.content).where(p.petition_scan.c.sha256 == sha256))
        content = found.scalar_one_or_none()
        return None if content is None else bytes(content)

    def insert_sheet(
        self, petition_id: int, sheet: str, collector: str, scan_sha256: str, actor: str, now: dt.datetime
    ) -> int:
        values = {
            "petition_id": petition_id, "sheet": sheet, "collector": collector, "scan_sha256": scan_sha256,
            "imported_at": now, "actor": actor,
        }  # fmt: skip
        return self._insert(p.petition_sheet, values)

    def insert_keyings(self, sheet_id: int, rows: Sequence[tuple[int, str, Mapping[str, Any]]]) -> None:
        """(line, operator, record) each."""
        if rows:
            values = [
                {"sheet_id": sheet_id, "line": line, "operator": op, "record": _json(dict(rec))}
                for line, op, rec in rows
            ]
            self.conn.execute(insert(p.petition_keying), values)

    def sheets(self, petition_id: int) -> list[dict[str, Any]]:
        t = p.petition_sheet
        query = select(t.c.sheet, t.c.collector, t.c.scan_sha256).where(t.c.petition_id == petition_id)
        return [dict(m) for m in self.conn.execute(query.order_by(t.c.id)).mappings()]

    # --- signatures and withdrawals --------------------------------------------------------------------
    def next_seq(self, petition_id: int) -> int:
        t = p.petition_signature
        query = select(func.coalesce(func.max(t.c.seq), 0)).where(t.c.petition_id == petition_id)
        return int(self.conn.execute(query).scalar_one()) + 1

    def insert_signatures(
        self, petition_id: int, rows: Sequence[tuple[str, int, str, Mapping[str, Any]]], now: dt.datetime
    ) -> None:
        """(signature id, seq, channel, record) each; Taken when an id or seq is already there."""
        if not rows:
            return
        values = [
            {"petition_id": petition_id, "signature": sid, "seq": seq, "channel": ch,
             "record": _json(dict(rec)), "received_at": now}
            for sid, seq, ch, rec in rows
        ]  # fmt: skip
        try:
            with self.conn.begin_nested():
                self.conn.execute(insert(p.petition_signature), values)
        except IntegrityError as exc:
            raise Taken(exc.statement, exc.params, exc.orig or exc) from exc

    def signatures(self, petition_id: int) -> Iterator[SignatureRow]:
        t = p.petition_signature
        query = select(t).where(t.c.petition_id == petition_id).order_by(t.c.seq)
        for row in self.conn.execute(query.execution_options(yield_per=20000)):
            yield SignatureRow(row.signature, row.seq, row.channel, json.loads(row.record), _aware(row.received_at))

    def signature(self, petition_id: int, signature: str) -> SignatureRow | None:
        t = p.petition_signature
        row = self.conn.execute(select(t).where(t.c.petition_id == petition_id, t.c.signature == signature)).first()
        if row is None:
            return None
        return SignatureRow(row.signature, row.seq, row.channel, json.loads(row.record), _aware(row.received_at))

    def counts(self, petition_id: int) -> dict[str, int]:
        t = p.petition_signature
        query = select(t.c.channel, func.count()).where(t.c.petition_id == petition_id).group_by(t.c.channel)
        out = {"paper": 0, "online": 0}
        out.update({str(ch): int(n) for ch, n in self.conn.execute(query)})
        w = p.petition_withdrawal
        out["withdrawn"] = int(
            self.conn.execute(select(func.count()).where(w.c.petition_id == petition_id)).scalar_one()
        )
        return out

    def insert_withdrawal(self, petition_id: int, signature: str, on: dt.date, actor: str, now: dt.datetime) -> None:
        values = {"petition_id": petition_id, "signature": signature, "withdrawn_on": on, "at": now, "actor": actor}
        self._insert(p.petition_withdrawal, values)

    def withdrawals(self, petition_id: int) -> list[tuple[str, dt.date]]:
        t = p.petition_withdrawal
        query = select(t.c.signature, t.c.withdrawn_on).where(t.c.petition_id == petition_id).order_by(t.c.id)
        return [(str(s), d) for s, d in self.conn.execute(query)]

    # --- verifications ---------------------------------------------------------------------------------
    def insert_verification(self, petition_id: int, values: Mapping[str, Any]) -> int:
        row = dict(values)
        row["figures"] = _json(row["figures"])
        row["verdicts"] = _json(row["verdicts"])
        return self._insert(p.petition_verification, {"petition_id": petition_id, **row})

    def verifications(self, petition_id: int) -> list[VerificationRow]:
        t = p.petition_verification
        query = select(t).where(t.c.petition_id == petition_id).order_by(t.c.id)
        return [
            VerificationRow(
                row.id, row.rule, row.seed, row.decided_by, bool(row.qualified), row.required, row.raw, row.valid,
                json.loads(row.figures), json.loads(row.verdicts), row.recall_event, _aware(row.at), row.actor,
            )
            for row in self.conn.execute(query)
        ]  # fmt: skip

    # --- the register, read-only -----------------------------------------------------------------------
    def register_has_precinct(self, precinct: str) -> bool:
        v = r.register_version
        return self.conn.execute(select(v.c.id).where(v.c.precinct == precinct).limit(1)).first() is not None

    def register_versions(self, at: dt.datetime) -> Iterator[RegisterVersionRow]:
        """Every version of every person recorded by ``at``, by person then version (the matching builds
        each person's dated history from them)."""
        v, pr = r.register_version, r.register_person
        query = (
            select(pr.c.identifier, v.c.version, v.c.name_key, v.c.birth_date, v.c.precinct, v.c.status,
                   v.c.valid_from)
            .join(pr, pr.c.id == v.c.person_id)
            .where(v.c.valid_from <= at)
            .order_by(v.c.person_id, v.c.version)
        )  # fmt: skip
        for row in self.conn.execute(query.execution_options(yield_per=20000)):
            yield RegisterVersionRow(
                row.identifier, row.version, row.name_key, row.birth_date, row.precinct, row.status,
                _aware(row.valid_from),
            )  # fmt: skip
