"""Use cases: define an event, import its territory, move its lifecycle (with a zero report)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from saylau.io import parse_event, parse_territory
from saylau.model import (
    Conflict,
    InputError,
    LifecycleError,
    Mode,
    NotFound,
    Phase,
    Problem,
    Referendum,
    SaylauError,
    Territory,
    check_transition,
)
from saylau.rules import PresetVersion, Settings, load_preset
from saylau.services.context import Context
from saylau.services.factor import Factor, factor_kind, verify_factor
from saylau.store import EventRow, Tx

__all__ = [
    "EventRules",
    "PhaseChange",
    "advance",
    "create_event",
    "event_rules",
    "import_territory",
    "list_events",
    "load_event",
    "require_territory",
]


@dataclass(frozen=True, slots=True)
class EventRules:
    version: PresetVersion
    settings: Settings


@dataclass(frozen=True, slots=True)
class PhaseChange:
    event: str
    before: Phase
    after: Phase
    zero_report_sha256: str | None
    precincts: int


def event_rules(ref: Referendum) -> EventRules:
    """The preset version in force on the voting day, with the event's settings applied."""
    version = load_preset(ref.preset).version_on(ref.date)
    return EventRules(version, version.resolve_settings(ref.settings))


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


def create_event(ctx: Context, data: bytes, source: str) -> Referendum:
    ref = parse_event(data, source)
    event_rules(ref)  # the preset exists, covers the date, and the settings are allowed
    now = ctx.clock()
    with ctx.store.transaction() as tx:
        if tx.find_event(ref.code) is not None:
            raise Conflict(f"an event {ref.code!r} already exists in this database", code="duplicate_event")
        tx.insert_event(ref, data.decode("utf-8-sig"), Phase.SETUP, now)
        tx.audit(ref.code, ctx.actor, "event.create", "ok", {"source": source, "preset": ref.preset}, now)
    return ref


def list_events(ctx: Context) -> list[EventRow]:
    with ctx.store.transaction() as tx:
        return [load_event(tx, c) for c in tx.event_codes()]


def import_territory(ctx: Context, code: str, data: bytes, source: str, fmt: Literal["csv", "json"]) -> Territory:
    territory = parse_territory(data, source, fmt)
    now = ctx.clock()
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        if row.phase is not Phase.SETUP:
            raise LifecycleError(f"the territory is fixed once voting opens (event is in {row.phase})")
        if tx.has_territory(row.id):
            raise Conflict(f"event {code!r} already has a territory", code="territory_exists")
        _check_scopes(row.referendum, territory, source)
        tx.insert_territory(row.id, territory)
        tx.audit(
            code,
            ctx.actor,
            "territory.import",
            "ok",
            {"source": source, "units": len(territory), "precincts": len(territory.precincts())},
            now,
        )
    return territory


def _check_scopes(ref: Referendum, territory: Territory, source: str) -> None:
    """Every contest's scope (a single-member district's unit) must be a unit of the territory."""
    problems = [
        Problem(
            rule="contest_scope",
            file=source,
            field="code",
            message=f"contest {q.code!r} is scoped to {q.scope!r}, which is not a unit of this territory",
        )
        for q in ref.questions
        if q.scope is not None and q.scope not in territory
    ]
    if problems:
        raise InputError(problems, summary="the territory lacks units the contests are scoped to")


def advance(ctx: Context, code: str, target: Phase, factor: Factor) -> PhaseChange:
    """Move the lifecycle one explicit step; opening the count records a zero report. A member's
    one-time code is checked and consumed in the transaction that moves the phase; a refusal is audited."""
    now = ctx.clock()
    try:
        return _advance(ctx, code, target, factor, now)
    except SaylauError as exc:
        with ctx.store.transaction() as tx:  # the refusal is logged; the phase did not move
            details = {"to": target.value, "code": exc.code, "error": exc.message[:2000], "factor": factor_kind(factor)}
            tx.audit(code, ctx.actor, "phase.change", "refused", details, now)
        raise


def _advance(ctx: Context, code: str, target: Phase, factor: Factor, now: dt.datetime) -> PhaseChange:
    from saylau.services.results import build_view, published_json  # results imports this module

    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        attested = verify_factor(tx, ctx, factor, ctx.actor, now, required=True)
        check_transition(row.phase, target)
        territory = require_territory(tx, row)
        _check_preconditions(tx, row, territory, target)
        digest = None
        if target is Phase.COUNTING:
            view = build_view(tx, row, territory, Mode.LIVE, now, phase=target)
            digest = tx.insert_report(row.id, "zero", published_json(view, level="top"), now)
        tx.set_phase(row.id, row.phase, target, ctx.actor, now)
        if target in (Phase.FINAL, Phase.CERTIFIED):  # after set_phase's row lock: a concurrent link is seen
            _check_channels(tx, row, target)
        details = {"from": row.phase.value, "to": target.value} | attested
        tx.audit(code, ctx.actor, "phase.change", "ok", details, now)
    return PhaseChange(code, row.phase, target, digest, len(territory.precincts()))


def _check_preconditions(tx: Tx, row: EventRow, territory: Territory, target: Phase) -> None:
    if target is Phase.COUNTING and tx.versions(row.id, Mode.LIVE):
        raise LifecycleError("live protocols exist before counting opened: the zero report cannot be zero")
    if target in (Phase.FINAL, Phase.CERTIFIED):
        versions = {v.precinct for v in tx.versions(row.id, Mode.LIVE)}
        missing = [p for p in territory.precincts() if p not in versions]
        open_rounds = _open_rounds(tx, row)
        if missing or open_rounds:
            shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
            raise LifecycleError(
                f"results cannot become {target}: {len(missing)} precinct(s) without an accepted protocol"
                + (f" ({shown})" if missing else "")
                + f", {len(open_rounds)} entry round(s) still open (awaiting a second entry or in mismatch)",
                code="incomplete",
                details={"missing": missing, "open_rounds": sorted(open_rounds)},
            )


def _check_channels(tx: Tx, row: EventRow, target: Phase) -> None:
    """A linked e2e election without its result would leave its e-ballots out (spec/counting.md §5)."""
    from saylau.services.e2e_channel import pending_channels  # e2e_channel imports this module

    pending = pending_channels(tx, row)
    if pending:
        named = ", ".join(f"{p.election} (at {p.unit})" for p in pending)
        raise LifecycleError(
            f"results cannot become {target}: the electronic channel of e2e election(s) {named} has no result yet",
            code="channel_pending",
            details={"pending": [p.election for p in pending]},
        )


def _open_rounds(tx: Tx, row: EventRow) -> set[str]:
    current: dict[str, int] = {}
    for v in tx.versions(row.id, Mode.LIVE):
        current[v.precinct] = v.version
    return {e.precinct for e in tx.entries(row.id, Mode.LIVE) if e.round > current.get(e.precinct, 0)}
