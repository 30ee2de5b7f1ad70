"""Ballot-level comparison where some precincts supply cast-vote records and the others are compared with
their ONE CVR (Stark, ALPHA 2023; Stark, ONEAudit 2023; spec/audit.md §18): the pure core."""

from __future__ import annotations

import random
from fractions import Fraction as F

from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.audit import BallotCounts, alpha_comparison_size, oneaudit_risk, oneaudit_size, share_assertion
from saylau.audit.alpha import comparison_estimator, comparison_upper, first_crossing
from saylau.audit.assertions import Assertion
from saylau.audit.assorters import CATEGORIES, Category
from saylau.audit.oneaudit import Cvr, mixed_estimator, mixed_size, one_overstatement, oneaudit_estimator
from saylau.model.tally import Tally

ALPHA = F(1, 20)


def _assertion(batches: list[BallotCounts]) -> Assertion:
    total = BallotCounts(*(sum(b.get(c) for b in batches) for c in CATEGORIES))
    tally = Tally(2 * total.ballots, total.ballots, total.yes, total.no, total.not_counted, total.invalid)
    return share_assertion(id="a", condition="c", unit=None, num="yes", den="valid", f=F(1, 2), op=">", tally=tally,
                           reason="r")  # fmt: skip


def test_with_every_batch_with_cvrs_the_size_is_alpha_comparison() -> None:
    """§16's row: 77/23 over 10,000,000 ballots, no discrepancies: 10 ballots (every batch with CVRs)."""
    batches = [BallotCounts(770, 230)] * 10_000
    a = _assertion(batches)
    assert a.claim.ballots == 10_000_000
    n = mixed_size(a, batches, [True] * len(batches), ALPHA)
    assert n == alpha_comparison_size(a.margin, ALPHA, a.claim.ballots) == 10
    assert mixed_estimator(a, batches, [True] * len(batches)) == comparison_estimator(a.margin)


def test_with_no_cvrs_the_size_is_oneaudit() -> None:
    """§17's row: precincts alternately 95% and 59% Yes: ONEAudit's 14-15; with no CVR flagged, the same."""
    batches = [BallotCounts(950, 50), BallotCounts(590, 410)] * 5_000
    a = _assertion(batches)
    flags = [False] * len(batches)
    assert mixed_size(a, batches, flags, ALPHA) == oneaudit_size(a, batches, ALPHA)
    assert mixed_estimator(a, batches, flags) == oneaudit_estimator(a, batches)


def test_cvrs_never_cost_ballots() -> None:
    """More precincts with CVRs: never a larger sample (a CVR explains its ballot exactly)."""
    batches = [BallotCounts(950, 50), BallotCounts(590, 410)] * 500
    a = _assertion(batches)
    sizes = []
    for share in (0, 4, 2, 1):  # none, a quarter, half, all of the batches with CVRs
        flags = [share != 0 and i % share == 0 for i in range(len(batches))]
        sizes.append(mixed_size(a, batches, flags, ALPHA))
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[-1] < sizes[0]


readings = st.sampled_from(["yes", "no", "invalid", None])


@settings(max_examples=150, deadline=None)
@given(
    reported=st.lists(st.sampled_from(["yes", "yes", "no", "invalid"]), min_size=8, max_size=40),
    found=st.lists(readings, min_size=8, max_size=40),
    one_cvr=st.booleans(),
    pair=st.tuples(readings, readings),
)
def test_a_discrepancy_never_lowers_the_risk(
    reported: list[Category], found: list[Category | None], one_cvr: bool, pair: tuple[Category | None, ...]
) -> None:
    """The last drawn ballot read lower (further against the reported outcome: a discrepancy added, or a
    larger one) never gives a lower risk, against its own CVR or its batch's ONE CVR (§16 "Monotonicity")."""
    batch = BallotCounts(*(reported.count(c) for c in CATEGORIES))  # type: ignore[arg-type]
    batches = [batch, BallotCounts(80, 10, 2)]  # Yes > No whatever the first batch holds
    a = _assertion(batches)
    assert a.assorter is not None
    assert a.margin > 0
    value = a.assorter.value
    hi, lo = sorted(pair, key=lambda c: value(c) if c is not None else F(0), reverse=True)
    est = mixed_estimator(a, batches, [True, False])
    draws: list[tuple[Cvr, Category | None]] = list(zip(reported, found, strict=False))
    last: Cvr = batches[1] if one_cvr else "yes"
    assert oneaudit_risk(a, [*draws, (last, lo)], est) >= oneaudit_risk(a, [*draws, (last, hi)], est)


def test_the_risk_of_a_clean_sample_falls_as_it_grows() -> None:
    batches = [BallotCounts(700, 300)] * 10 + [BallotCounts(600, 400)] * 10
    a = _assertion(batches)
    flags = [i < 10 for i in range(20)]
    est = mixed_estimator(a, batches, flags)
    draws: list[tuple[Cvr, Category | None]] = []
    risks = []
    for i in range(30):
        draws.append(("yes", "yes") if i % 3 else (batches[15], "yes"))
        risks.append(oneaudit_risk(a, draws, est))
    assert risks == sorted(risks, reverse=True)
    assert risks[-1] < ALPHA


def test_a_wrong_outcome_is_rarely_confirmed_with_some_cvrs() -> None:
    """Reported 77% Yes over precincts alternately 95% and 59% Yes, every other one with CVRs; the truth a tie
    (a share of the reported Yes ballots are No on paper: against a CVR a two-vote overstatement, against a ONE
    CVR a No read in its batch). Ballots drawn uniformly, 1,000 seeded audits of 200 ballots at a 10% risk limit
    confirm at most 10% of the time (three standard errors of slack): §18's test is risk-limiting."""
    rng = random.Random(18)
    batches = [BallotCounts(95, 5) if i % 2 else BallotCounts(59, 41) for i in range(200)]
    flags = [i % 4 < 2 for i in range(200)]  # a half of each kind of precinct with CVRs
    a = _assertion(batches)
    total = sum(b.yes for b in batches), sum(b.ballots for b in batches)
    flip = (total[0] - total[1] / 2) / total[0]  # the share of Yes that are No in truth: a tie
    est, upper = mixed_estimator(a, batches, flags), comparison_upper(a.margin)
    weights = [b.ballots for b in batches]
    value = {}  # (batch, CVR or None, truth) -> B
    for i, b in enumerate(batches):
        for cvr in ("yes", "no") if flags[i] else (None,):
            for true in ("yes", "no"):
                reported: Cvr = b if cvr is None else cvr
                value[(i, cvr, true)] = (1 - one_overstatement(a, reported, true) / 2) / (2 - a.margin)
    confirmed = 0
    for _ in range(1_000):
        values = []
        for i in rng.choices(range(len(batches)), weights, k=200):
            b = batches[i]
            cvr = ("yes" if rng.random() < b.yes / b.ballots else "no") if flags[i] else None
            yes = rng.random() < b.yes / b.ballots * (1 - flip) if cvr is None else cvr == "yes" and rng.random() > flip
            values.append(value[(i, cvr, "yes" if yes else "no")])
        confirmed += first_crossing(iter(values), upper, est, F(1, 10)) is not None
    assert confirmed / 1_000 <= 0.1 + 3 * (0.09 / 1_000) ** 0.5
