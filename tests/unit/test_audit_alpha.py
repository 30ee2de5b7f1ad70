"""ALPHA (Stark, AoAS 17(1) 2023; spec/audit.md §16): the identities with BRAVO and super-simple, the 77/23
oracle figures, and the laws of the test (never less risk for a ballot against the winner; a wrong outcome
confirmed at most α of the time)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.audit import (
    AuditError,
    BallotCounts,
    Batch,
    FixedEta,
    Manifest,
    Rates,
    Shares,
    alpha_comparison_risk,
    alpha_comparison_size,
    alpha_polling_risk,
    alpha_polling_size,
    alpha_risk,
    bravo_asn,
    bravo_risk,
    comparison_estimator,
    comparison_risk,
    comparison_sample_size,
    counts_of,
    estimate_sizes,
    plan_question,
    polling_estimator,
    share_assertion,
    shrinkage,
)
from saylau.audit.alpha import comparison_upper, comparison_value, first_crossing, looks_like
from saylau.audit.assertions import Assertion
from saylau.audit.assorters import Category
from saylau.model.ids import QuestionCode
from saylau.model.tally import Tally, UnitRow
from saylau.rules import load_preset

ALPHA = F(1, 20)
KZ = Tally(12_000_000, 10_000_000, 7_700_000, 2_300_000)  # 77% Yes / 23% No of 10,000,000 ballots


def _majority(tally: Tally, f: F = F(1, 2)) -> Assertion:
    return share_assertion(id="a", condition="c", unit=None, num="yes", den="valid", f=f, op=">", tally=tally,
                           reason="r")  # fmt: skip


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(a, b)


# ---- identities


@settings(max_examples=300, deadline=None)
@given(
    categories=st.lists(st.sampled_from(["yes", "no", "invalid"]), max_size=60),
    yes=st.integers(55, 95),
    f=st.sampled_from([F(1, 2), F(2, 3), F(3, 5)]),
)
def test_alpha_with_a_fixed_eta_and_replacement_is_bravo(categories: list[Category], yes: int, f: F) -> None:
    """With η fixed at u·s_w and draws with replacement, ALPHA's factors are BRAVO's (Wald's SPRT): s_w/f
    for a winner ballot, (1 − s_w)/(1 − f) for a loser ballot, 1 for any other. ALPHA's risk is 1/max_j T_j,
    so it is the smallest of BRAVO's risks after each prefix of the sample."""
    if F(yes, 100) <= f:
        return
    shares = Shares(F(yes, 100), F(100 - yes, 100), f)
    a = _majority(Tally(1_000, 100, yes, 100 - yes), f)
    assert a.assorter is not None
    eta = FixedEta(a.assorter.upper * shares.s_w)
    prefixes = [categories[:j] for j in range(len(categories) + 1)]
    expected = min(bravo_risk(shares, p.count("yes"), p.count("no")) for p in prefixes)
    assert _close(alpha_polling_risk(a, categories, estimator=eta), expected)


@settings(max_examples=300, deadline=None)
@given(
    votes=st.lists(st.sampled_from([F(0), F(0), F(0), F(1), F(2), F(1, 3), F(4, 3)]), max_size=40),
    margin=st.fractions(F(1, 100), F(19, 10)),
)
def test_alpha_comparison_at_the_gamma_alternative_is_super_simple(votes: list[F], margin: F) -> None:
    """A fixed η₀ of the default comparison estimator makes ALPHA's factor (1 − e/(2γ))/(1 − μ/(2γ)), the
    super-simple Kaplan–Markov factor of §5 (both are linear in e and agree at e = 0 and e = 2); again
    ALPHA's risk is the smallest over the prefixes."""
    eta = FixedEta(comparison_estimator(margin).eta0)
    expected = min(comparison_risk(margin, votes[:j]) for j in range(len(votes) + 1))
    assert _close(alpha_comparison_risk(margin, votes, estimator=eta), expected)


# ---- the 77/23 oracle case (spec/audit.md §8)


def test_the_77_23_referendum_with_alpha() -> None:
    """Polling 19 ballots (BRAVO ASN 21), comparison 10 with no discrepancies and 11 with Arlo's default
    rates (super-simple 12 and 13: its n_min linearises ln(1 − μ/(2γ)); the product reaches 1/α at 10)."""
    a = _majority(KZ)
    assert a.margin == F(54, 100)
    assert alpha_polling_size(a, counts_of(KZ), ALPHA) == 19
    assert bravo_asn(Shares(F(77, 100), F(23, 100)), ALPHA) == 21
    assert alpha_comparison_size(a.margin, ALPHA, 10_000_000) == 10
    assert alpha_comparison_size(a.margin, ALPHA, 10_000_000, Rates()) == 11
    assert comparison_sample_size(ALPHA, a.margin, 10_000_000) == 12
    assert comparison_sample_size(ALPHA, a.margin, 10_000_000, Rates()) == 13
    assert comparison_risk(a.margin, [F(0)] * 10) <= ALPHA < comparison_risk(a.margin, [F(0)] * 9)


def test_alpha_polling_77_23_simulated_as_shangrla() -> None:
    """Seeded simulation of the polling audit of a true 77/23 outcome: SHANGRLA's ALPHA gives median 16-19
    and 90th percentile 38-41 ballots (shared/reference/audits-and-forensics.md §3.4)."""
    a = _majority(KZ)
    rng = random.Random(2022)

    def draws() -> Iterator[F]:
        yes, no = F(1), F(0)
        while True:
            yield yes if rng.random() < 0.77 else no

    sizes = sorted(first_crossing(draws(), F(1), polling_estimator(a), ALPHA) or 10**9 for _ in range(2_000))
    assert 16 <= sizes[1_000] <= 19
    assert 38 <= sizes[1_800] <= 41


def test_tighter_margins_need_more_ballots() -> None:
    sizes = [alpha_comparison_size(F(m, 100), ALPHA, 10_000_000) for m in (54, 20, 5, 2)]
    assert sizes == sorted(sizes)
    assert sizes[0] < sizes[-1]
    assert alpha_comparison_size(F(2, 100), ALPHA, 300) == 300  # not finished before: every ballot
    assert alpha_polling_size(_majority(Tally(300, 200, 101, 99)), BallotCounts(101, 99), ALPHA) == 200


# ---- laws


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.sampled_from([F(0), F(1, 2), F(1)]), min_size=1, max_size=40),
    eta=st.fractions(F(51, 100), F(99, 100)),
    d=st.sampled_from([1, 10, 100]),
    population=st.sampled_from([None, 80, 300]),
    lower=st.sampled_from([F(0), F(1, 2)]),
)
def test_the_risk_never_falls_when_the_last_ballot_is_read_against_the_winner(
    values: list[F], eta: F, d: int, population: int | None, lower: F
) -> None:
    """Whatever the estimator and the sampling, a lower value for the ballot just entered never lowers the
    risk: η_j and μ_j do not depend on it, and the factor grows with x."""
    if lower >= values[-1]:
        return
    worse = [*values[:-1], lower]
    for est in (shrinkage(eta, d), FixedEta(eta)):
        assert alpha_risk(worse, F(1), est, population) >= alpha_risk(values, F(1), est, population)


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.sampled_from([F(0), F(1, 4), F(1, 2), F(3, 4)]), min_size=1, max_size=40),
    eta=st.fractions(F(51, 100), F(3, 4)),
    data=st.data(),
)
def test_with_a_fixed_eta_any_ballot_read_against_the_winner_never_lowers_the_risk(
    values: list[F], eta: F, data: st.DataObject
) -> None:
    """With replacement and a fixed η (BRAVO, super-simple) each factor depends on its own draw only."""
    i = data.draw(st.integers(0, len(values) - 1))
    lower = data.draw(st.sampled_from([v for v in (F(0), F(1, 4), F(1, 2)) if v <= values[i]] or [values[i]]))
    worse = [*values[:i], lower, *values[i + 1 :]]
    assert alpha_risk(worse, F(3, 4), FixedEta(eta)) >= alpha_risk(values, F(3, 4), FixedEta(eta))


def test_an_earlier_ballot_can_move_the_adaptive_estimate_the_other_way() -> None:
    """The counterexample of spec/audit.md §16: with d = 1, Y N Y Y Y Y has risk 2/3 (T = 3/2 after the
    first Y), and reading the first ballot invalid lowers the risk, because η then falls and the N costs less."""
    est = shrinkage(F(3, 4), 1)
    y, n, i = F(1), F(0), F(1, 2)
    first = alpha_risk([y, n, y, y, y, y], F(1), est)
    assert abs(first - 2 / 3) < 1e-8
    assert alpha_risk([i, n, y, y, y, y], F(1), est) < first


def _rate(truth: float, reported: Assertion, reps: int, draws: int, rng: random.Random) -> float:
    est = polling_estimator(reported)
    confirmed = 0
    yes, no = F(1), F(0)
    for _ in range(reps):
        values = (yes if rng.random() < truth else no for _ in range(draws))
        confirmed += first_crossing(values, F(1), est, F(1, 10)) is not None
    return confirmed / reps


def test_a_wrong_outcome_is_confirmed_at_most_alpha_of_the_time() -> None:
    """Reported 77/23 (and 55/45), the truth a tie or a loss: at a 10% risk limit over 200 ballots polled,
    1,000 seeded simulations each confirm it at most 10% of the time (3 standard errors of slack)."""
    rng = random.Random(11)
    for reported, truth in ((KZ, 0.5), (Tally(3_000, 2_000, 1_100, 900), 0.5), (KZ, 0.45)):
        assert _rate(truth, _majority(reported), 1_000, 200, rng) <= 0.1 + 3 * (0.09 / 1_000) ** 0.5


def test_a_wrong_outcome_is_rarely_confirmed_by_comparison_either() -> None:
    """CVRs say 77/23; in truth 27% of the ballots are No read as Yes (two-vote overstatements): a tie."""
    rng = random.Random(12)
    margin = F(54, 100)
    est = comparison_estimator(margin)
    confirmed = 0
    two_votes, none = comparison_value(margin, F(2)), comparison_value(margin, F(0))
    for _ in range(1_000):
        values = (two_votes if rng.random() < 0.27 else none for _ in range(200))
        confirmed += first_crossing(values, comparison_upper(margin), est, F(1, 10)) is not None
    assert confirmed / 1_000 <= 0.1 + 3 * (0.09 / 1_000) ** 0.5


def test_without_replacement_the_sample_alone_can_settle_it() -> None:
    """N = 10: six Yes among the draws prove the mean above 1/2 (risk 0); five No make the null certain
    (no evidence can follow)."""
    est = shrinkage(F(3, 4), 10)
    assert alpha_risk([F(1)] * 6, F(1), est, 10) == 0.0
    assert alpha_risk([F(1)] * 5, F(1), est, 10) > 0.0
    assert alpha_risk([F(0)] * 5 + [F(1)] * 5, F(1), est, 10) == 1.0
    with pytest.raises(AuditError, match="more draws"):
        alpha_risk([F(1)] * 11, F(1), est, 10)


def test_looks_like_follows_the_shares() -> None:
    sample = looks_like([(F(1), 77), (F(0), 23)])
    first = [next(sample) for _ in range(100)]
    assert abs(first.count(F(1)) - 77) <= 2
    assert first[0] == F(1)  # the median first


def test_bad_parameters_are_refused() -> None:
    a = _majority(KZ)
    for call in (
        lambda: shrinkage(F(1, 2), 100),
        lambda: shrinkage(F(3, 4), -1),
        lambda: alpha_risk([F(2)], F(1), FixedEta(F(3, 4))),
        lambda: alpha_risk([F(1)], F(1), FixedEta(F(3, 2))),
        lambda: alpha_comparison_risk(F(0), [F(0)]),
        lambda: alpha_comparison_risk(F(1, 2), [F(3)]),
        lambda: alpha_polling_risk(_majority(Tally(10, 10, 5, 5)), ["yes"]),
        lambda: alpha_polling_size(a, counts_of(KZ), F(0)),
    ):
        with pytest.raises(AuditError) as info:
            call()
        assert info.value.code in ("bad_parameter", "bad_risk_limit")


# ---- the planner's ALPHA rows (spec/audit.md §9)


def test_the_planner_adds_alpha_rows_per_unit_after_the_others() -> None:
    """A double majority: each unit assertion's ONEAudit row is over its own unit's precincts (unit A's
    precincts are heterogeneous, so its ONEAudit sample is smaller than unit B's), and the ALPHA rows come
    after every row of the existing methods."""
    version = load_preset("ch-double-majority").versions[0]
    mixed = [BallotCounts(95, 5), BallotCounts(45, 55)]
    batches = [Batch(f"A{i:02d}", "A", mixed[i % 2]) for i in range(20)]
    batches += [Batch(f"{u}{i:02d}", u, BallotCounts(70, 30)) for u in "BC" for i in range(20)]
    units = [UnitRow(u, Tally(4_000, 2_000, 1_400, 600)) for u in "ABC"]
    national = Tally(12_000, 6_000, 4_200, 1_800)
    plan = plan_question(version, {}, QuestionCode("Q"), national, units)
    counts = {None: counts_of(national)} | {u.unit: counts_of(u.tally) for u in units}
    rows = estimate_sizes(plan, counts, Manifest.of(batches))
    methods = [r.method for r in rows]
    first_alpha = methods.index("alpha_comparison")
    assert "batch_comparison" in methods[:first_alpha]
    assert set(methods[first_alpha:]) == {"alpha_comparison", "alpha_polling", "oneaudit"}
    one = {r.assertion: dict(r.sizes)["no_discrepancies"] for r in rows if r.method == "oneaudit"}
    unit_a = next(a.id for a in plan.assertions if a.unit == "A")
    unit_b = next(a.id for a in plan.assertions if a.unit == "B")
    assert one[unit_a] < one[unit_b]


def test_an_assertion_no_sample_can_confirm_is_a_full_count_for_alpha() -> None:
    tie = Tally(3_000, 2_000, 1_000, 1_000)
    plan = plan_question(load_preset("uk").versions[0], {}, QuestionCode("Q"), tie, [])
    rows = estimate_sizes(plan, {None: counts_of(tie)})
    alpha_rows = {r.method: dict(r.sizes) for r in rows if r.method.startswith("alpha")}
    assert alpha_rows == {"alpha_comparison": {"full_count": 2_000}, "alpha_polling": {"full_count": 2_000}}


def _exact_risk(values: list[F], u: F, eta: F, population: int | None) -> F:
    """The paper's T_j in exact arithmetic, for a fixed η (every factor rational), as spec §16 states it."""
    s, t, best = F(0), F(1), F(1)
    for j, x in enumerate(values, start=1):
        mu = F(1, 2) if population is None else (F(population, 2) - s) / (population - j + 1)
        if population is not None and mu >= u:
            break
        if mu > 0:
            t *= (x * eta / mu + (u - x) * (u - eta) / (u - mu)) / u if eta >= mu else 1
            best = max(best, t)
        s += x
        if population is not None and 2 * s > population:
            return F(0)
    return 1 / best


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.sampled_from([F(0), F(1, 3), F(1, 2), F(2, 3), F(1)]), max_size=50),
    eta=st.fractions(F(51, 100), F(99, 100)),
    population=st.sampled_from([None, 60, 1_000]),
)
def test_the_float_risk_is_never_below_the_exact_one(values: list[F], eta: F, population: int | None) -> None:
    """spec/audit.md §16: the float T is lowered per draw, so the float risk is at least the exact risk
    (and within 10⁻⁸ of it)."""
    exact = _exact_risk(values, F(1), eta, population)
    got = alpha_risk(values, F(1), FixedEta(eta), population)
    assert F(got) >= exact
    assert got <= float(exact) * (1 + 1e-8) + 1e-300
