"""Election contests' assertions (spec/audit.md §3a): districts and divisor-method party lists, with
saylau.seats as the oracle of the allocation."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from saylau.audit import (
    AuditCode,
    AuditError,
    DivisorMethod,
    allocation_assertions,
    comparison_sample_size,
    district_assertions,
    party_list_assertions,
)
from saylau.seats import Method, PartyRow, SeatRules, SeatsError, Threshold, allocate


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


# ---- allocation_assertions: every supported method, thresholds with their base, "against all" ----

_RULE_METHODS = [
    Method.DHONDT,
    Method.SAINTE_LAGUE,
    Method.HARE,
    Method.DROOP,
    Method.HAGENBACH_BISCHOFF,
    Method.IMPERIALI_QUOTA,
]


def _rules(method: Method, threshold: F, base: str, strict: bool, droop_exact: bool = False) -> SeatRules:
    t = Threshold(threshold, "all" if base == "all" else "parties", strict) if threshold else None
    return SeatRules(method, t, droop_exact=droop_exact)


def _seats(tally: dict[str, int], seats: int, rules: SeatRules, against: str | None) -> dict[str, int] | None:
    rows = [PartyRow(n, v, order=i, eligible=n != against) for i, (n, v) in enumerate(tally.items())]
    try:
        allocation = allocate(rows, seats, rules)
    except SeatsError:  # no votes for the qualified parties, a quota too large, an unbreakable tie
        return None
    return {r.party: r.seats for r in allocation.rows if r.party != against}


_ALLOCATIONS = st.fixed_dictionaries(
    {
        "votes": st.lists(st.integers(0, 3_000), min_size=2, max_size=6),
        "seats": st.integers(1, 12),
        "method": st.sampled_from(_RULE_METHODS),
        "droop_exact": st.booleans(),
        "threshold": st.sampled_from([F(0), F(5, 100), F(7, 100), F(1, 8)]),
        "base": st.sampled_from(["all", "parties"]),
        "strict": st.booleans(),
        "against": st.booleans(),
        "blank": st.integers(0, 50),
    }
)


def _case(case: dict[str, object]) -> tuple[dict[str, int], SeatRules, int, str | None]:
    votes = case["votes"]
    assert isinstance(votes, list)
    names = [f"P{i}" for i in range(len(votes))]
    against = "AGAINST" if case["against"] else None
    tally = dict(zip(names, votes, strict=True))
    if against:
        tally[against] = votes[0] // 3 + 1
    method, threshold, base, strict = case["method"], case["threshold"], case["base"], case["strict"]
    assert isinstance(method, Method)
    assert isinstance(threshold, F)
    assert isinstance(base, str)
    rules = _rules(method, threshold, base, bool(strict), bool(case["droop_exact"]))
    blank = case["blank"]
    assert isinstance(blank, int)
    return tally, rules, sum(tally.values()) + blank, against


@settings(max_examples=300, deadline=None)
@given(case=_ALLOCATIONS)
def test_every_method_true_allocation_holds_and_moving_a_seat_breaks_one(case: dict[str, object]) -> None:
    tally, rules, ballots, against = _case(case)
    seats = case["seats"]
    assert isinstance(seats, int)
    won = _seats(tally, seats, rules, against)
    assume(won is not None)
    assert won is not None
    non = frozenset({against}) if against else frozenset()
    assertions = allocation_assertions(tally, won, ballots, rules, non_parties=non)
    assume(all(a.total(tally) != a.k for a in assertions))  # a tie decided by lot is not a fact of the votes
    floored = rules.method == Method.DROOP and not rules.droop_exact
    if not floored:  # exact quotas and divisors: the reported allocation satisfies every assertion
        assert all(a.holds(tally) and a.margin > 0 for a in assertions)
    assert all(a.margin == 0 for a in assertions if not a.holds(tally))
    qualified = {p for p in won if not any(a.id == f"threshold:{p}" and "under" in a.statement for a in assertions)}
    for giver in (p for p in won if won[p] > 0):
        for taker in (p for p in qualified if p != giver):
            other = {**won, giver: won[giver] - 1, taker: won[taker] + 1}
            wrong = allocation_assertions(tally, other, ballots, rules, non_parties=non)
            assert any(not a.holds(tally) for a in wrong), (giver, taker)


@settings(max_examples=300, deadline=None)
@given(case=_ALLOCATIONS, noise=st.lists(st.integers(-300, 300), min_size=7, max_size=7))
def test_soundness_if_every_assertion_holds_on_other_votes_they_give_the_reported_seats(
    case: dict[str, object], noise: list[int]
) -> None:
    """The point of an assertion set: whatever the true votes, if all the reported allocation's assertions
    hold on them, the law's allocation of the true votes is the reported one."""
    tally, rules, ballots, against = _case(case)
    seats = case["seats"]
    assert isinstance(seats, int)
    won = _seats(tally, seats, rules, against)
    assume(won is not None)
    assert won is not None
    non = frozenset({against}) if against else frozenset()
    assertions = allocation_assertions(tally, won, ballots, rules, non_parties=non)
    true = {p: max(0, v + n) for (p, v), n in zip(tally.items(), noise, strict=False)}
    assume(all(a.holds(true) for a in assertions))
    assert _seats(true, seats, rules, against) in (won, None)


def test_hare_last_seat_by_hand() -> None:
    """Hare, 10 seats, votes 4,700 / 3,200 / 2,100 (quota 1,000): 4 + 3 + 2 = 9 seats, the tenth to the
    largest remainder, A's 700. A's 5th seat (4.7 − 4 = 0.7) against C's 3rd (2.1 − 2 = 0.1):
    δ = 5 − 1 − 2 = 2, m = 10: v_A − v_C − 2·q > 0 times m, with q = V/10:
    8·v_A − 12·v_C − 2·v_B > 0 (37,600 − 25,200 − 6,400 = 6,000 = 10 · (4,700 − 2,100 − 2,000))."""
    votes = {"A": 4_700, "B": 3_200, "C": 2_100}
    rules = SeatRules(Method.HARE)
    won = _seats(votes, 10, rules, None)
    assert won == {"A": 5, "B": 3, "C": 2}
    a = {x.id: x for x in allocation_assertions(votes, won, 10_000, rules)}["seat:A>C"]
    assert dict(a.coefficients) == {"A": 8, "B": -2, "C": -12}
    assert a.total(votes) == 6_000
    assert a.k == 0
    # assorter: 1/2 + c/(2·12); the margin v/u with v = 2·mean − 1 = 6,000 / (12 · 10,000), u = 5/6
    assert dict(a.assorter) == {"A": F(1, 2) + F(8, 24), "B": F(1, 2) - F(2, 24), "C": 0}
    assert a.margin == F(6_000, 120_000) / F(5, 6)


def test_kazakh_rule_against_all_counts_in_the_base_and_never_holds_a_seat() -> None:
    """Mazhilis list seats (kazakhstan.md §3.1): Hare, 5% of every vote including "against all"."""
    votes = {"A": 600, "B": 300, "C": 45, "AGAINST": 55}
    rules = SeatRules(Method.HARE, Threshold(F(5, 100)))
    won = _seats(votes, 10, rules, "AGAINST")
    assert won == {"A": 7, "B": 3, "C": 0}
    assertions = allocation_assertions(votes, won, 1_020, rules, non_parties=frozenset({"AGAINST"}))
    ids = {a.id for a in assertions}
    assert "threshold:AGAINST" not in ids
    assert not any("AGAINST" in i for i in ids if i.startswith("seat:"))
    under = {a.id: a for a in assertions}["threshold:C"]
    assert under.holds(votes)
    assert "stays under" in under.statement
    assert all(a.holds(votes) for a in assertions)


def test_floored_droop_uses_the_harder_bound() -> None:
    votes = {"A": 5_000, "B": 3_000, "C": 2_000}
    rules = SeatRules(Method.DROOP)
    won = _seats(votes, 5, rules, None)
    assert won is not None
    hard = [a for a in allocation_assertions(votes, won, 10_000, rules) if a.k]
    assert hard
    assert all(a.k > 0 and a.other < F(1, 2) for a in hard)


def test_an_unsupported_method_is_refused() -> None:
    with pytest.raises(AuditError) as err:
        allocation_assertions({"A": 1, "B": 2}, {"A": 0, "B": 1}, 3, SeatRules(Method.HUNTINGTON_HILL))
    assert err.value.code == AuditCode.UNSUPPORTED_CONDITION
