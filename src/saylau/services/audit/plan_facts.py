"""The audit plan as the pages and ``audit.json`` show it (spec/audit.md §15): each assertion with the
planner's English statement and the terms beside it that the pages say it from in kk, ru and en
(``publish.site.audit_words``), its unit's names, and why the hardest is hardest."""

from __future__ import annotations

from typing import Any

from saylau.audit import AuditPlan
from saylau.model import Territory, UnitCode

__all__ = ["plan_facts"]


def _names(territory: Territory | None, unit: str | None) -> dict[str, str]:
    """A unit's names by language ({} for the nation, or a unit the territory does not name)."""
    if territory is None or unit is None or unit not in territory:
        return {}
    return dict(territory[UnitCode(unit)].names)


def plan_facts(plan: AuditPlan, territory: Territory | None) -> dict[str, Any]:
    """The plan as the pages show it (``public_json``'s ``plan`` but its SHA-256): each assertion with
    the planner's English statement and the terms the pages say it from in kk/ru/en (§15)."""
    assertions = [
        {
            "id": a.id,
            "statement": a.statement,
            "unit": a.unit,
            "method": a.method,
            "margin": f"{a.margin.numerator}/{a.margin.denominator}",
            "margin_percent": round(float(a.margin) * 100, 2),
            "trivial": a.trivial,
            "terms": {
                "num": a.num,
                "den": a.den,
                "op": a.op,
                "threshold": f"{a.threshold.numerator}/{a.threshold.denominator}",
                "holds": a.condition_holds,
            },
            "unit_names": _names(territory, a.unit),
        }
        for a in plan.assertions
    ]
    return {
        "preset": plan.preset,
        "valid": plan.valid,
        "adopted": plan.adopted,
        "assertions": assertions,
        "hardest": plan.hardest.id if plan.hardest is not None else None,
        "why_hardest": plan.why_hardest,
    }
