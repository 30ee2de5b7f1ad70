"""Decide one question under a preset version: validity, approval, and an explanation citing each rule.

Pure and exact: counts are ints, shares and unit weights are ``Fraction``; nothing is ever a float.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from saylau.model.ids import QuestionCode
from saylau.model.numbers import number_str, percent_beside
from saylau.model.outcome import Outcome
from saylau.model.tally import Tally, UnitRow
from saylau.rules.types import ROUNDINGS, Condition, Op, PresetVersion, Quantity, Rounding, SettingRef, Settings

__all__ = ["Check", "decide", "describe", "evaluate", "quantity", "threshold_str"]

_DEN_NOUN: Mapping[Quantity, str] = {
    "registered": "registered voters",
    "participants": "participants",
    "yes": "Yes votes",
    "no": "No votes",
    "valid": "valid votes (Yes + No)",
    "not_counted": "ballots not counted",
    "invalid": "invalid ballots",
}
_NEGATED: Mapping[Op, str] = {">": "≤", ">=": "<"}


@dataclass(frozen=True, slots=True)
class Check:
    """A condition evaluated. National: ``share`` (None if the denominator is 0). Units: the weights."""

    condition: Condition
    holds: bool
    den: Quantity
    share: Fraction | None = None
    units_yes: Fraction | None = None
    units_total: Fraction | None = None
    units_required: Fraction | None = None


def quantity(tally: Tally, name: Quantity) -> int:
    match name:
        case "registered":
            return tally.registered
        case "participants":
            return tally.participated
        case "yes":
            return tally.yes
        case "no":
            return tally.no
        case "valid":
            return tally.valid
        case "not_counted":
            return tally.not_counted
        case "invalid":
            return tally.invalid


def _compare(left: Fraction, op: Op, right: Fraction) -> bool:
    match op:
        case ">":
            return left > right
        case ">=":
            return left >= right


def _share(tally: Tally, num: Quantity, den: Quantity) -> Fraction | None:
    d = quantity(tally, den)
    return Fraction(quantity(tally, num), d) if d else None


def _rounded(value: Fraction, rounding: Rounding) -> Fraction:
    match rounding:
        case "ceil":
            return Fraction(math.ceil(value))
        case "floor":
            return Fraction(math.floor(value))
        case "exact":
            return value


def _den(cond: Condition, settings: Settings) -> Quantity:
    return _resolve_quantity(cond.den, settings)


def _resolve_quantity(value: Quantity | SettingRef, settings: Settings) -> Quantity:
    if isinstance(value, SettingRef):
        chosen = settings[value.setting]
        for q in _DEN_NOUN:
            if q == chosen:
                return q
        raise ValueError(f"setting {value.setting} = {chosen!r} is not a quantity")  # prevented by the parser
    return value


def evaluate(cond: Condition, settings: Settings, national: Tally, units: Sequence[UnitRow]) -> Check:
    den = _den(cond, settings)
    if cond.scope == "national":
        share = _share(national, cond.num, den)
        holds = share is not None and _compare(share, cond.op, cond.threshold)
        return Check(cond, holds, den, share=share)
    rounding: Rounding = "exact"
    if isinstance(cond.rounding, SettingRef):
        chosen = settings[cond.rounding.setting]
        rounding = next(r for r in ROUNDINGS if r == chosen)
    else:
        rounding = cond.rounding
    total = sum((row.weight for row in units if row.weight > 0), Fraction(0))
    passed = Fraction(0)
    for row in units:
        share = _share(row.tally, cond.num, den)
        if row.weight > 0 and share is not None and _compare(share, cond.op, cond.threshold):
            passed += row.weight
    required = _rounded((cond.quota or Fraction(0)) * total, rounding)
    holds = total > 0 and _compare(passed, cond.quota_op, required)
    return Check(cond, holds, den, units_yes=passed, units_total=total, units_required=required)


def decide(
    version: PresetVersion,
    settings: Mapping[str, str],
    question: QuestionCode,
    national: Tally,
    units: Sequence[UnitRow],
) -> Outcome:
    """The outcome of ``question``: ``national`` is the whole country (abroad included); ``units`` are
    the rows of the regional-majority test (weight 1, 1/2 for a half canton, 0 for a non-unit row)."""
    resolved = version.resolve_settings(settings)
    validity = [evaluate(c, resolved, national, units) for c in version.validity if resolved.matches(c.when)]
    approval = [evaluate(c, resolved, national, units) for c in version.approval if resolved.matches(c.when)]
    valid = all(c.holds for c in validity)
    if version.approval_mode == "all":
        passes = all(c.holds for c in approval)
    else:  # "reject_if_all": rejected only when every rejection condition holds (Ireland Art. 47.2)
        passes = not (approval and all(c.holds for c in approval))
    adopted = valid and passes
    base = _yes_share_base(version, resolved, approval)
    unit_check = _unit_check(approval)
    return Outcome(
        question=question,
        preset=version.preset,
        preset_version=version.id,
        valid=valid,
        adopted=adopted,
        turnout=_share(national, "participants", "registered") or Fraction(0),
        yes_share=_share(national, "yes", base) or Fraction(0),
        yes_share_base=base,
        units_yes=unit_check.units_yes if unit_check else None,
        units_total=unit_check.units_total if unit_check else None,
        units_required=unit_check.units_required if unit_check else None,
        explanation=_explain(version, valid, adopted, validity, approval),
    )


def _yes_share_base(version: PresetVersion, settings: Settings, approval: Sequence[Check]) -> Quantity:
    if version.yes_share_base is not None:
        return _resolve_quantity(version.yes_share_base, settings)
    for check in approval:
        if check.condition.scope == "national" and check.condition.num == "yes":
            return check.den
    return "valid"


def _unit_check(approval: Sequence[Check]) -> Check | None:
    units = [c for c in approval if c.condition.scope == "units"]
    return next((c for c in units if c.condition.num == "yes"), units[0] if units else None)


def threshold_str(value: Fraction) -> str:
    """50% -> "50%", 1/4 -> "25%", 1/3 -> "1/3" (no short decimal form)."""
    if (value * 100 * 10**4).denominator == 1:
        return number_str(value * 100) + "%"
    return f"{value.numerator}/{value.denominator}"


def describe(check: Check) -> str:
    cond = check.condition
    if cond.scope == "units":
        units_yes, total = check.units_yes or Fraction(0), check.units_total or Fraction(0)
        required = check.units_required or Fraction(0)
        need = "more than " if cond.quota_op == ">" else ""
        if required.denominator != 1 and (required * 10**4).denominator != 1:
            need = "more than " if cond.quota_op == ">" else "at least "
            need_text = f"{need}{required.numerator}/{required.denominator}"
        else:
            need_text = f"{need}{number_str(required)}"
        return (
            f"{cond.label} in {number_str(units_yes)} of {number_str(total)} units, "
            f"{need_text} required ({cond.source})"
        )
    noun = _DEN_NOUN[check.den]
    if check.share is None:
        return f"no {noun} to take a share of, so {cond.label} is not met ({cond.source})"
    symbol = cond.op if check.holds else _NEGATED[cond.op]
    shown = percent_beside(check.share, cond.threshold)
    return f"{shown} {cond.label} {symbol} {threshold_str(cond.threshold)} of {noun} ({cond.source})"


def _explain(
    version: PresetVersion, valid: bool, adopted: bool, validity: Sequence[Check], approval: Sequence[Check]
) -> tuple[str, ...]:
    if validity:
        head = "valid: " if valid else "not valid: "
        first = head + "; ".join(describe(c) for c in validity)
    else:
        cite = version.sources[0].cite if version.sources else version.label
        first = f"valid: no turnout quorum applies ({cite})"
    body = "; ".join(describe(c) for c in approval)
    if not valid:
        second = f"not adopted: the vote is not valid, so the question fails whatever the votes ({body})"
    elif version.approval_mode == "all":
        second = ("adopted: " if adopted else "not adopted: ") + body
    elif adopted:
        second = f"adopted: it is rejected only if all of these hold, and not all do: {body}"
    else:
        second = f"not adopted: rejected, as all of these hold: {body}"
    return (first, second)
