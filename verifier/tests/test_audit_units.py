"""Hand-built cases of the audit arithmetic (spec/audit.md §2, §3, §4, §6): the plan checks of A3 on a manifest
with a result exactly on a threshold, and the risk formulas on small figures worked by hand."""

from __future__ import annotations

import math
from fractions import Fraction

from saylau_verify.audit import arith
from saylau_verify.audit.checks import _assertion_findings, _decimal
from saylau_verify.audit.files import Batch, Manifest, PlanAssertion

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
