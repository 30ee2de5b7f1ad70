"""Hand-built cases of the audit arithmetic (spec/audit.md §2, §3, §4, §6): the plan checks of A3 on a manifest
with a result exactly on a threshold, and the risk formulas on small figures worked by hand."""

from __future__ import annotations

import math
from collections import Counter
from fractions import Fraction

from saylau_verify.audit import arith
from saylau_verify.audit.checks import AuditState, Round, _assertion_findings, _decimal, _to_count
from saylau_verify.audit.files import AuditFiles, Batch, Manifest, PlanAssertion, cvr_name
from saylau_verify.audit.law import Law, LawCondition, derive
from saylau_verify.record import Event

HALF = Fraction(1, 2)


def _manifest(*counts: tuple[int, int, int, int]) -> Manifest:
    return Manifest("e", "q1", tuple(Batch(f"P{i}", "R1", sum(c), c) for i, c in enumerate(counts)))


def _majority(ballots: int, margin: Fraction, assorter: dict[str, Fraction] | None) -> PlanAssertion:
    """Yes > 1/2 of participants (Yes → 1/2, anything else → −1/2, k = 0)."""
    coefficients = {"yes": HALF, "no": -HALF, "invalid": -HALF, "not_counted": -HALF}
    decimal = _decimal(margin)
    return PlanAssertion(
        "a", None, "sample", False, True, decimal, margin, coefficients, Fraction(0), ballots, assorter
    )


YES_ONLY = {"yes": Fraction(1), "no": Fraction(0), "invalid": Fraction(0), "not_counted": Fraction(0)}


def test_a_plan_assertion_is_recomputed_from_the_manifest() -> None:
    manifest = _manifest((60, 30, 5, 5), (10, 20, 0, 0))  # 70 Yes of 130
    good = _majority(130, Fraction(1, 13), YES_ONLY)  # 2·70/130 − 1 = 1/13, u = 1
    assert _assertion_findings(good, manifest) == []
    wrong = _majority(130, Fraction(1, 10), YES_ONLY)
    assert any("margin_exact 1/10, recomputed 1/13" in p for p in _assertion_findings(wrong, manifest))
    assert _assertion_findings(_majority(131, Fraction(1, 13), YES_ONLY), manifest)  # not the manifest's ballots


def test_a_result_exactly_on_the_threshold_is_listed_with_margin_0() -> None:
    manifest = _manifest((50, 40, 5, 5))  # Yes exactly 1/2 of participants: the claim Σc > 0 is not met
    assert _assertion_findings(_majority(100, Fraction(0), YES_ONLY), manifest) == []
    below = _manifest((49, 41, 5, 5))
    assert any("does not hold" in p for p in _assertion_findings(_majority(100, Fraction(0), YES_ONLY), below))


def test_macro_risk_by_hand() -> None:
    manifest = _manifest((60, 30, 5, 5), (10, 20, 0, 0))
    a = _majority(130, Fraction(1, 13), YES_ONLY)
    plan = arith.macro(manifest, [a])
    m = Fraction(70) - Fraction(130, 2)  # M_c = Σ A_c(b) − N/2 = 5
    assert plan.u == {"P0": Fraction(60) / m, "P1": Fraction(10) / m}
    assert plan.big_u == 14
    clean = arith.macro_risks(plan, manifest, ["P0", "P1"], {"P0": (60, 30, 5, 5), "P1": (10, 20, 0, 0)})
    assert math.isclose(clean["a"], (13 / 14) ** 2 * (1 + 1e-9), rel_tol=1e-12)
    # P0 found with 6 Yes fewer: e = 6/5, u = 12, t = e/u = 1/10
    tainted = arith.macro_risks(plan, manifest, ["P0", "P1"], {"P0": (54, 36, 5, 5), "P1": (10, 20, 0, 0)})
    assert math.isclose(tainted["a"], (13 / 14) ** 2 / (1 - 0.1) * (1 + 1e-9), rel_tol=1e-12)
    assert arith.macro_risks(plan, manifest, ["P0"], {"P0": (54, 36, 5, 5)})["a"] == 1.0  # capped at 1
    assert arith.macro_risks(plan, manifest, ["P1"], {"P1": (0, 30, 0, 0)})["a"] == 1.0  # a taint of 1
    assert arith.macro_size(plan, Fraction(1, 20)) == math.ceil(math.log(1 / 20) / math.log(13 / 14)) + 1


def test_bravo_risk_by_hand() -> None:
    s_w, f = Fraction(3, 5), HALF
    assert math.isclose(arith.bravo_risk(s_w, f, 10, 2), 1 / (1.2**10 * 0.8**2) * (1 + 1e-9), rel_tol=1e-12)
    assert arith.bravo_risk(s_w, f, 0, 5) == 1.0
    assert arith.bravo_risk(Fraction(1), f, 3, 1) == 1.0


# §3's derivation on hand-built laws (audit/law.py) -----------------------------------------------------------


def _condition(id: str, group: str, num: str, den: str, op: str, f: Fraction, **units: object) -> LawCondition:
    if units:
        return LawCondition(id, group, "units", num, den, op, f, units["quota"], units["quota_op"], units["rounding"])  # type: ignore[arg-type]
    return LawCondition(id, group, "national", num, den, op, f, None, None, None)


def _batches(*rows: tuple[str, str, int, tuple[int, int, int, int]]) -> Manifest:
    return Manifest("e", "q1", tuple(Batch(b, u, r, c) for b, u, r, c in rows))


def test_reject_if_all_takes_every_rejection_condition_or_the_cheapest_failing_one() -> None:
    """Ireland (ordinary bill, Art. 47.2): rejected when No > 1/2 of valid votes and No ≥ 1/3 of the register."""
    conditions = (
        _condition("no_majority", "approval", "no", "valid", ">", HALF),
        _condition("no_quorum", "approval", "no", "registered", ">=", Fraction(1, 3)),
    )
    law = Law("reject_if_all", "widest", conditions, ())
    rejected = derive(law, _batches(("P1", "R1", 900, (200, 400, 10, 0))))  # No 2/3 of valid, 400 ≥ 300
    assert (rejected.valid, rejected.adopted) == (True, False)
    by_id = {a.id: a for a in rejected.assertions}
    assert set(by_id) == {"no_majority", "no_quorum"}
    assert by_id["no_quorum"].k == 299  # ⌈900/3⌉ − 1
    assert by_id["no_quorum"].coefficients["no"] == 1
    # No 2/3 of valid but only 400 of 1500 registered (< 500): adopted; the failing quorum alone confirms it
    adopted = derive(law, _batches(("P1", "R1", 1500, (200, 400, 10, 0))))
    assert (adopted.valid, adopted.adopted) == (True, True)
    (only,) = adopted.assertions
    assert (only.id, only.condition_holds, only.coefficients["no"], only.k) == ("no_quorum", False, -1, -500)


def test_a_double_majority_takes_units_until_their_weight_meets_the_quota() -> None:
    """Swiss style: half cantons weigh 1/2, more than half of the total weight (exact) must pass."""
    cond = _condition("cantons", "approval", "yes", "valid", ">", HALF, quota=HALF, quota_op=">", rounding="exact")
    units = (("A", Fraction(1)), ("B", Fraction(1)), ("C", HALF), ("D", HALF))
    manifest = _batches(
        ("P1", "A", 100, (70, 30, 0, 0)),
        ("P2", "B", 100, (60, 40, 0, 0)),
        ("P3", "C", 100, (55, 45, 0, 0)),
        ("P4", "D", 100, (40, 60, 0, 0)),
    )  # passing weight 5/2 of 3 > 3/2
    picked = {
        choice: [a.unit for a in derive(Law("all", choice, (cond,), units), manifest).assertions]
        for choice in ("widest", "tightest", "all")
    }
    assert sorted(picked["widest"]) == ["A", "B"]  # A (1) is not more than 3/2; A + B (2) is
    assert sorted(picked["tightest"]) == ["A", "B", "C"]  # C (1/2), then C + B (3/2): not more than 3/2, so A too
    assert sorted(picked["all"]) == ["A", "B", "C"]


def test_a_vote_not_valid_rests_on_the_failing_quorum() -> None:
    conditions = (
        _condition("turnout", "validity", "participants", "registered", ">", HALF),
        _condition("yes", "approval", "yes", "participants", ">", HALF),
    )
    derived = derive(Law("all", "widest", conditions, ()), _batches(("P1", "R1", 1000, (300, 100, 0, 0))))
    assert (derived.valid, derived.adopted) == (False, False)
    (turnout,) = derived.assertions
    assert (turnout.method, turnout.condition_holds, turnout.k, turnout.margin) == (
        "reconciliation", False, -501, Fraction(-400 + 501, 400)
    )  # fmt: skip


def test_bravo_round_sizes_are_the_oracle_figures() -> None:
    """spec/audit.md §8: 77% Yes / 23% No at α = 5%, the exact smallest rounds for 70 / 80 / 90% (Arlo's planner
    gives 30 / 36 / 49, passing over smaller rounds of the sawtooth)."""
    yes, no = Fraction(77, 100), Fraction(23, 100)
    sizes = [arith.bravo_round_size(yes, no, HALF, Fraction(1, 20), Fraction(q, 10)) for q in (7, 8, 9)]
    assert sizes == [27, 35, 49]
    # a round beyond the one-by-one scan, searched by doubling and bisection: 51/49 needs tens of thousands; the
    # bisection ends on a round that reaches 90% right after one that does not (the producer's saylau.audit
    # gives 40,794 too: same text, separate code)
    half = Fraction(1, 2)
    big = arith.bravo_round_size(Fraction(51, 100), Fraction(49, 100), half, Fraction(1, 20), Fraction(9, 10))
    polling = arith._Polling(1.0, 0.51, math.log(1.02), math.log(0.98), -math.log(0.05))
    assert big == 40_794
    assert polling.chance(big) >= 0.9 > polling.chance(big - 1)
    # 3% blank ballots: the two-sided count of a round is binomial, so a round needs more ballots (producer: 50)
    blank = arith.bravo_round_size(
        Fraction(7469, 10_000), Fraction(2231, 10_000), half, Fraction(1, 20), Fraction(9, 10)
    )
    assert blank == 50


def _event(kind: str, payload: dict[str, object]) -> Event:
    return Event(0, 0, kind, "", "", "", payload, "")


def test_a_batch_targeted_in_round_1_is_not_counted_again_when_a_later_round_draws_it() -> None:
    """A5's batches to count (§13a, §14): MACRO counts a batch once, whatever round drew or targeted it, as the
    producer asks for it (services/audit/measure.to_count): P5, targeted in round 1 and drawn in round 2, has its
    round-1 entry only."""
    files = AuditFiles("", b"", b"", ())
    state = AuditState(files, [_event("plan", {"method": "macro"})], None, None, [])
    first = Round(1, _event("draw", {"draws": ["P1", "P2", "P1"], "targeted": ["P5"]}))
    second = Round(2, _event("draw", {"draws": ["P5", "P3", "P2"], "targeted": []}))
    rounds = [first, second]
    assert _to_count(state, rounds, first) == Counter({"P1": 1, "P2": 1, "P5": 1})
    assert _to_count(state, rounds, second) == Counter({"P3": 1})


def test_a_batch_id_names_its_records_file_percent_encoded() -> None:
    """§14: cvr/<name> is the batch id percent-encoded (RFC 3986 unreserved kept), then .csv: no path."""
    assert cvr_name("P1") == "P1.csv"
    assert cvr_name("KZ-ALA_001.a~") == "KZ-ALA_001.a~.csv"
    assert cvr_name("../R1/P 1") == "..%2FR1%2FP%201.csv"
    assert cvr_name("Алматы") == "%D0%90%D0%BB%D0%BC%D0%B0%D1%82%D1%8B.csv"
