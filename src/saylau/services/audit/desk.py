"""The audit's use cases as the commission pages call them: who may do what (spec/audit.md §15).

Central members plan, publish the manifest, enter the seed (two different central members) and draw;
central, regional and district members hand count the drawn batches (precincts) under their units; the
precinct commissions whose count is audited do not; observers and administrators read. Every action asks
for the member's one-time code (TOTP): the attempt is counted first (``factor.member_totp``), and the code
is checked and consumed by the use case inside the transaction that writes (``workflow.written``), so a
refused write spends no code; a refusal of access is kept in the audit log. The figures of a batch's
entries are shown, as on the protocol pages, only to whoever may not key it again: observers, and
central or district members (of the batch's units) who did not key it; the operators themselves see
their own state, never the other entry's figures.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from saylau.model import Conflict, InputError, LifecycleError, NotFound, Problem, Territory, UnitCode
from saylau.model.roles import Role
from saylau.services.access.accounts import AccessDenied, Account, may_act_on, may_see
from saylau.services.access.factor import MemberTotp, member_totp
from saylau.services.audit.codes import AuditFlowCode
from saylau.services.audit.contest_reported import election_contest
from saylau.services.audit.counting import (
    CountReport,
    Counts,
    contest_options,
    enter_rows,
    form_contest_counts,
    form_counts,
    form_readings,
)
from saylau.services.audit.cvr import CvrOutcome, enter_cvr
from saylau.services.audit.reading import (
    AuditView,
    BatchView,
    ContestSubject,
    audit_view,
    batch_json,
    entry_figures,
    public_json,
)
from saylau.services.audit.workflow import DrawOutcome, SeedOutcome, draw_round, enter_seed, plan_audit
from saylau.services.audit.workflow import publish_manifest as publish
from saylau.services.context import Context
from saylau.services.lookup import load_event, require_territory

__all__ = [
    "COUNTERS",
    "BatchForm",
    "DeskBatch",
    "DeskView",
    "batch_form_json",
    "desk_batch",
    "desk_cvr",
    "desk_draw",
    "desk_enter",
    "desk_json",
    "desk_manifest",
    "desk_plan",
    "desk_seed",
    "desk_view",
    "may_count",
    "may_direct",
]

COUNTERS = frozenset({Role.CENTRAL, Role.REGIONAL, Role.DISTRICT})  # who hand counts a drawn batch


@dataclass(frozen=True, slots=True)
class DeskBatch:
    """A drawn batch as one member sees it."""

    view: BatchView
    may_enter: bool  # may key an entry of it now
    keyed_by_me: bool
    sees_figures: bool  # may see the entries' figures (and so the differences of a mismatch)


@dataclass(frozen=True, slots=True)
class DeskView:
    audit: AuditView | None  # None: no audit planned yet
    event: str
    may_direct: bool  # plan, manifest, seed, draw
    batches: tuple[tuple[int, tuple[DeskBatch, ...]], ...]  # per round: the drawn batches, then the targeted
    contests: tuple[str, ...] = ()  # before the plan: the event's election contests one may audit (§11)
    has_question: bool = True  # before the plan: the event has a referendum question (the default subject)


@dataclass(frozen=True, slots=True)
class BatchForm:
    event: str
    round: int
    batch: DeskBatch
    method: str
    plan: dict[str, Any] | None = None  # an election contest's audit: its plan's facts (the options' names)


def may_direct(account: Account) -> bool:
    return account.role is Role.CENTRAL


def may_count(account: Account, territory: Territory, batch: str, event: str) -> bool:
    """A member of a counting role whose units (in ``event``) hold the batch's precinct."""
    return account.role in COUNTERS and may_act_on(account, territory, UnitCode(batch), event)


def _refuse(ctx: Context, account: Account, code: str, action: str, why: AuditFlowCode, words: str) -> AccessDenied:
    with ctx.store.transaction() as tx:
        tx.audit(code, account.name, action, "refused", {"reason": why}, ctx.clock())
    return AccessDenied(f"{account.name} ({account.role}) may not do this: {words}", details={"reason": why})


def _as(ctx: Context, account: Account) -> Context:
    return dataclasses.replace(ctx, actor=account.name)


def _desk_batch(account: Account, view: AuditView, b: BatchView, open_round: bool) -> DeskBatch:
    code = view.status.event
    keyed = account.name in b.operators and b.state not in ("accepted", "counted_before")
    counter = may_count(account, view.territory, b.batch, code)
    unit = UnitCode(b.batch)
    sees = account.role is Role.OBSERVER or (
        account.role in (Role.CENTRAL, Role.DISTRICT) and may_see(account, view.territory, unit, code) and not keyed
    )
    waiting = b.state in ("to_count", "awaiting_second", "mismatch")
    return DeskBatch(b, open_round and waiting and counter and not keyed, keyed, sees)


def desk_view(ctx: Context, account: Account, code: str) -> DeskView:
    """The commission's audit page of ``code`` for ``account`` (any signed-in account reads it)."""
    try:
        view = audit_view(ctx, code)
    except NotFound as exc:
        if exc.code != AuditFlowCode.NO_AUDIT:
            raise
        with ctx.store.transaction() as tx:
            row = load_event(tx, code)
        contests = tuple(c.code for c in row.referendum.contests if election_contest(row, c.code) is not None)
        questions = len(row.referendum.contests) > len(contests)  # the other contests are questions
        return DeskView(None, code, may_direct(account), (), contests, questions)
    running = view.finish is None
    last = len(view.rounds)
    rounds = tuple(
        (
            r.round,
            tuple(
                _desk_batch(account, view, b, running and r.round == last and r.decision is None)
                for b in (*r.batches, *r.targeted)
            ),
        )
        for r in view.rounds
    )
    return DeskView(view, code, may_direct(account), rounds)


def _direct(ctx: Context, account: Account, code: str, action: str) -> None:
    if not may_direct(account):
        raise _refuse(ctx, account, code, action, AuditFlowCode.AUDIT_CENTRAL_ONLY, "central members only")


def _factor(ctx: Context, account: Account, code: str, action: str, totp: str) -> MemberTotp:
    """The member's code as the use case's factor, the attempt counted (a wrong code stays counted)."""
    return member_totp(ctx, account.name, totp, action, code)


def desk_plan(
    ctx: Context, account: Account, code: str, risk_limit: str, method: str, totp: str, contest: str = ""
) -> None:
    """Plan the audit (central, TOTP): the risk limit as a decimal or a fraction, the method, and what is
    audited (``contest``: an election contest's code; "": the event's first question)."""
    _direct(ctx, account, code, "audit.plan")
    methods: dict[str, Literal["macro", "bravo", "comparison"]] = {"macro": "macro", "bravo": "bravo",
                                                                   "comparison": "comparison"}  # fmt: skip
    if method not in methods:
        raise InputError([Problem(rule="method", message="macro, bravo or comparison", field="method")])
    chosen = methods[method]
    try:
        limit = Fraction(risk_limit.strip()[:32])
    except (ValueError, ZeroDivisionError):
        raise InputError([Problem(rule="risk_limit", message="a number such as 0.05", field="risk_limit")]) from None
    factor = _factor(ctx, account, code, "audit.plan", totp)
    chosen_contest = contest.strip()[:64] or None
    plan_audit(_as(ctx, account), code, risk_limit=limit, method=chosen, contest=chosen_contest, factor=factor)


def desk_manifest(ctx: Context, account: Account, code: str, totp: str) -> str:
    """Publish the manifest (central, TOTP); its SHA-256."""
    _direct(ctx, account, code, "audit.manifest")
    factor = _factor(ctx, account, code, "audit.manifest", totp)
    return publish(_as(ctx, account), code, factor=factor)[1]


def desk_cvr(ctx: Context, account: Account, code: str, unit: str, data: bytes | None, totp: str) -> CvrOutcome:
    """One precinct's cast-vote records, uploaded (central, TOTP), before the manifest of a comparison audit
    (spec/audit.md §18): the same checks as ``saylau audit cvr``, all or nothing."""
    _direct(ctx, account, code, "audit.cvr")
    if data is None or not data:
        raise InputError([Problem(rule="required", message="choose the precinct's cast-vote records file",
                                  field="cvr")])  # fmt: skip
    factor = _factor(ctx, account, code, "audit.cvr", totp)
    return enter_cvr(_as(ctx, account), code, unit.strip()[:64], data, "upload", factor=factor)


def desk_seed(ctx: Context, account: Account, code: str, digits: str, totp: str) -> SeedOutcome:
    """One central member's entry of the seed (TOTP); the second member's must agree."""
    _direct(ctx, account, code, "audit.seed")
    factor = _factor(ctx, account, code, "audit.seed", totp)
    return enter_seed(_as(ctx, account), code, digits.strip()[:64], account.name, factor=factor)


def desk_draw(ctx: Context, account: Account, code: str, totp: str) -> DrawOutcome:
    _direct(ctx, account, code, "audit.draw")
    factor = _factor(ctx, account, code, "audit.draw", totp)
    return draw_round(_as(ctx, account), code, factor=factor)


def desk_batch(ctx: Context, account: Account, code: str, batch: str) -> BatchForm:
    """The hand-count form of a drawn batch of the open round (anyone who may see the precinct)."""
    desk = desk_view(ctx, account, code)
    with ctx.store.transaction() as tx:
        territory = require_territory(tx, load_event(tx, code))
    if UnitCode(batch) not in territory or not may_see(account, territory, UnitCode(batch), code):
        raise _refuse(
            ctx, account, code, "audit.view", AuditFlowCode.AUDIT_OUTSIDE_UNITS, "the batch is outside your units"
        )
    if desk.audit is None:
        raise NotFound(f"{code} has no audit", code=AuditFlowCode.NO_AUDIT)
    if not desk.batches:
        raise LifecycleError(f"{code}: no round of its audit is drawn yet", code=AuditFlowCode.AUDIT_STEP)
    number, batches = desk.batches[-1]
    found = next((b for b in batches if b.view.batch == batch), None)
    if found is None:
        raise Conflict(f"{batch} is not drawn in round {number}", code=AuditFlowCode.BATCH_NOT_OPEN)
    plan = public_json(desk.audit)["plan"] if isinstance(desk.audit.subject, ContestSubject) else None
    return BatchForm(code, number, found, desk.audit.status.method, plan)


def desk_enter(
    ctx: Context, account: Account, code: str, batch: str, figures: Mapping[str, str], totp: str
) -> CountReport:
    """One operator's hand count of one batch (a counting member of its units, TOTP), by the rules of
    ``saylau audit enter``'s file (one row): the count's blind double entry decides."""
    with ctx.store.transaction() as tx:
        territory = require_territory(tx, load_event(tx, code))
    if not may_count(account, territory, batch, code):
        why = "central, regional or district members of the batch's units"
        raise _refuse(ctx, account, code, "audit.enter", AuditFlowCode.AUDIT_NOT_COUNTER, why)
    options = contest_options(ctx, code)  # an election contest's audit: its options' fields (§11)
    # parsed, never written into a file's text: no row can be smuggled; a comparison round's form reads each
    # drawn ballot (``reading_<position>``, spec/audit.md §18), any other the batch's counts
    read = any(k.startswith("reading_") for k in figures)
    counts: Counts
    if read:
        counts = form_readings(figures, batch, "form")
    elif options is None:
        counts = form_counts(figures, "form")
    else:
        counts = form_contest_counts(figures, "form", options)
    factor = _factor(ctx, account, code, "audit.enter", totp)
    return enter_rows(_as(ctx, account), code, [(1, batch, counts)], "form", account.name, factor=factor)


def desk_json(desk: DeskView) -> dict[str, Any]:
    """The commission page's values: the public facts, and per batch what this member may do and see
    (an entry's figures and the differences of a mismatch only for whoever ``sees_figures``)."""
    if desk.audit is None:
        return {"event": desk.event, "audit": None, "may_direct": desk.may_direct, "contests": list(desk.contests),
                "has_question": desk.has_question}  # fmt: skip
    facts = public_json(desk.audit)
    facts["seed_first"] = desk.audit.seed_first
    facts["may_direct"] = desk.may_direct
    facts["audit"] = True
    for r, (_, batches) in zip(facts["rounds"], desk.batches, strict=True):
        drawn = len(r["batches"])
        r["batches"] = [_batch_desk(b) for b in batches[:drawn]]
        if "targeted" in r:  # §13a: round 1's targeted batches, after the drawn ones
            r["targeted"] = [_batch_desk(b) for b in batches[drawn:]]
    return facts


def _batch_desk(b: DeskBatch) -> dict[str, Any]:
    out = batch_json(b.view)
    out["may_enter"] = b.may_enter
    out["keyed_by_me"] = b.keyed_by_me
    out["sees_figures"] = b.sees_figures
    out["entered_by"] = list(b.view.operators)
    out["entries"] = (
        [{"operator": e.operator, **entry_figures(e, b.view.options)} for e in b.view.entries] if b.sees_figures else []
    )
    out["differences"] = (
        [{"field": f, "values": list(v)} for f, v in b.view.differences()]
        if b.sees_figures and b.view.state == "mismatch"
        else []
    )
    return out


def batch_form_json(form: BatchForm) -> dict[str, Any]:
    """The hand-count form's values: the batch as this member may see it (no reported figures, which the
    counters do not need, and another entry's figures only for whoever ``sees_figures``)."""
    b = _batch_desk(form.batch)
    fields = list(b.pop("reported"))  # the form's fields: a question's four, or a contest's options and invalid
    b.pop("discrepancy")
    out = {"event": form.event, "round": form.round, "method": form.method, "batch": b, "fields": fields}
    if form.plan is not None:  # an election contest's audit: its plan names the options (§15)
        out["plan"] = form.plan
    return out
