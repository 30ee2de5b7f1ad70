"""Use cases that write an audit: plan, manifest, seed, draw (spec/audit.md §11-§13).

Every check that guards a write runs inside the transaction that writes, under the audit's row lock
(``state.load(lock=True)``); a refusal writes nothing and is kept in the audit log. The second factor is
an explicit input of each use case (``access.factor.Factor``: a member's one-time code on the pages, or
the local command line), checked and consumed in that same transaction (``written``), so a refused write
spends no code and a code cannot attest two writes; the audit row of the write says how it was attested.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, TypeVar

from saylau.audit import (
    CATEGORIES,
    DEFAULT_RISK_LIMIT,
    AuditPlan,
    BallotCounts,
    ContestPlan,
    Manifest,
    Seed,
    SizeEstimate,
    check_risk_limit,
    estimate_sizes,
)
from saylau.model import Conflict, InputError, LifecycleError, Phase, Problem, SaylauError, Territory
from saylau.services.access.factor import Factor, factor_kind, verify_factor
from saylau.services.audit.codes import AuditFlowCode
from saylau.services.audit.compare import estimators
from saylau.services.audit.contest_measure import (
    contest_draw,
    contest_first_size,
    contest_hand_count_payload,
    contest_measure,
)
from saylau.services.audit.contest_reported import (
    contest_audit,
    contest_figures_of,
    contest_manifest_text,
    contest_plan_text,
    election_contest,
)
from saylau.services.audit.copies import copies_fields
from saylau.services.audit.measure import draw, first_size, hand_count_payload, measure, to_count
from saylau.services.audit.parallel import targeted_in
from saylau.services.audit.record import AuditEvent, next_event
from saylau.services.audit.reported import (
    Figures,
    Published,
    figures_of,
    manifest_of,
    manifest_text,
    plan_of,
    plan_text,
    question_of,
    recorded_plan_text,
    sha256,
    totals,
)
from saylau.services.audit.state import Loaded, RoundDraws, load, readings_of
from saylau.services.context import Context
from saylau.services.lookup import load_event, require_territory
from saylau.store import EventRow, Tx
from saylau.store.audit_repo import AuditAlreadyPlanned, AuditTx, RecordRow

__all__ = [
    "AUDIT_PHASES",
    "DrawOutcome",
    "PlanOutcome",
    "SeedOutcome",
    "append_hand_count",
    "append_round",
    "check_operator",
    "draw_round",
    "enter_seed",
    "plan_audit",
    "publish_manifest",
    "written",
]

AUDIT_PHASES = (Phase.FINAL, Phase.CERTIFIED)
MAX_NAME = 128  # the audit tables' operator columns
Method = Literal["macro", "bravo", "comparison"]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PlanOutcome:
    event: str
    method: Method
    plan: AuditPlan | ContestPlan  # a referendum question's, or an election contest's (spec/audit.md §10a)
    plan_json: str  # the exact JSON whose SHA-256 the record holds
    estimates: tuple[SizeEstimate, ...]


@dataclass(frozen=True, slots=True)
class SeedOutcome:
    event: str
    entries: int  # 1: awaiting the second member; 2: the seed is in the record


@dataclass(frozen=True, slots=True)
class DrawOutcome:
    event: str
    round: int
    draws: RoundDraws
    to_count: tuple[str, ...]  # batches waiting for a hand count
    decision: str | None  # when nothing was left to count, the round was measured at once


def written(
    ctx: Context, code: str, action: str, details: dict[str, object], step: Callable[[Tx], T], factor: Factor
) -> T:
    """Run ``step`` in one write transaction, attest ``factor`` in it (after the step's locks: a member's
    code is checked and its step consumed there, so a refusal, of the code or of the step, rolls back
    both) and log it with how it was attested; a refusal is logged after the rollback."""
    now = ctx.clock()
    try:
        with ctx.store.transaction(write=True) as tx:
            out = step(tx)
            attested = verify_factor(tx, ctx, factor, ctx.actor, now, required=True)
            tx.audit(code, ctx.actor, action, "ok", details | attested, now)
            return out
    except SaylauError as exc:
        refused = details | {"code": exc.code, "error": exc.message[:2000], "factor": factor_kind(factor)}
        with ctx.store.transaction() as tx:
            tx.audit(code, ctx.actor, action, "refused", refused, now)
        raise


def append(tx: Tx, loaded: Loaded, events: list[tuple[AuditEvent, dict[str, object]]], now: dt.datetime) -> None:
    rows: list[RecordRow] = list(loaded.state.record)
    new = []
    for kind, payload in events:
        event = next_event(rows, kind, payload)
        rows.append(event)
        new.append(event)
    AuditTx(tx).append(loaded.audit.id, new, now)


def plan_audit(
    ctx: Context,
    code: str,
    *,
    risk_limit: Fraction = DEFAULT_RISK_LIMIT,
    method: Method = "macro",
    question: str | None = None,
    contest: str | None = None,
    factor: Factor,
) -> PlanOutcome:
    """Plan the audit of a final (or certified) event: the assertions and the expected sizes. ``contest``:
    a party-list or district contest of an election (spec/audit.md §3a, §11) instead of a question."""
    check_risk_limit(risk_limit)
    now = ctx.clock()
    if contest is not None and question is not None:
        raise InputError([Problem(rule="question_or_contest", message="a question or a contest, not both",
                                  field="contest")])  # fmt: skip

    def step(tx: Tx) -> PlanOutcome:
        row = load_event(tx, code)
        if row.phase not in AUDIT_PHASES:
            raise LifecycleError(
                f"{code} is in phase {row.phase.value}: an audit is planned once the results are final or certified",
                code=AuditFlowCode.AUDIT_PHASE,
                details={"phase": row.phase.value},
            )
        repo = AuditTx(tx)
        if repo.find(row.id, lock=True) is not None:
            raise Conflict(f"{code} already has an audit", code=AuditFlowCode.AUDIT_EXISTS)
        territory = require_territory(tx, row)
        if contest is not None:
            return _plan_contest(ctx, tx, row, territory, contest, method, risk_limit, now)
        q = question_of(row, question)
        figures = figures_of(tx, row, territory, q)
        plan = plan_of(row, territory, q, figures, risk_limit)
        text = plan_text(plan)
        try:
            audit_id = repo.create(row.id, q, method, _fraction(risk_limit), ctx.actor, now)
        except AuditAlreadyPlanned:
            raise Conflict(f"{code} already has an audit", code=AuditFlowCode.AUDIT_EXISTS) from None
        manifest = manifest_of(figures)
        if method == "bravo":
            first_size("bravo", Published(figures, manifest), plan)  # refuses an assertion polling cannot test
        counts: dict[str | None, BallotCounts] = {None: totals(figures)}
        counts |= {u: totals([f for f in figures if f.unit == u]) for u in {f.unit for f in figures}}
        sizing.append((plan, counts, manifest))
        payload: dict[str, object] = {
            "event": code,
            "question": q,
            "method": method,
            "risk_limit": _fraction(risk_limit),
            "preset": plan.preset,
            "preset_version": plan.preset_version,
            "plan_sha256": sha256(text),
            "hardest": plan.hardest.id if plan.hardest is not None else "",
        }
        AuditTx(tx).append(audit_id, [next_event([], AuditEvent.PLAN, payload)], now)
        return PlanOutcome(code, method, plan, text, ())

    # The expected sizes (the planner's searches: seconds at tight margins) are worked out after the plan's
    # transaction has committed: they are shown, never recorded, and no lock is held for them.
    sizing: list[tuple[AuditPlan, dict[str | None, BallotCounts], Manifest]] = []
    logged: dict[str, object] = {"method": method, "risk_limit": _fraction(risk_limit)}
    if contest is not None:
        logged["contest"] = contest
    outcome = written(ctx, code, "audit.plan", logged, step, factor)
    for plan, counts, manifest in sizing:  # a referendum question's (a contest's plan has its size already)
        outcome = dataclasses.replace(outcome, estimates=estimate_sizes(plan, counts, manifest))
    return outcome


def _plan_contest(
    ctx: Context,
    tx: Tx,
    row: EventRow,
    territory: Territory,
    name: str,
    method: Method,
    risk_limit: Fraction,
    now: dt.datetime,
) -> PlanOutcome:
    """The plan of an election contest (spec/audit.md §3a, §10a), in the plan's transaction."""
    code = row.referendum.code
    chosen = election_contest(row, name)
    if chosen is None:
        codes = [c.code for c in row.referendum.contests if election_contest(row, c.code) is not None]
        raise Conflict(
            f"{code} has no party-list or district contest {name!r} (contests: {', '.join(codes) or 'none'})",
            code=AuditFlowCode.AUDIT_STEP,
            details={"contest": name},
        )
    if method != "macro":
        raise Conflict(
            f"contest {name}: ballot polling of an election contest is not supported; use batch comparison",
            code=AuditFlowCode.NOT_POLLABLE,
            details={"contest": name},
        )
    audited = contest_audit(row, chosen, contest_figures_of(tx, row, territory, chosen), risk_limit)
    text = contest_plan_text(audited.plan)
    repo = AuditTx(tx)
    try:
        audit_id = repo.create(row.id, chosen.code, method, _fraction(risk_limit), ctx.actor, now)
    except AuditAlreadyPlanned:
        raise Conflict(f"{code} already has an audit", code=AuditFlowCode.AUDIT_EXISTS) from None
    n = contest_first_size(audited, risk_limit)
    estimates = (SizeEstimate("all", "batch_comparison", "batches", (("no_discrepancies", n),)),)
    payload: dict[str, object] = {
        "event": code,
        "contest": chosen.code,
        "kind": audited.plan.kind,
        "method": method,
        "risk_limit": _fraction(risk_limit),
        "preset": audited.plan.preset,
        "preset_version": audited.plan.preset_version,
        "plan_sha256": sha256(text),
        "hardest": audited.plan.hardest.id if audited.plan.hardest is not None else "",
    }
    repo.append(audit_id, [next_event([], AuditEvent.PLAN, payload)], now)
    return PlanOutcome(code, method, audited.plan, text, estimates)


def _fraction(f: Fraction) -> str:
    return f"{f.numerator}/{f.denominator}"


def publish_manifest(ctx: Context, code: str, *, factor: Factor) -> tuple[str, str]:
    """Publish the manifest (before the seed): its exact text and SHA-256. The plan rebuilt from it must
    be the plan recorded (the results have not changed since)."""
    now = ctx.clock()

    def step(tx: Tx) -> tuple[str, str]:
        loaded = load(tx, code, lock=True)
        if loaded.state.head != AuditEvent.PLAN:
            raise LifecycleError(f"the manifest of {code} is already published", code=AuditFlowCode.AUDIT_STEP)
        if loaded.contest is not None:
            return _contest_manifest(tx, loaded)
        figures = figures_of(tx, loaded.row, loaded.territory, loaded.audit.question)
        plan = plan_of(loaded.row, loaded.territory, loaded.audit.question, figures, loaded.risk_limit)
        if recorded_plan_text(plan, loaded.state.plan_sha256) is None:  # (an audit planned before `law` too)
            raise Conflict(
                f"the results of {code} changed since the audit was planned: the plan no longer matches",
                code=AuditFlowCode.RESULTS_CHANGED,
            )
        if loaded.audit.method == "comparison":  # the batches' cast-vote records (§18)
            figures = _with_cvrs(tx, loaded, figures)
        text = manifest_text(code, loaded.audit.question, figures)
        digest = sha256(text)
        AuditTx(tx).put_manifest(loaded.audit.id, text, digest, now)
        payload: dict[str, object] = {
            "sha256": digest,
            "batches": len(figures),
            "ballots": sum(f.counts.ballots for f in figures),
        }
        if loaded.audit.method == "comparison":  # the estimators, fixed before the seed (§18)
            published = Published(figures, manifest_of(figures))
            payload["estimators"] = [{"assertion": a, "eta0": _fraction(eta)} for a, eta in estimators(published, plan)]
        append(tx, loaded, [(AuditEvent.MANIFEST, payload)], now)
        return text, digest

    def _contest_manifest(tx: Tx, loaded: Loaded) -> tuple[str, str]:
        assert loaded.contest is not None
        audited = loaded.contest  # rebuilt from the current results (the manifest is not published yet)
        if sha256(contest_plan_text(audited.plan)) != loaded.state.plan_sha256:
            raise Conflict(
                f"the results of {code} changed since the audit was planned: the plan no longer matches",
                code=AuditFlowCode.RESULTS_CHANGED,
            )
        text = contest_manifest_text(code, audited.contest, audited.figures)
        digest = sha256(text)
        AuditTx(tx).put_manifest(loaded.audit.id, text, digest, now)
        payload: dict[str, object] = {
            "sha256": digest,
            "batches": len(audited.figures),
            "ballots": sum(f.counts.ballots for f in audited.figures),
        }
        append(tx, loaded, [(AuditEvent.MANIFEST, payload)], now)
        return text, digest

    return written(ctx, code, "audit.manifest", {}, step, factor)


def _with_cvrs(tx: Tx, loaded: Loaded, figures: tuple[Figures, ...]) -> tuple[Figures, ...]:
    """The manifest's figures with each batch's CVR hash; the stored records must still agree with them."""
    stored = {c.batch: c for c in AuditTx(tx).cvrs(loaded.audit.id)}
    out = []
    for f in figures:
        c = stored.get(f.batch)
        if c is not None:
            wrong = cvr_problems(readings_of(c.text), f)
            if wrong:
                raise Conflict(f"the cast-vote records of {f.batch} no longer agree with its protocol: {wrong[0]}",
                               code=AuditFlowCode.RESULTS_CHANGED)  # fmt: skip
        out.append(dataclasses.replace(f, cvr=c.sha256) if c is not None else f)
    return tuple(out)


def cvr_problems(readings: Sequence[str], figures: Figures) -> list[str]:
    """How stored cast-vote records disagree with a batch's figures (empty: they agree)."""
    if len(readings) != figures.counts.ballots:
        return [f"{len(readings)} ballots in its CVRs, {figures.counts.ballots} in the manifest"]
    return [
        f"{sum(1 for r in readings if r == c)} ballots read {c} in its CVRs, {figures.counts.get(c)} in the manifest"
        for c in CATEGORIES
        if sum(1 for r in readings if r == c) != figures.counts.get(c)
    ]


def check_operator(name: str) -> str:
    """A member's or operator's name as kept in the audit tables: 1 to 128 characters, not blank."""
    if not name.strip() or len(name) > MAX_NAME:
        raise InputError([Problem(rule="operator", message=f"a name of 1 to {MAX_NAME} characters", field="operator")])
    return name


def enter_seed(ctx: Context, code: str, digits: str, operator: str, *, factor: Factor) -> SeedOutcome:
    """One member's entry of the seed rolled in public; the second entry, by another member, must be
    equal to the first: then the seed is in the record. A mismatch is refused (nothing written)."""
    seed = Seed(digits)
    check_operator(operator)
    now = ctx.clock()

    def step(tx: Tx) -> SeedOutcome:
        loaded = load(tx, code, lock=True)
        if loaded.state.head != AuditEvent.MANIFEST:
            what = "the manifest is not published yet" if loaded.state.manifest_sha256 is None else "the seed is set"
            raise LifecycleError(f"{code}: {what}", code=AuditFlowCode.AUDIT_STEP)
        repo = AuditTx(tx)
        entries = repo.seed_entries(loaded.audit.id)
        if not entries:
            repo.add_seed_entry(loaded.audit.id, 1, operator, seed.digits, now)
            return SeedOutcome(code, 1)
        first = entries[0]
        if first.operator == operator:
            raise Conflict(
                f"{operator} made the first entry of the seed: the second comes from another member",
                code=AuditFlowCode.SEED_SAME_OPERATOR,
                details={"operator": operator},
            )
        if first.digits != seed.digits:
            raise Conflict(
                "the second entry of the seed differs from the first: nothing was entered; check the dice",
                code=AuditFlowCode.SEED_MISMATCH,
            )
        repo.add_seed_entry(loaded.audit.id, 2, operator, seed.digits, now)
        payload: dict[str, object] = {"seed": seed.digits, "operators": [first.operator, operator]}
        append(tx, loaded, [(AuditEvent.SEED, payload)], now)
        return SeedOutcome(code, 2)

    return written(ctx, code, "audit.seed", {"operator": operator}, step, factor)


def draw_round(ctx: Context, code: str, *, factor: Factor) -> DrawOutcome:
    """Draw the next round from the seed and the manifest (round 1 after the seed; a later round after a
    round that asked for one). A round with nothing left to count is measured at once."""
    now = ctx.clock()

    def step(tx: Tx) -> DrawOutcome:
        loaded = load(tx, code, lock=True)
        loaded.require_running()
        s = loaded.state
        if loaded.contest is not None:
            audited = loaded.require_contest()
            published = None
        else:
            published, plan = loaded.require_published()
        if s.seed is None:
            raise LifecycleError(f"{code}: the seed is not entered yet", code=AuditFlowCode.AUDIT_STEP)
        if s.open_round is not None:
            raise LifecycleError(
                f"{code}: round {s.open_round.round} is still being counted", code=AuditFlowCode.AUDIT_STEP
            )
        number = len(s.rounds) + 1
        if published is None:  # an election contest (MACRO)
            size = contest_first_size(audited, loaded.risk_limit) if not s.measured else s.measured[-1]["next_size"]
            drawn = contest_draw(s.seed, audited, size, s.draws_so_far() + 1)
        else:
            size = (
                first_size(loaded.audit.method, published, plan, s.estimators)
                if not s.measured
                else s.measured[-1]["next_size"]
            )
            drawn = draw(loaded.audit.method, s.seed, published, plan, size, s.draws_so_far() + 1)
        current = RoundDraws(number, drawn.first, drawn.batches, drawn.positions)
        listed: list[object] = (
            list(current.batches)
            if not current.positions
            else [[b, p] for b, p in zip(current.batches, current.positions, strict=True)]
        )
        first_macro = number == 1 and loaded.audit.method == "macro"
        targeted = _targeted(tx, loaded, published) if first_macro else []  # targeted batches (§13a)
        payload: dict[str, object] = {"round": number, "first": current.first, "draws": listed, "targeted": targeted}
        if first_macro:  # the copies they come from (§13a)
            payload |= copies_fields(tx, loaded.row)
        append(tx, loaded, [(AuditEvent.DRAW, payload)], now)
        after = load(tx, code)
        waiting = tuple(to_count(after, current))
        decision = None
        if not waiting:
            decision = append_round(tx, after, now)
        return DrawOutcome(code, number, current, waiting, decision)

    return written(ctx, code, "audit.draw", {}, step, factor)


def _targeted(tx: Tx, loaded: Loaded, published: Published | None) -> list[str]:
    """The manifest's batches where an observer's copy differs from the official protocol (§13a); for an
    election contest's audit, a copy that differs on the contest's figures."""
    if published is None:
        audited = loaded.require_contest()
        batches = {f.batch for f in audited.figures}
        found = targeted_in(tx, loaded.row, contest=audited.contest.code)
    else:
        batches = {f.batch for f in published.figures}
        found = targeted_in(tx, loaded.row)
    return sorted((p for p in found if p in batches), key=lambda b: b.encode("utf-8"))


def append_hand_count(tx: Tx, loaded: Loaded, now: dt.datetime) -> str:
    """Record the full hand count's result (§13b): ``stands`` or ``overturned``; the results unchanged."""
    payload = contest_hand_count_payload(loaded) if loaded.contest is not None else hand_count_payload(loaded)
    append(tx, loaded, [(AuditEvent.HAND_COUNT, payload)], now)
    return str(payload["outcome"])


def append_round(tx: Tx, loaded: Loaded, now: dt.datetime) -> str:
    """Measure the open round (all its batches counted) and record the decision (and the finish)."""
    m = contest_measure(loaded) if loaded.contest is not None else measure(loaded)
    number = len(loaded.state.rounds)
    risks = [
        {"assertion": r.assertion, "risk": repr(r.risk), "confirmed": "yes" if r.confirmed else "no"} for r in m.risks
    ]
    events: list[tuple[AuditEvent, dict[str, object]]] = [
        (
            AuditEvent.ROUND,
            {
                "round": number,
                "draws": loaded.state.draws_so_far(),
                "risks": risks,
                "decision": m.decision,
                "next_size": m.next_size,
                "targeted": [{"batch": b, "differs": "yes" if d else "no"} for b, d in m.targeted],
                "overturning": list(m.overturning),
            },
        )
    ]
    if m.decision != "next_round":
        outcome = "confirmed" if m.decision == "confirmed" else "full_hand_count"
        finish: dict[str, object] = {
            "outcome": outcome,
            "assertions": list(m.failing),
            "scopes": list(m.scopes),
            "batches": list(m.batches),
        }
        events.append((AuditEvent.FINISH, finish))
    append(tx, loaded, events, now)
    return m.decision
