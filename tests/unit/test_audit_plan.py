"""Assertions from the law's outcome (spec/audit.md §3): each preset condition kind becomes its assertion."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from saylau.audit import AuditError, plan_json, plan_question
from saylau.model.canonical import CanonicalProfile, canonical_json
from saylau.model.ids import QuestionCode
from saylau.model.tally import Tally, UnitRow
from saylau.rules import load_preset

Q = QuestionCode("Q1")


def _version(name: str):  # type: ignore[no-untyped-def]
    return load_preset(name).versions[0]


def test_kz_2022_needs_the_turnout_reconciliation_the_national_yes_and_twelve_units() -> None:
    national = Tally(11_734_642, 7_985_769, 6_163_516, 1_483_150, 0, 339_103)
    units = [UnitRow(f"U{i:02d}", Tally(600_000, 400_000, 250_000 + 5_000 * i, 140_000 - 5_000 * i, 0, 10_000))
             for i in range(17)]  # fmt: skip
    plan = plan_question(_version("kz-constitutional"), {}, Q, national, units)
    assert plan.valid
    assert plan.adopted
    kinds = {a.condition for a in plan.assertions}
    assert kinds == {"turnout", "national_yes", "units_yes"}
    (turnout,) = [a for a in plan.assertions if a.condition == "turnout"]
    assert turnout.method == "reconciliation"
    picked = sorted(a.unit or "" for a in plan.assertions if a.condition == "units_yes")
    assert picked == [f"U{i:02d}" for i in range(5, 17)]  # ⌈2/3 × 17⌉ = 12 units, the widest margins
    assert plan.hardest is not None
    assert plan.hardest.condition == "units_yes"
    assert plan.hardest.unit == "U05"
    assert "smallest diluted margin" in plan.why_hardest
    tightest = plan_question(_version("kz-constitutional"), {}, Q, national, units, unit_choice="tightest")
    assert sorted(a.unit or "" for a in tightest.assertions if a.unit) == [f"U{i:02d}" for i in range(12)]
    assert all(a.assorter is None or a.assorter.value("yes") == 1 for a in plan.assertions)  # Yes > 1/2 of all


def test_an_approval_quorum_is_an_assorter_over_all_ballots_with_the_register_trusted() -> None:
    """Taiwan: Yes > No among valid and Yes ≥ 1/4 of the registered."""
    plan = plan_question(_version("tw"), {}, Q, Tally(1_000_000, 400_000, 300_000, 90_000, 0, 10_000), [])
    (quorum,) = [a for a in plan.assertions if a.claim.k != 0]
    assert quorum.claim.k == 250_000 - 1  # Yes ≥ 250,000 ⇔ Yes > 249,999
    assert quorum.assorter is not None
    assert quorum.assorter.value("yes") == F(400_000, 2 * 249_999)
    assert quorum.assorter.value("no") == 0
    assert quorum.margin == (2 * F(300_000, 2 * 249_999) - 1) / quorum.assorter.value("yes")
    assert plan.hardest == quorum  # 30% of the register against 25%: tighter than 77% of the valid votes


def test_a_failed_quorum_is_confirmed_by_its_complement_alone() -> None:
    """Taiwan again, Yes wins the votes but misses the quorum: only the quorum's failure needs auditing."""
    plan = plan_question(_version("tw"), {}, Q, Tally(1_000_000, 300_000, 200_000, 90_000, 0, 10_000), [])
    assert not plan.adopted
    (only,) = plan.assertions
    assert only.statement.startswith("not (")
    assert only.claim.coefficient("yes") == -1


def test_a_turnout_below_the_quorum_is_a_reconciliation() -> None:
    plan = plan_question(_version("it-abrogative"), {}, Q, Tally(1_000, 400, 300, 100), [])
    assert not plan.valid
    assert [a.method for a in plan.assertions] == ["reconciliation"]
    assert plan.hardest is None


def test_a_double_majority_reported_as_failing_audits_the_failing_cantons() -> None:
    units = [UnitRow(f"C{i:02d}", Tally(1_000, 800, 300 if i < 14 else 500, 500 if i < 14 else 300)) for i in range(23)]
    national = Tally(23_000, 18_400, 300 * 14 + 500 * 9 + 100_000, 500 * 14 + 300 * 9)
    plan = plan_question(_version("ch-double-majority"), {}, Q, national, units)
    assert not plan.adopted
    cantons = [a for a in plan.assertions if a.unit]
    assert len(cantons) == 12  # failing weight 12 of 23 leaves at most 11 for Yes: no majority of cantons
    assert all(a.statement.startswith("not (") for a in cantons)


def test_reject_if_all_ireland_ordinary() -> None:
    """Rejected only if No > 1/2 of valid AND No ≥ 1/3 of the registered: both hold, both are audited."""
    plan = plan_question(_version("ie-ordinary"), {}, Q, Tally(3_000, 2_000, 600, 1_300), [])
    assert not plan.adopted
    assert len(plan.assertions) == 2


def test_a_bad_risk_limit_is_refused() -> None:
    with pytest.raises(AuditError) as err:
        plan_question(_version("uk"), {}, Q, Tally(100, 80, 50, 30), [], risk_limit=F(1))
    assert err.value.code == "bad_risk_limit"


def test_the_plan_json_is_exact_and_deterministic() -> None:
    national = Tally(1_000_000, 400_000, 300_000, 90_000, 0, 10_000)
    one = plan_json(plan_question(_version("tw"), {}, Q, national, []))
    two = plan_json(plan_question(_version("tw"), {}, Q, national, []))
    assert canonical_json(one, CanonicalProfile.REPORT) == canonical_json(two, CanonicalProfile.REPORT)
    assert one["risk_limit"] == "1/20"
    quorum = next(a for a in one["assertions"] if a["id"] == one["hardest"])
    assert quorum["claim"] == {"coefficients": {"yes": "1/1"}, "k": "249999/1", "ballots": 400_000}
    assert quorum["assorter"]["yes"] == "200000/249999"


def test_the_plan_json_carries_the_law_the_assertions_come_from() -> None:
    """spec/audit.md §10 ``law``: the conditions that apply, setting references resolved, and the units."""
    national = Tally(11_734_642, 7_985_769, 6_163_516, 1_483_150, 0, 339_103)
    units = [UnitRow("R1", Tally(600_000, 400_000, 300_000, 90_000, 0, 10_000)), UnitRow("AB", national, F(0))]
    version = _version("kz-constitutional")
    law = plan_json(plan_question(version, {"unit_quota_rounding": "floor"}, Q, national, units))["law"]
    assert (law["approval_mode"], law["unit_choice"]) == ("all", "widest")
    assert [c["id"] for c in law["conditions"]] == ["turnout", "national_yes", "units_yes"]  # unit_turnout is off
    turnout, _, units_yes = law["conditions"]
    assert turnout == {
        "id": "turnout", "group": "validity", "label": turnout["label"], "source": turnout["source"],
        "scope": "national", "num": "participants", "den": "registered", "op": ">", "threshold": "1/2",
        "quota": None, "quota_op": None, "rounding": None,
    }  # fmt: skip
    assert (units_yes["quota"], units_yes["quota_op"], units_yes["rounding"]) == ("2/3", ">=", "floor")
    assert law["units"] == [{"unit": "AB", "weight": "0/1"}, {"unit": "R1", "weight": "1/1"}]  # by code
    on = plan_json(plan_question(version, {"unit_turnout_condition": "on"}, Q, national, units))["law"]
    assert [c["id"] for c in on["conditions"]] == ["turnout", "unit_turnout", "national_yes", "units_yes"]
    assert on["conditions"][1]["rounding"] == "ceil"  # the setting's default, resolved
