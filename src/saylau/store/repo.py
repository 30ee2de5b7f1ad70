"""Repositories over the tables: the only place that speaks SQL. Portable SQL only (SQLite and PostgreSQL).

Record tables are append-only here: there is no update or delete for entries, versions, phase changes,
reports or the audit log. Bulk inserts use executemany with RETURNING in parameter order.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Select, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from saylau.gcpause import bulk
from saylau.io import parse_event
from saylau.model import (
    EventCode,
    Mode,
    Phase,
    PrecinctWarning,
    QuestionCode,
    Referendum,
    Territory,
    Unit,
    UnitCode,
    UnitKind,
)
from saylau.store import schema as t
from saylau.store.canonical import canonical_json, sha256_hex

__all__ = ["EntryRow", "EventRow", "NewEntry", "NewVersion", "Store", "Tx", "VersionRow"]

CountsByQuestion = Mapping[QuestionCode, Mapping[str, int]]
_IN_CHUNK = 900  # below SQLite's smallest limit on bound parameters
_BULK = 20_000  # rows per executemany, bounding the memory of parameter dicts
AUDIT_EVENT_CODE = 64  # audit_log.event_code: as long as event.code (store/schema.py)


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    referendum: Referendum
    phase: Phase
    definition_sha256: str


@dataclass(frozen=True, slots=True)
class EntryRow:
    id: int
    precinct: UnitCode
    round: int
    operator: str
    reason: str | None
    counts: CountsByQuestion
    decision: str


@dataclass(frozen=True, slots=True)
class VersionRow:
    id: int
    precinct: UnitCode
    version: int
    counts: CountsByQuestion
    counts_sha256: str
    warnings: tuple[PrecinctWarning, ...]
    reason: str | None
    accepted_at: dt.datetime


@dataclass(frozen=True, slots=True)
class NewEntry:
    precinct: UnitCode
    round: int
    operator: str
    reason: str | None
    counts: CountsByQuestion
    decision: str
    source: str | None


@dataclass(frozen=True, slots=True)
class NewVersion:
    precinct: UnitCode
    version: int
    counts: CountsByQuestion
    warnings: tuple[PrecinctWarning, ...]
    reason: str | None
    first_entry: int  # index into the entries inserted in the same call, or an existing entry id (negative)
    second_entry: int


class Store:
    """Hands out transactions; one transaction is one atomic unit of work (all or nothing)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        # A territory never changes once stored (it is imported once, in setup): cache it per event.
        self._territories: dict[int, tuple[Territory, dict[UnitCode, int]]] = {}
        # Parsed event definitions by the SHA-256 of their stored text (see Tx.find_event).
        self._events: dict[str, Referendum] = {}

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Tx]:
        """One atomic unit of work. ``write=True`` for a transaction that decides what to write from what
        it reads (entering protocols): SQLite then takes the write lock at BEGIN."""
        with self.engine.connect().execution_options(saylau_write=write) as conn, conn.begin():
            yield Tx(conn, self._territories, self._events)

    def dispose(self) -> None:
        self.engine.dispose()


class EventCodeTaken(IntegrityError):
    """Another transaction created an event of that code first: the UNIQUE on ``event.code`` (an
    IntegrityError still, of that one constraint, so that the service can say so plainly)."""


def _is_code_unique(exc: IntegrityError) -> bool:
    """The UNIQUE on event.code (PostgreSQL: 'unique constraint "uq_event_code"'; SQLite: 'UNIQUE
    constraint failed: event.code'), not another constraint."""
    text = str(exc.orig).lower()
    return "unique" in text and ("uq_event_code" in text or "event.code" in text)


class Tx:
    def __init__(
        self,
        conn: Connection,
        territories: dict[int, tuple[Territory, dict[UnitCode, int]]],
        events: dict[str, Referendum],
    ):
        self.conn = conn
        self._territories = territories
        self._events = events
        self._unit_ids: dict[int, dict[UnitCode, int]] = {}
        self._encoded: dict[int, tuple[CountsByQuestion, str, str]] = {}  # entry id -> its counts, encoded

    # --- events -------------------------------------------------------------------------------
    def insert_event(self, ref: Referendum, definition: str, phase: Phase, now: dt.datetime) -> int:
        """Raises ``EventCodeTaken`` when an event of that code exists (a concurrent creation included)."""
        try:
            return self._insert_event(ref, definition, phase, now)
        except IntegrityError as exc:
            if not _is_code_unique(exc):
                raise
            # two creations at once: the second writer waited for the first's row, then met it
            raise EventCodeTaken(exc.statement, exc.params, exc.orig or exc) from exc

    def _insert_event(self, ref: Referendum, definition: str, phase: Phase, now: dt.datetime) -> int:
        event_id: int = self.conn.execute(
            insert(t.event).returning(t.event.c.id),
            {
                "code": ref.code,
                "kind": "referendum",
                "title": ref.title,
                "date": ref.date,
                "preset": ref.preset,
                "settings_json": canonical_json(dict(ref.settings)),
                "description": ref.description,
                "definition": definition,
                "definition_sha256": sha256_hex(definition),
                "phase": phase.value,
                "created_at": now,
            },
        ).scalar_one()
        return event_id

    def event_codes(self) -> list[EventCode]:
        rows = self.conn.execute(select(t.event.c.code).order_by(t.event.c.id)).scalars()
        return [EventCode(c) for c in rows]

    def find_event(self, code: str) -> EventRow | None:
        c = t.event.c
        row = self.conn.execute(select(c.id, c.phase, c.definition_sha256).where(c.code == code)).first()
        if row is None:
            return None
        event_id, phase, digest = row
        return EventRow(event_id, self._referendum(event_id, code, digest), Phase(phase), digest)

    def _referendum(self, event_id: int, code: str, digest: str) -> Referendum:
        """The event's contests, parsed once per definition. The stored definition is the exact file the
        event was created from, read back by the same parser that accepted it. It is written once, with
        its SHA-256, by ``insert_event`` and never updated (only ``phase`` changes), so the parsed value is
        cached by that digest: the same text always parses to the same event, in any process and whatever
        other writers do, and a different text has a different key."""
        cached = self._events.get(digest)
        if cached is not None:
            return cached
        text = self.conn.execute(select(t.event.c.definition).where(t.event.c.id == event_id)).scalar_one()
        ref = parse_event(text.encode("utf-8"), f"stored definition of event {code}")
        self._events[digest] = ref
        return ref

    def set_phase(self, event_id: int, current: Phase, target: Phase, actor: str, now: dt.datetime) -> None:
        result = self.conn.execute(
            update(t.event).where(t.event.c.id == event_id, t.event.c.phase == current.value).values(phase=target.value)
        )
        if result.rowcount != 1:  # another writer moved the phase first: refuse, do not guess
            raise RuntimeError(f"event phase changed concurrently (expected {current})")
        self.conn.execute(
            insert(t.phase_change),
            {
                "event_id": event_id,
                "from_phase": current.value,
                "to_phase": target.value,
                "actor": actor,
                "at": now,
            },
        )

    def phase_history(self, event_id: int) -> list[tuple[str, str, str, dt.datetime]]:
        rows = self.conn.execute(
            select(t.phase_change.c.from_phase, t.phase_change.c.to_phase, t.phase_change.c.actor, t.phase_change.c.at)
            .where(t.phase_change.c.event_id == event_id)
            .order_by(t.phase_change.c.id)
        ).all()
        return [(a, b, c, d) for a, b, c, d in rows]

    # --- territory ----------------------------------------------------------------------------
    def has_territory(self, event_id: int) -> bool:
        n = self.conn.execute(select(func.count()).select_from(t.unit).where(t.unit.c.event_id == event_id))
        return bool(n.scalar_one())

    def insert_territory(self, event_id: int, territory: Territory) -> None:
        """One executemany per depth of the tree, parents first, so a million precincts load quickly."""
        position = {code: i for i, code in enumerate(territory.walk())}
        depth: dict[UnitCode, int] = {}
        levels: dict[int, list[Unit]] = {}
        for code in territory.walk():  # parents before children
            unit = territory[code]
            depth[code] = 0 if unit.parent is None else depth[unit.parent] + 1
            levels.setdefault(depth[code], []).append(unit)
        ids: dict[UnitCode, int] = {}
        for level in sorted(levels):
            units = levels[level]
            for start in range(0, len(units), _BULK):  # bounded memory for the parameter dicts
                chunk = units[start : start + _BULK]
                rows = [self._unit_row(event_id, u, ids, position[u.code]) for u in chunk]
                # RETURNING without parameter order lets the driver batch many rows per statement;
                # each returned row names its own code, so no order is needed.
                result = self.conn.execute(insert(t.unit).returning(t.unit.c.id, t.unit.c.code), rows)
                ids.update((UnitCode(code), uid) for uid, code in result)
        self._unit_ids[event_id] = ids

    @staticmethod
    def _unit_row(event_id: int, u: Unit, ids: Mapping[UnitCode, int], position: int) -> dict[str, Any]:
        return {
            "event_id": event_id,
            "code": u.code,
            "kind": u.kind.value,
            "parent_id": ids[u.parent] if u.parent is not None else None,
            "position": position,
            "name_kk": u.names.get("kk"),
            "name_ru": u.names.get("ru"),
            "name_en": u.names.get("en"),
            "registered": u.registered,
        }

    def territory(self, event_id: int) -> Territory | None:
        cached = self._territories.get(event_id)
        if cached is not None:
            self._unit_ids[event_id] = cached[1]
            return cached[0]
        # Parents come first (position is the walk order), so a parent's code is known from its id.
        query = (
            select(
                t.unit.c.id,
                t.unit.c.code,
                t.unit.c.kind,
                t.unit.c.parent_id,
                t.unit.c.name_kk,
                t.unit.c.name_ru,
                t.unit.c.name_en,
                t.unit.c.registered,
            )
            .where(t.unit.c.event_id == event_id)
            .order_by(t.unit.c.position)
            .execution_options(yield_per=10_000)
        )
        units: dict[UnitCode, Unit] = {}
        ids: dict[UnitCode, int] = {}
        with bulk():
            self._load_units(self.conn.execute(query), units, ids)
            if not units:
                return None
            root = next(c for c, u in units.items() if u.kind is UnitKind.COUNTRY)
            territory = Territory(units, root)
        self._unit_ids[event_id] = ids
        self._territories[event_id] = (territory, ids)
        return territory

    @staticmethod
    def _load_units(rows: Iterable[Any], units: dict[UnitCode, Unit], ids: dict[UnitCode, int]) -> None:
        code_of: dict[int, UnitCode] = {}
        no_names: dict[str, str] = {}
        for uid, raw_code, kind, parent_id, kk, ru, en, registered in rows:
            code = UnitCode(raw_code)
            names = {lang: n for lang, n in (("kk", kk), ("ru", ru), ("en", en)) if n} if kk or ru or en else no_names
            parent = code_of[parent_id] if parent_id is not None else None
            units[code] = Unit(code, UnitKind(kind), parent, names, registered)
            ids[code] = uid
            code_of[uid] = code

    def unit_ids(self, event_id: int) -> Mapping[UnitCode, int]:
        if event_id not in self._unit_ids:
            rows = self.conn.execute(select(t.unit.c.code, t.unit.c.id).where(t.unit.c.event_id == event_id))
            self._unit_ids[event_id] = {UnitCode(c): i for c, i in rows}
        return self._unit_ids[event_id]

    # --- protocols ----------------------------------------------------------------------------
    def entries(self, event_id: int, mode: Mode, precincts: Iterable[UnitCode] | None = None) -> list[EntryRow]:
        """Entries in the order they were keyed; for the given precincts only, when named."""
        query = (
            select(t.protocol_entry, t.unit.c.code.label("precinct"))
            .join(t.unit, t.unit.c.id == t.protocol_entry.c.precinct_id)
            .where(t.protocol_entry.c.event_id == event_id, t.protocol_entry.c.mode == mode.value)
            .order_by(t.protocol_entry.c.id)
        )
        out = [
            EntryRow(
                r["id"],
                UnitCode(r["precinct"]),
                r["round"],
                r["operator"],
                r["reason"],
                json.loads(r["counts"]),
                r["decision"],
            )
            for r in self._in_chunks(event_id, query, t.protocol_entry.c.precinct_id, precincts)
        ]
        return sorted(out, key=lambda e: e.id) if precincts is not None else out

    def versions(self, event_id: int, mode: Mode, precincts: Iterable[UnitCode] | None = None) -> list[VersionRow]:
        """Accepted versions in the order they were accepted (the last of a precinct is its current one)."""
        return list(self.iter_versions(event_id, mode, precincts))

    def lock_precincts(self, event_id: int, precincts: Iterable[UnitCode]) -> None:
        """SELECT … FOR UPDATE on the precincts' unit rows (PostgreSQL; SQLite serialises writers itself)."""
        if self.conn.dialect.name == "sqlite":
            return
        ids = self.unit_ids(event_id)
        wanted = sorted({ids[p] for p in precincts if p in ids})  # one order everywhere: no deadlock
        for start in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[start : start + _IN_CHUNK]
            self.conn.execute(select(t.unit.c.id).where(t.unit.c.id.in_(chunk)).with_for_update()).all()

    def versions_stamp(self, event_id: int, mode: Mode) -> tuple[int, int]:
        """(number of versions, newest id): changes whenever a version is accepted."""
        c = t.protocol_version.c
        query = select(func.count(), func.coalesce(func.max(c.id), 0)).where(
            c.event_id == event_id, c.mode == mode.value
        )
        count, newest = self.conn.execute(query).one()
        return int(count), int(newest)

    def count_versions(self, event_id: int, mode: Mode) -> int:
        query = (
            select(func.count())
            .select_from(t.protocol_version)
            .where(t.protocol_version.c.event_id == event_id, t.protocol_version.c.mode == mode.value)
        )
        return int(self.conn.execute(query).scalar_one())

    def current_versions(self, event_id: int, mode: Mode) -> dict[UnitCode, int]:
        """Precinct -> its accepted version, for precincts with one (no counts decoded: a lifecycle check)."""
        v = t.protocol_version.c
        query = (
            select(t.unit.c.code, func.max(v.version))
            .join(t.unit, t.unit.c.id == v.precinct_id)
            .where(v.event_id == event_id, v.mode == mode.value)
            .group_by(t.unit.c.code)
        )
        return {UnitCode(code): int(version) for code, version in self.conn.execute(query)}

    def entry_rounds(self, event_id: int, mode: Mode) -> set[tuple[UnitCode, int]]:
        """The (precinct, round) pairs that hold at least one entry (no counts decoded)."""
        e = t.protocol_entry.c
        query = (
            select(t.unit.c.code, e.round)
            .distinct()
            .join(t.unit, t.unit.c.id == e.precinct_id)
            .where(e.event_id == event_id, e.mode == mode.value)
        )
        return {(UnitCode(code), int(rnd)) for code, rnd in self.conn.execute(query)}

    def iter_versions(
        self, event_id: int, mode: Mode, precincts: Iterable[UnitCode] | None = None, *, after_id: int = 0
    ) -> Iterator[VersionRow]:
        """Versions in the order they were accepted (so per precinct by version), optionally after an id."""
        query = (
            select(t.protocol_version, t.unit.c.code.label("precinct"))
            .join(t.unit, t.unit.c.id == t.protocol_version.c.precinct_id)
            .where(
                t.protocol_version.c.event_id == event_id,
                t.protocol_version.c.mode == mode.value,
                t.protocol_version.c.id > after_id,
            )
            .order_by(t.protocol_version.c.id)
        )
        rows = self._in_chunks(event_id, query, t.protocol_version.c.precinct_id, precincts)
        for r in sorted(rows, key=lambda r: r["id"]) if precincts is not None else rows:
            precinct = UnitCode(r["precinct"])
            warnings = tuple(PrecinctWarning(precinct, w["code"], w["message"]) for w in json.loads(r["warnings"]))
            yield VersionRow(
                r["id"],
                precinct,
                r["version"],
                json.loads(r["counts"]),
                r["counts_sha256"],
                warnings,
                r["reason"],
                r["accepted_at"],
            )

    def _in_chunks(
        self, event_id: int, query: Select[Any], column: Any, precincts: Iterable[UnitCode] | None
    ) -> Iterator[Any]:
        """Run ``query`` for all rows, or for the named precincts: one id range when they are dense (a
        batch in territory order), else bounded IN lists."""
        if precincts is None:
            yield from self.conn.execute(query.execution_options(yield_per=5000)).mappings()
            return
        ids = self.unit_ids(event_id)
        wanted = sorted({ids[p] for p in precincts if p in ids})
        if len(wanted) > _IN_CHUNK and wanted[-1] - wanted[0] < 2 * len(wanted):
            keep = set(wanted)
            dense = query.where(column.between(wanted[0], wanted[-1])).execution_options(yield_per=5000)
            yield from (r for r in self.conn.execute(dense).mappings() if r[column.key] in keep)
            return
        for start in range(0, len(wanted), _IN_CHUNK):
            yield from self.conn.execute(query.where(column.in_(wanted[start : start + _IN_CHUNK]))).mappings()

    def insert_entries(self, event_id: int, mode: Mode, rows: Sequence[NewEntry], now: dt.datetime) -> list[int]:
        if not rows:
            return []
        ids = self.unit_ids(event_id)
        mode_value = mode.value  # once: an enum's .value is a descriptor call
        params: list[dict[str, Any]] = []
        encoded: list[tuple[CountsByQuestion, str, str]] = []
        for e in rows:
            counts = canonical_json(e.counts)
            encoded.append((e.counts, counts, sha256_hex(counts)))
            params.append(
                {
                    "event_id": event_id,
                    "precinct_id": ids[e.precinct],
                    "mode": mode_value,
                    "round": e.round,
                    "operator": e.operator,
                    "reason": e.reason,
                    "counts": counts,
                    "counts_sha256": encoded[-1][2],
                    "decision": e.decision,
                    "source": e.source,
                    "entered_at": now,
                }
            )
        # (precinct, round, operator) is unique, and one call never keys a precinct twice: map the
        # returned rows back by precinct, so the driver may batch rows without keeping their order.
        result = self.conn.execute(
            insert(t.protocol_entry).returning(t.protocol_entry.c.id, t.protocol_entry.c.precinct_id), params
        )
        by_precinct = {precinct_id: entry_id for entry_id, precinct_id in result}
        if len(by_precinct) != len(params):
            raise ValueError("insert_entries takes at most one entry per precinct per call")
        entry_ids = [by_precinct[p["precinct_id"]] for p in params]
        self._encoded = dict(zip(entry_ids, encoded, strict=True))
        return entry_ids

    def insert_versions(self, event_id: int, mode: Mode, rows: Sequence[NewVersion], now: dt.datetime) -> None:
        if not rows:
            return
        ids = self.unit_ids(event_id)
        mode_value = mode.value
        params = []
        for v in rows:
            memo = self._encoded.get(v.second_entry)
            if memo is not None and memo[0] is v.counts:  # the counts just encoded for the entry
                counts, digest = memo[1], memo[2]
            else:
                counts = canonical_json(v.counts)
                digest = sha256_hex(counts)
            params.append(
                {
                    "event_id": event_id,
                    "precinct_id": ids[v.precinct],
                    "mode": mode_value,
                    "version": v.version,
                    "counts": counts,
                    "counts_sha256": digest,
                    "warnings": "[]"
                    if not v.warnings
                    else canonical_json([{"code": w.code, "message": w.message} for w in v.warnings]),
                    "reason": v.reason,
                    "first_entry_id": v.first_entry,
                    "second_entry_id": v.second_entry,
                    "accepted_at": now,
                }
            )
        self.conn.execute(insert(t.protocol_version), params)

    # --- reports and the audit log ------------------------------------------------------------
    def insert_report(self, event_id: int, kind: str, payload: object, now: dt.datetime) -> str:
        text = canonical_json(payload)
        digest = sha256_hex(text)
        self.conn.execute(
            insert(t.report),
            {
                "event_id": event_id,
                "kind": kind,
                "payload": text,
                "payload_sha256": digest,
                "created_at": now,
            },
        )
        return digest

    def reports(self, event_id: int, kind: str) -> list[tuple[object, str, dt.datetime]]:
        rows = self.conn.execute(
            select(t.report.c.payload, t.report.c.payload_sha256, t.report.c.created_at)
            .where(t.report.c.event_id == event_id, t.report.c.kind == kind)
            .order_by(t.report.c.id)
        ).all()
        return [(json.loads(p), h, c) for p, h, c in rows]

    def audit(
        self, event: str | None, actor: str, action: str, outcome: str, details: Mapping[str, object], now: dt.datetime
    ) -> None:
        if event is not None and len(event) > AUDIT_EVENT_CODE:
            # no event has a code that long (its column is as long): a request that named one (a refusal, a
            # one-time code counted for it) is logged without an event, the name it gave kept, cut, in details
            details = {**details, "event_given": event[:AUDIT_EVENT_CODE] + "…"}
            event = None
        self.conn.execute(
            insert(t.audit_log),
            {
                "event_code": event,
                "at": now,
                "actor": actor,
                "action": action,
                "outcome": outcome,
                "details": canonical_json(dict(details)),
            },
        )

    def audit_rows(self, event: str | None) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            select(t.audit_log).where(t.audit_log.c.event_code == event).order_by(t.audit_log.c.id)
        ).mappings()
        return [{**r, "details": json.loads(r["details"])} for r in rows]
