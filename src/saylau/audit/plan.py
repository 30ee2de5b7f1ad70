"""An audit plan for one question: the reported outcome decomposed into assertions (spec/audit.md §3).

The outcome is decided by ``saylau.rules.decide``; each condition that the outcome rests on gives a set
of assertions, and confirming every assertion of the plan confirms the outcome:

- adopted under ``approval_mode = "all"``: every validity and every approval condition holds;
- not adopted: one failing condition suffices (a failing validity condition, or under ``"all"`` a failing
  approval condition; under ``"reject_if_all"`` all rejection conditions holding) — the plan takes the
  route whose hardest assertion has the widest margin (the cheapest sound route);
- a regional (double) majority (``scope = "units"``): the units whose results decide the count of units.
  A set of units is audited whose weight alone meets the quota (for a reported pass), or whose failing
  weight alone makes the quota unreachable (for a reported fail): then flipping the outcome needs a wrong
  result in an audited unit. ``UnitChoice`` "widest" (default) picks the units with the widest margins first,
  the smallest sound audit; "tightest" picks the tightest first; "all" audits every unit on the decisive side.

Each assertion is tested at the risk limit; the outcome is confirmed when all are (the intersection: if
the outcome is wrong, some assertion is false, and its test confirms it with probability ≤ α).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Literal, assert_never

from saylau.audit.assertions import Assertion, share_assertion
from saylau.audit.codes import AuditCode
from saylau.audit.errors import AuditError
from saylau.model.ids import QuestionCode
from saylau.model.numbers import number_str, percent
from saylau.model.tally import Tally, UnitRow
from saylau.rules.decide import Check, decide, evaluate
from saylau.rules.types import (
    QUANTITIES,
    ROUNDINGS,
    ApprovalMode,
    Condition,
    PresetVersion,
    Quantity,
    Rounding,
    SettingRef,
    Settings,
)

__all__ = [
    "DEFAULT_RISK_LIMIT",
    "AuditPlan",
    "LawCondition",
    "PlanLaw",
    "UnitChoice",
    "check_risk_limit",
    "plan_question",
]

DEFAULT_RISK_LIMIT = Fraction(1, 20)
UnitChoice = Literal["widest", "tightest", "all"]


@dataclass(frozen=True, slots=True)
class LawCondition:
    """A preset condition that applies under the event's settings, its setting references resolved (§10)."""

    group: Literal["validity", "approval"]
    condition: Condition
    den: Quantity
    rounding: Rounding


@dataclass(frozen=True, slots=True)
class PlanLaw:
    """What the outcome rests on, for a verifier to derive the assertions from (spec/audit.md §3, §10): the
    conditions that apply, how approval is decided, the unit choice and the units of a regional majority."""

    approval_mode: ApprovalMode
    unit_choice: UnitChoice
    conditions: tuple[LawCondition, ...]
    units: tuple[tuple[str, Fraction], ...]  # (unit, weight), by the units' codes' UTF-8 bytes


@dataclass(frozen=True, slots=True)
class AuditPlan:
    """The assertions to audit, tightest first; ``hardest`` is the first sampled one (None: none sampled)."""

    question: str
    preset: str
    preset_version: str
    valid: bool
    adopted: bool
    risk_limit: Fraction
    assertions: tuple[Assertion, ...]
    hardest: Assertion | None
    why_hardest: str
    law: PlanLaw | None = None  # a question's plan: the conditions its assertions come from


def check_risk_limit(risk_limit: Fraction) -> Fraction:
    if not 0 < risk_limit < 1:
        raise AuditError(
            f"a risk limit must be strictly between 0 and 1, not {risk_limit}",
            code=AuditCode.BAD_RISK_LIMIT,
            details={"risk_limit": str(risk_limit)},
        )
    return risk_limit


def plan_question(
    version: PresetVersion,
    settings: Mapping[str, str],
    question: QuestionCode,
    national: Tally,
    units: Sequence[UnitRow],
    *,
    risk_limit: Fraction = DEFAULT_RISK_LIMIT,
    unit_choice: UnitChoice = "widest",
) -> AuditPlan:
    """The audit plan of ``question`` as ``rules.decide`` decides it on these counts."""
    check_risk_limit(risk_limit)
    resolved = version.resolve_settings(settings)
    outcome = decide(version, settings, question, national, units)
    validity = [evaluate(c, resolved, national, units) for c in version.validity if resolved.matches(c.when)]
    approval = [evaluate(c, resolved, national, units) for c in version.approval if resolved.matches(c.when)]
    sets = _Builder(resolved, national, units, unit_choice)
    if not outcome.valid:
        chosen = sets.cheapest([sets.of(c) for c in validity if not c.holds])
    else:
        chosen = [a for c in validity for a in sets.of(c)]
        chosen += _approval_route(version, outcome.adopted, approval, sets)
    ordered = tuple(sorted(chosen, key=_tightness))
    hardest = next((a for a in ordered if a.method == "sample" and not a.trivial), None)
    return AuditPlan(
        question=question,
        preset=version.preset,
        preset_version=version.id,
        valid=outcome.valid,
        adopted=outcome.adopted,
        risk_limit=risk_limit,
        assertions=ordered,
        hardest=hardest,
        why_hardest=_why_hardest(hardest, ordered),
        law=_law(version, resolved, units, unit_choice),
    )


def _law(version: PresetVersion, resolved: Settings, units: Sequence[UnitRow], choice: UnitChoice) -> PlanLaw:
    def applied(group: Literal["validity", "approval"], conds: Sequence[Condition]) -> list[LawCondition]:
        return [
            LawCondition(group, c, _resolved_den(c, resolved), _resolved_rounding(c, resolved))
            for c in conds
            if resolved.matches(c.when)
        ]

    conditions = (*applied("validity", version.validity), *applied("approval", version.approval))
    rows = sorted(((r.unit, r.weight) for r in units), key=lambda row: row[0].encode("utf-8"))
    return PlanLaw(version.approval_mode, choice, conditions, tuple(rows))


def _resolved_den(cond: Condition, settings: Settings) -> Quantity:
    if isinstance(cond.den, SettingRef):
        chosen = settings[cond.den.setting]
        return next(q for q in QUANTITIES if q == chosen)  # the parser allows quantities only
    return cond.den


def _resolved_rounding(cond: Condition, settings: Settings) -> Rounding:
    if isinstance(cond.rounding, SettingRef):
        chosen = settings[cond.rounding.setting]
        return next(r for r in ROUNDINGS if r == chosen)  # the parser allows roundings only
    return cond.rounding


def _approval_route(version: PresetVersion, adopted: bool, approval: Sequence[Check], b: _Builder) -> list[Assertion]:
    mode = version.approval_mode
    match mode:
        case "all":
            if adopted:
                return [a for c in approval for a in b.of(c)]
            return b.cheapest([b.of(c) for c in approval if not c.holds])
        case "reject_if_all":
            if adopted:  # not all rejection conditions hold: one that fails suffices
                return b.cheapest([b.of(c) for c in approval if not c.holds])
            return [a for c in approval for a in b.of(c)]
        case _:
            assert_never(mode)


def _tightness(a: Assertion) -> tuple[int, Fraction, str]:
    return (1 if a.trivial else 0, a.margin, a.id)


def _why_hardest(hardest: Assertion | None, ordered: Sequence[Assertion]) -> str:
    if hardest is None:
        return "nothing needs a sample: every assertion holds whatever the ballots say or is a reconciliation"
    where = f" in unit {hardest.unit}" if hardest.unit else ""
    others = sum(1 for a in ordered if a.method == "sample" and not a.trivial) - 1
    return (
        f"{hardest.statement}{where} has the smallest diluted margin, {percent(hardest.margin)}: the sample "
        f"size grows as 1/margin, so it sets the size of the audit; the {others} other sampled assertion(s) "
        "are confirmed by fewer ballots"
    )


class _Builder:
    """The assertions of one condition as reported (holding or failing)."""

    def __init__(self, settings: Settings, national: Tally, units: Sequence[UnitRow], choice: UnitChoice):
        self.settings, self.national, self.units, self.choice = settings, national, units, choice

    def of(self, check: Check) -> list[Assertion]:
        cond = check.condition
        if cond.scope == "national":
            reason = f"the reported outcome needs this ({cond.label}, {cond.source})"
            return [self._one(cond, check, None, self.national, reason)]
        return self._units(cond, check)

    @staticmethod
    def cheapest(routes: Sequence[list[Assertion]]) -> list[Assertion]:
        """The route whose tightest assertion has the widest margin (a route with none is free)."""
        if not routes:
            raise AuditError("a failing outcome with no failing condition", code=AuditCode.AUDIT)
        return max(routes, key=lambda r: min((a.margin for a in r if not a.trivial), default=Fraction(2)))

    def _one(self, cond: Condition, check: Check, unit: str | None, tally: Tally, reason: str) -> Assertion:
        return share_assertion(
            id=f"{cond.id}:{unit}" if unit else cond.id,
            condition=cond.id,
            unit=unit,
            num=cond.num,
            den=check.den,
            f=cond.threshold,
            op=cond.op,
            tally=tally,
            reason=reason,
        )

    def _units(self, cond: Condition, check: Check) -> list[Assertion]:
        total = check.units_total or Fraction(0)
        required = check.units_required or Fraction(0)
        rows = [r for r in self.units if r.weight > 0]
        every = {r.unit: self._one(cond, check, r.unit, r.tally, "") for r in rows}
        side = [r for r in rows if every[r.unit].condition_holds == check.holds]
        order = {"widest": -1, "tightest": 1, "all": -1}[self.choice]
        side.sort(key=lambda r: (order * every[r.unit].margin, r.unit))
        picked: list[UnitRow] = []
        weight = Fraction(0)
        for row in side:
            if self.choice != "all" and _enough(cond, check.holds, weight, total, required):
                break
            picked.append(row)
            weight += row.weight
        quota = f"the quota of {number_str(required)} of {number_str(total)}"
        need = f"meet {quota}" if check.holds else f"make {quota} unreachable"
        out = []
        for row in picked:
            a = every[row.unit]
            reason = (
                f"{cond.label} ({cond.source}): one of {len(picked)} units of weight {number_str(weight)} whose "
                f"results alone {need}; reported " + a.reason.removeprefix("; reported ")
            )
            out.append(replace(a, reason=reason))
        return out


def _enough(cond: Condition, holds: bool, weight: Fraction, total: Fraction, required: Fraction) -> bool:
    def meets(w: Fraction) -> bool:
        return w > required if cond.quota_op == ">" else w >= required

    return meets(weight) if holds else not meets(total - weight)
