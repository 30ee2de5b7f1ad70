"""Use case: protocols come in (a batch file or one at a time) under double entry.

A protocol counts only when two entries by different operators agree field by field (Kiesraad Abacus,
art. P 20a Dutch Elections Act); a mismatch is held with the differing fields listed and resolved by a
further entry. A different protocol for an accepted precinct is a correction: it needs a reason, goes
through double entry again, and becomes a new version; earlier versions are kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, assert_never

from saylau.count import Agreed, AwaitingSecond, Difference, EntryRecord, Mismatch, decide, validate
from saylau.count.layout import event_rules, protocol_layout
from saylau.gcpause import bulk
from saylau.io import ParsedProtocol, parse_protocols
from saylau.model import (
    Conflict,
    InputError,
    LifecycleError,
    Mode,
    Phase,
    PrecinctWarning,
    Problem,
    ProtocolEntry,
    ProtocolRejected,
    SaylauError,
    Territory,
    UnitCode,
    UnitKind,
)
from saylau.services.access.factor import Factor, factor_kind, verify_factor
from saylau.services.context import Context
from saylau.services.lookup import load_event, require_territory
from saylau.services.paper.codes import PaperCode
from saylau.store import EntryRow, EventRow, NewEntry, NewVersion, Tx

__all__ = ["EntryOutcome", "EntryReport", "enter_file", "enter_protocol", "enter_protocols"]

_FIRST_ENTRY_PHASES = {Mode.LIVE: {Phase.COUNTING, Phase.PROVISIONAL}, Mode.TEST: {Phase.SETUP, Phase.VOTING}}
_CORRECTION_PHASES = {
    Mode.LIVE: {Phase.COUNTING, Phase.PROVISIONAL, Phase.FINAL},
    Mode.TEST: {Phase.SETUP, Phase.VOTING},
}


@dataclass(frozen=True, slots=True)
class EntryOutcome:
    precinct: UnitCode
    decision: Literal["awaiting_second", "agreed", "mismatch"]
    version: int | None = None
    differences: tuple[Difference, ...] = ()
    warnings: tuple[PrecinctWarning, ...] = ()


@dataclass(frozen=True, slots=True)
class EntryReport:
    event: str
    mode: Mode
    operator: str
    outcomes: tuple[EntryOutcome, ...] = field(default_factory=tuple)

    def count(self, decision: str) -> int:
        return sum(1 for o in self.outcomes if o.decision == decision)


def enter_file(
    ctx: Context,
    code: str,
    data: bytes,
    source: str,
    fmt: Literal["csv", "json"],
    *,
    factor: Factor,
    mode: Mode = Mode.LIVE,
) -> EntryReport:
    """A batch file of protocols keyed by ``ctx.actor``: one transaction, all or nothing."""
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        ballot = protocol_layout(row.referendum, event_rules(row.referendum), require_territory(tx, row))
    questions = [q.code for q in row.referendum.contests]
    parsed = parse_protocols(data, source, fmt, questions, ballot.fields, contests_of=ballot.contests_of)
    return enter_protocols(ctx, code, parsed, mode=mode, source=source, factor=factor)


def enter_protocol(
    ctx: Context, code: str, entry: ProtocolEntry, *, factor: Factor, mode: Mode = Mode.LIVE
) -> EntryOutcome:
    """One protocol keyed through a form. A member's code is needed (and checked under the lock) only
    when the entry goes into a round that holds entries or is a correction; a first entry needs none."""
    parsed = ParsedProtocol(entry.protocol, 1, entry.reason)
    as_operator = dataclasses.replace(ctx, actor=entry.operator)
    report = _enter_checked(as_operator, code, [parsed], mode, None, factor, batch=False)
    return report.outcomes[0]


def enter_protocols(
    ctx: Context, code: str, parsed: Sequence[ParsedProtocol], *, mode: Mode, source: str | None, factor: Factor
) -> EntryReport:
    """A batch keyed by ``ctx.actor``, all or nothing: a member's batch always needs a verified code."""
    return _enter_checked(ctx, code, parsed, mode, source, factor, batch=True)


def _enter_checked(
    ctx: Context,
    code: str,
    parsed: Sequence[ParsedProtocol],
    mode: Mode,
    source: str | None,
    factor: Factor,
    *,
    batch: bool,
) -> EntryReport:
    """Plan under the precincts' lock, attest the second factor from what the locked transaction sees,
    write; a refusal (a missing or wrong code included) is audited after the rollback."""
    now = ctx.clock()
    try:
        with ctx.store.transaction(write=True) as tx:
            row = load_event(tx, code)
            plan = _plan_locked(tx, row, ctx.actor, parsed, mode, source)
            attested = verify_factor(tx, ctx, factor, ctx.actor, now, required=batch or plan.needs_factor)
            report = _write(tx, row, ctx.actor, mode, plan, now)
            details: dict[str, object] = {
                "source": source,
                "mode": mode.value,
                "protocols": len(parsed),
                "agreed": report.count("agreed"),
                "mismatch": report.count("mismatch"),
                "awaiting_second": report.count("awaiting_second"),
            }
            tx.audit(code, ctx.actor, "protocols.enter", "ok", details | attested, now)
            return report
    except SaylauError as exc:
        with ctx.store.transaction() as tx:  # the refusal is logged; nothing of the batch was written
            tx.audit(
                code,
                ctx.actor,
                "protocols.enter",
                "refused",
                {
                    "source": source,
                    "mode": mode.value,
                    "code": exc.code,
                    "error": exc.message[:2000],
                    "factor": factor_kind(factor),
                },
                now,
            )
        raise


@dataclass(slots=True)
class _Plan:
    entries: list[NewEntry] = field(default_factory=list)
    agreed_with: list[int | None] = field(default_factory=list)  # the earlier entry a new entry agrees with
    outcomes: list[EntryOutcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    needs_factor: bool = False  # an entry into a round that holds entries, or a correction


Validator = Callable[[ParsedProtocol, int | None], tuple[PrecinctWarning, ...]]


def _plan_locked(
    tx: Tx,
    row: EventRow,
    operator: str,
    parsed: Sequence[ParsedProtocol],
    mode: Mode,
    source: str | None,
) -> _Plan:
    territory = require_territory(tx, row)
    ballot = protocol_layout(row.referendum, event_rules(row.referendum), territory)
    subset = [p.protocol.precinct for p in parsed]
    # Two operators keying the same precinct at the same moment must not both see an empty round (each
    # would wait for the other's entry), nor both be asked for no code: lock the precincts' rows until
    # this transaction ends, and decide from what it then reads.
    tx.lock_precincts(row.id, subset)
    current = {v.precinct: v.version for v in tx.versions(row.id, mode, subset)}
    rounds: dict[UnitCode, list[EntryRow]] = {}
    for e in tx.entries(row.id, mode, subset):
        if e.round > current.get(e.precinct, 0):
            rounds.setdefault(e.precinct, []).append(e)

    def check(p: ParsedProtocol, registered: int | None) -> tuple[PrecinctWarning, ...]:
        contests = ballot.contests_of(p.protocol.precinct)
        return validate(ballot.schemas, p.protocol, contests, registered=registered, file=source, line=p.line)

    plan = _Plan()
    with bulk():
        _plan_all(plan, parsed, _Batch(territory, row.phase, mode, operator, current, rounds, source, check))
    if plan.problems:
        raise InputError(plan.problems, summary=f"{len(plan.problems)} protocol(s) refused; nothing was entered")
    return plan


def _write(tx: Tx, row: EventRow, operator: str, mode: Mode, plan: _Plan, now: dt.datetime) -> EntryReport:
    ids = tx.insert_entries(row.id, mode, plan.entries, now)
    versions = []
    outcomes = []
    for new_id, entry, earlier, outcome in zip(ids, plan.entries, plan.agreed_with, plan.outcomes, strict=True):
        if earlier is not None:
            versions.append(
                NewVersion(entry.precinct, entry.round, entry.counts, outcome.warnings, entry.reason, earlier, new_id)
            )
        outcomes.append(outcome)
    tx.insert_versions(row.id, mode, versions, now)
    return EntryReport(row.referendum.code, mode, operator, tuple(outcomes))


@dataclass(frozen=True, slots=True)
class _Batch:
    """What every protocol of one batch is planned against."""

    territory: Territory
    phase: Phase
    mode: Mode
    operator: str
    current: Mapping[UnitCode, int]  # precinct -> its accepted version (0: none)
    rounds: Mapping[UnitCode, list[EntryRow]]  # precinct -> the entries of its open round
    source: str | None
    check: Validator


def _plan_all(plan: _Plan, parsed: Sequence[ParsedProtocol], batch: _Batch) -> None:
    """Plan every protocol of the batch; a refused one becomes a problem naming its line."""
    for p in parsed:
        try:
            _plan_one(plan, p, batch)
        except (ProtocolRejected, Conflict, LifecycleError) as exc:
            field = "precinct" if exc.code != "control_relation" else None
            plan.problems.append(
                Problem(rule=exc.code, message=exc.message, file=batch.source, line=p.line, field=field)
            )


def _plan_one(plan: _Plan, p: ParsedProtocol, batch: _Batch) -> None:
    territory, mode, operator = batch.territory, batch.mode, batch.operator
    precinct = p.protocol.precinct
    if precinct not in territory or territory[precinct].kind is not UnitKind.PRECINCT:
        raise Conflict(f"{precinct!r} is not a precinct of this event", code="unknown_precinct")
    version = batch.current.get(precinct, 0)
    _check_phase(batch.phase, mode, correction=version > 0)
    warnings = batch.check(p, territory[precinct].registered)
    earlier = batch.rounds.get(precinct, [])
    if version > 0 and not p.reason:
        raise Conflict(
            f"precinct {precinct} already has an accepted protocol (version {version}); a different protocol "
            "is a correction and needs a reason",
            code=PaperCode.CORRECTION_NEEDS_REASON,
        )
    plan.needs_factor |= version > 0 or bool(earlier)  # a correction, or a second or later entry of a round
    record = EntryRecord(operator, p.protocol.counts)
    decision = decide([EntryRecord(e.operator, e.counts) for e in earlier], record)
    counts = {q: dict(c) for q, c in p.protocol.counts.items()}
    match decision:
        case AwaitingSecond():
            outcome = EntryOutcome(precinct, "awaiting_second", warnings=warnings)
            agreed = None
        case Agreed(with_index=i):
            outcome = EntryOutcome(precinct, "agreed", version=version + 1, warnings=warnings)
            agreed = earlier[i].id
        case Mismatch(differences=diffs):
            outcome = EntryOutcome(precinct, "mismatch", differences=diffs, warnings=warnings)
            agreed = None
        case _:
            assert_never(decision)
    plan.entries.append(NewEntry(precinct, version + 1, operator, p.reason, counts, outcome.decision, batch.source))
    plan.agreed_with.append(agreed)
    plan.outcomes.append(outcome)


def _check_phase(phase: Phase, mode: Mode, *, correction: bool) -> None:
    allowed = (_CORRECTION_PHASES if correction else _FIRST_ENTRY_PHASES)[mode]
    if phase not in allowed:
        what = "corrections" if correction else "protocols"
        raise LifecycleError(
            f"{mode.value} {what} are not accepted while the event is in {phase} "
            f"(accepted in: {', '.join(sorted(allowed))})",
            code=PaperCode.PHASE,
        )
