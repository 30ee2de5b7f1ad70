"""The JSON form of an :class:`AuditPlan` (spec/audit.md §10), for the CLI's ``--json``, the pages and the record.

As ``rules.outcome_json``: margins are decimal strings rounded half-even to 10 places with the exact fraction
beside them; coefficients, thresholds and assorter values are exact fractions ("1/2"); no float.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from saylau.audit.assertions import Assertion
from saylau.audit.plan import AuditPlan, LawCondition, PlanLaw
from saylau.model.numbers import decimal_str, fraction_str

__all__ = ["assertion_json", "law_json", "plan_json"]

_PLACES = 10


def assertion_json(a: Assertion) -> dict[str, Any]:
    return {
        "id": a.id,
        "condition": a.condition,
        "unit": a.unit,
        "method": a.method,
        "statement": a.statement,
        "condition_holds": a.condition_holds,
        "trivial": a.trivial,
        "margin": decimal_str(a.margin, _PLACES),
        "margin_exact": fraction_str(a.margin),
        "claim": {
            "coefficients": {c: fraction_str(v) for c, v in a.claim.coefficients},
            "k": fraction_str(a.claim.k),
            "ballots": a.claim.ballots,
        },
        "assorter": None if a.assorter is None else {c: fraction_str(v) for c, v in a.assorter.values},
        "reason": a.reason,
    }


def _condition_json(c: LawCondition) -> dict[str, Any]:
    cond, units = c.condition, c.condition.scope == "units"
    return {
        "id": cond.id,
        "group": c.group,
        "label": cond.label,
        "source": cond.source,
        "scope": cond.scope,
        "num": cond.num,
        "den": c.den,
        "op": cond.op,
        "threshold": fraction_str(cond.threshold),
        "quota": fraction_str(cond.quota or Fraction(0)) if units else None,
        "quota_op": cond.quota_op if units else None,
        "rounding": c.rounding if units else None,
    }


def law_json(law: PlanLaw) -> dict[str, Any]:
    """The conditions the outcome rests on (spec/audit.md §10 ``law``): a verifier derives the assertions."""
    return {
        "approval_mode": law.approval_mode,
        "unit_choice": law.unit_choice,
        "conditions": [_condition_json(c) for c in law.conditions],
        "units": [{"unit": u, "weight": fraction_str(w)} for u, w in law.units],
    }


def plan_json(plan: AuditPlan) -> dict[str, Any]:
    law = {} if plan.law is None else {"law": law_json(plan.law)}
    return law | {
        "question": plan.question,
        "preset": plan.preset,
        "preset_version": plan.preset_version,
        "valid": plan.valid,
        "adopted": plan.adopted,
        "risk_limit": fraction_str(plan.risk_limit),
        "assertions": [assertion_json(a) for a in plan.assertions],
        "hardest": plan.hardest.id if plan.hardest else None,
        "why_hardest": plan.why_hardest,
    }
