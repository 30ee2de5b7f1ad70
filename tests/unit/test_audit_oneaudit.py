"""ONEAudit (Stark 2023; spec/audit.md §17): batches without cast-vote records audited at the ballot level
against their ONE CVRs, with ALPHA."""

from __future__ import annotations

import random
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.audit import (
    AuditError,
    BallotCounts,
    FixedEta,
    alpha_comparison_risk,
    alpha_comparison_size,
    alpha_polling_size,
    counts_of,
    one_cvr,
    one_overstatement,
    oneaudit_risk,
    oneaudit_size,
    overstatement,
    share_assertion,
)
from saylau.audit.alpha import comparison_estimator, comparison_upper, first_crossing, looks_like
from saylau.audit.assertions import Assertion
from saylau.audit.assorters import CATEGORIES, Category
from saylau.audit.oneaudit import oneaudit_atoms, oneaudit_estimator
from saylau.model.tally import Tally

ALPHA = F(1, 20)


def _assertion(total: BallotCounts, f: F = F(1, 2)) -> Assertion:
    tally = Tally(2 * total.ballots, total.ballots, total.yes, total.no, total.not_counted, total.invalid)
    return share_assertion(id="a", condition="c", unit=None, num="yes", den="valid", f=f, op=">", tally=tally,
                           reason="r")  # fmt: skip


def _single(c: Category) -> BallotCounts:
    return BallotCounts(*(int(c == k) for k in CATEGORIES))


ballots = st.lists(st.sampled_from(["yes", "yes", "yes", "no", "invalid"]), min_size=3, max_size=60)


@settings(max_examples=200, deadline=None)
@given(reported=ballots, data=st.data(), f=st.sampled_from([F(1, 2), F(3, 5)]))
def test_batches_of_one_ballot_are_a_ballot_level_comparison(
    reported: list[Category], data: st.DataObject, f: F
) -> None:
    """Each batch one ballot: its ONE CVR is the ballot's own CVR, so ONEAudit is ALPHA ballot comparison."""
    total = sum((_single(c) for c in reported), BallotCounts(0, 0))
    a = _assertion(total, f)
    if a.margin <= 0 or a.assorter is None:
        return
    order = data.draw(st.permutations(range(len(reported))))
    picks = order[: data.draw(st.integers(1, len(reported)))]  # without replacement: each ballot once
    found = data.draw(st.lists(st.sampled_from([*CATEGORIES, None]), min_size=len(picks), max_size=len(picks)))
    draws = [(_single(reported[i]), h) for i, h in zip(picks, found, strict=True)]
    votes = [overstatement(a, reported[i], h) for i, h in zip(picks, found, strict=True)]
    est = oneaudit_estimator(a, [_single(c) for c in reported])
    assert est == comparison_estimator(a.margin)  # one value per ballot: super-simple's bet is the smaller
    assert oneaudit_risk(a, draws, est) == alpha_comparison_risk(a.margin, votes)
    assert oneaudit_risk(a, draws, est, len(reported)) == alpha_comparison_risk(a.margin, votes, len(reported))
    size = alpha_comparison_size(a.margin, ALPHA, len(reported))
    assert size <= oneaudit_size(a, [_single(c) for c in reported], ALPHA) <= size + 1  # B binned down by < 2⁻¹⁶


def test_the_hand_example_of_the_spec() -> None:
    """spec/audit.md §17: batch A 80 Yes / 20 No, batch B 40 Yes / 60 No; Yes > No, μ = 1/5, u_B = 10/9;
    ONE CVRs 4/5 and 2/5; with η = 1 the factors are 14/11 (Yes in A), 4/11 (No in A), 18/11 (Yes in B),
    8/11 (No in B); draws A-Yes, B-Yes, A-No, B-Yes, A-Yes: max T = T_2 = 252/121, risk 121/252."""
    batch_a, batch_b = BallotCounts(80, 20), BallotCounts(40, 60)
    a = _assertion(batch_a + batch_b)
    assert a.margin == F(1, 5)
    assert comparison_upper(a.margin) == F(10, 9)
    assert (one_cvr(a, batch_a), one_cvr(a, batch_b)) == (F(4, 5), F(2, 5))
    assert one_overstatement(a, batch_a, "yes") == F(-2, 5)
    assert one_overstatement(a, batch_a, "no") == F(8, 5)
    assert one_overstatement(a, batch_b, "yes") == F(-6, 5)
    assert one_overstatement(a, batch_b, "no") == F(4, 5)
    atoms = dict(oneaudit_atoms(a, [batch_a, batch_b]))
    assert atoms == {F(2, 3): 80, F(1, 9): 20, F(8, 9): 40, F(1, 3): 60}
    assert sum(v * n for v, n in atoms.items()) / 200 == 1 / (2 - a.margin)  # mean B = 1/(2 − μ): no errors
    draws: list[tuple[BallotCounts | Category, Category | None]] = [
        (batch_a, "yes"), (batch_b, "yes"), (batch_a, "no"), (batch_b, "yes"), (batch_a, "yes"),
    ]  # fmt: skip
    risk = oneaudit_risk(a, draws, FixedEta(F(1)))
    assert abs(risk - 121 / 252) < 1e-9
    assert oneaudit_risk(a, draws[:1], FixedEta(F(1))) == pytest.approx(11 / 14, rel=2e-9)


def test_a_ballot_with_its_own_cvr_is_compared_with_it() -> None:
    a = _assertion(BallotCounts(80, 20))
    assert one_overstatement(a, "yes", "no") == 2
    assert one_overstatement(a, "yes", None) == 2
    assert one_overstatement(a, "invalid", "yes") == -1


def _precincts(rng: random.Random, count: int, shares: list[float]) -> list[BallotCounts]:
    out = []
    for i in range(count):
        ballots = rng.randint(300, 900)
        yes = round(ballots * shares[i % len(shares)])
        out.append(BallotCounts(yes, ballots - yes))
    return out


def test_heterogeneous_precincts_need_fewer_ballots_than_polling() -> None:
    """Precincts at 95% and 59% Yes (77% in all): the ONE CVRs explain much of each ballot's value, so
    ONEAudit needs fewer ballots than ALPHA polling; never fewer than with real CVRs."""
    batches = _precincts(random.Random(3), 400, [0.95, 0.59])
    total = sum(batches, BallotCounts(0, 0))
    a = _assertion(total)
    one = oneaudit_size(a, batches, ALPHA)
    polling = alpha_polling_size(a, counts_of(Tally(2 * total.ballots, total.ballots, total.yes, total.no)), ALPHA)
    assert alpha_comparison_size(a.margin, ALPHA, total.ballots) <= one < polling


def test_a_wrong_outcome_is_rarely_confirmed() -> None:
    """Reported as above (77% Yes), the truth a tie: in each precinct a share of the reported Yes ballots are
    No. Ballots drawn uniformly, 1,000 seeded audits of 200 ballots at a 10% risk limit."""
    rng = random.Random(4)
    batches = _precincts(rng, 200, [0.95, 0.59])
    total = sum(batches, BallotCounts(0, 0))
    a = _assertion(total)
    flip = (total.yes - total.ballots / 2) / total.yes  # the share of Yes that are No in truth: a tie
    weights = [b.ballots for b in batches]
    est, upper = oneaudit_estimator(a, batches), comparison_upper(a.margin)
    value = {(i, c): F(1) - one_overstatement(a, b, c) / 2 for i, b in enumerate(batches) for c in ("yes", "no")}
    confirmed = 0
    for _ in range(1_000):
        values = []
        for i in rng.choices(range(len(batches)), weights, k=200):
            b = batches[i]
            true = "yes" if rng.random() < b.yes / b.ballots * (1 - flip) else "no"
            values.append(value[(i, true)] / (2 - a.margin))
        confirmed += first_crossing(iter(values), upper, est, F(1, 10)) is not None
    assert confirmed / 1_000 <= 0.1 + 3 * (0.09 / 1_000) ** 0.5


def test_the_batches_must_be_the_population() -> None:
    a = _assertion(BallotCounts(120, 80))
    with pytest.raises(AuditError, match="not the population"):
        oneaudit_atoms(a, [BallotCounts(80, 20)])
    with pytest.raises(AuditError):
        one_cvr(a, BallotCounts(0, 0))
    with pytest.raises(AuditError):
        oneaudit_risk(_assertion(BallotCounts(5, 5)), [(BallotCounts(5, 5), "yes")], FixedEta(F(3, 4)))


def test_looks_like_draws_every_atom_in_proportion() -> None:
    batch_a, batch_b = BallotCounts(80, 20), BallotCounts(40, 60)
    atoms = oneaudit_atoms(_assertion(batch_a + batch_b), [batch_a, batch_b])
    sample = looks_like(atoms)
    first = [next(sample) for _ in range(200)]
    for value, count in atoms:
        assert abs(first.count(value) - count) <= 2
