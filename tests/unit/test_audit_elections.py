"""Election contests' assertions (spec/audit.md §3a): districts and divisor-method party lists, with
saylau.seats as the oracle of the allocation."""

from __future__ import annotations

from fractions import Fraction as F

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from saylau.audit import DivisorMethod, comparison_sample_size, district_assertions, party_list_assertions
from saylau.seats import Method, PartyRow, SeatRules, Threshold, allocate


def test_a_district_winner_over_each_loser() -> None:
    assertions = district_assertions({"A": 500, "B": 300, "C": 100}, 1_000)
    assert [a.id for a in assertions] == ["A>B", "A>C"]  # tightest first
    ab = assertions[0]
    assert dict(ab.assorter) == {"A": 1, "B": 0}
    assert ab.other == F(1, 2)
    assert ab.margin == F(200, 1_000)  # (v_w − v_l) / ballots: blank and invalid ballots dilute it
    assert comparison_sample_size(F(1, 20), ab.margin, 1_000) > comparison_sample_size(F(1, 20), F(4, 10), 1_000)


@settings(max_examples=150, deadline=None)
@given(
    votes=st.lists(st.integers(0, 5_000), min_size=2, max_size=6),
    seats=st.integers(1, 15),
    method=st.sampled_from(["dhondt", "sainte_lague"]),
    threshold=st.sampled_from([F(0), F(5, 100), F(7, 100)]),
)
def test_the_assertions_hold_for_the_true_allocation_and_one_fails_for_any_other(
    votes: list[int], seats: int, method: DivisorMethod, threshold: F
) -> None:
    names = [f"P{i}" for i in range(len(votes))]
    tally = dict(zip(names, votes, strict=True))
    valid = sum(votes)
    assume(valid > 0 and any(v >= threshold * valid for v in votes))
    rules = SeatRules(Method.DHONDT if method == "dhondt" else Method.SAINTE_LAGUE,
                      Threshold(threshold) if threshold else None)  # fmt: skip
    rows = [PartyRow(n, v, order=i) for i, (n, v) in enumerate(tally.items())]
    won = {r.party: r.seats for r in allocate(rows, seats, rules).rows}
    assertions = party_list_assertions(tally, won, valid + 10, method, threshold)
    tie = any(a.total(tally) == 0 for a in assertions)
    assume(not tie)  # a tie decided by lot is not a fact of the votes
    assert all(a.total(tally) > 0 and a.margin > 0 for a in assertions)
    # Move one seat from a party that has one to any other over the threshold: some assertion fails.
    eligible = [p for p in names if tally[p] >= threshold * valid]
    for giver in (p for p in names if won[p] > 0):
        for taker in (p for p in eligible if p != giver):
            other = {**won, giver: won[giver] - 1, taker: won[taker] + 1}
            wrong = party_list_assertions(tally, other, valid + 10, method, threshold)
            assert any(a.total(tally) <= 0 for a in wrong)
