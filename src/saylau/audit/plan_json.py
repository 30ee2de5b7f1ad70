"""The JSON form of an :class:`AuditPlan` (spec/audit.md §10), for the CLI's ``--json``, the pages and the record.

As ``rules.outcome_json``: margins are decimal strings rounded half-even to 10 places with the exact fraction
beside them; coefficients, thresholds and assorter values are exact fractions ("1/2"); no float.
"""

from __future__ import annotations

from typing import Any

from saylau.audit.assertions import Assertion
from saylau.audit.plan import AuditPlan
from saylau.model.numbers import decimal_str, fraction_str

__all__ = ["assertion_json", "plan_json"]

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


def plan_json(plan: AuditPlan) -> dict[str, Any]:
    return {
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
