"""Laws of the allocation methods (hypothesis)."""

from __future__ import annotations

import random
from fractions import Fraction
from math import ceil, floor

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from saylau.seats import Method, PartyRow, SeatRules, SeatsError, allocate

DIVISORS = [m for m in Method if not m.is_quota]
votes_lists = st.lists(st.integers(min_value=1, max_value=100_000), min_size=1, max_size=12)


def _rows(votes: list[int]) -> list[PartyRow]:
    # distinct registration orders: every tie can be broken
    return [PartyRow(f"p{i}", v, order=i) for i, v in enumerate(votes)]


def _alloc(votes: list[int], seats: int, method: Method) -> list[int] | None:
    try:
        return list(allocate(_rows(votes), seats, SeatRules(method)).seats.values())
    except SeatsError as exc:  # a quota too large for tiny vote counts (Droop) is a named refusal
        if exc.code != "quota_too_large":
            raise
        return None


@given(votes_lists, st.integers(min_value=0, max_value=200), st.sampled_from(list(Method)))
def test_seats_sum_to_n(votes: list[int], seats: int, method: Method) -> None:
    won = _alloc(votes, seats, method)
    assume(won is not None)
    assert won is not None
    assert sum(won) == seats


@given(votes_lists, st.integers(min_value=1, max_value=200))
def test_hare_satisfies_the_quota_rule(votes: list[int], seats: int) -> None:
    won = _alloc(votes, seats, Method.HARE)
    assert won is not None
    total = sum(votes)
    for v, w in zip(votes, won, strict=True):
        share = Fraction(v * seats, total)
        assert floor(share) <= w <= ceil(share)


@settings(max_examples=60)
@given(votes_lists, st.integers(min_value=0, max_value=60), st.sampled_from(DIVISORS))
def test_divisor_methods_are_house_monotone(votes: list[int], seats: int, method: Method) -> None:
    before, after = _alloc(votes, seats, method), _alloc(votes, seats + 1, method)
    assert before is not None
    assert after is not None
    assert all(a >= b for a, b in zip(after, before, strict=True))


@given(votes_lists, st.integers(min_value=1, max_value=200), st.sampled_from(list(Method)))
def test_more_votes_never_fewer_seats(votes: list[int], seats: int, method: Method) -> None:
    won = _alloc(votes, seats, method)
    assume(won is not None)
    assert won is not None
    for i, vi in enumerate(votes):
        for j, vj in enumerate(votes):
            if vi > vj:
                assert won[i] >= won[j]


@given(votes_lists, st.integers(min_value=1, max_value=100), st.sampled_from(list(Method)), st.randoms())
def test_input_order_does_not_matter_without_ties(
    votes: list[int], seats: int, method: Method, rnd: random.Random
) -> None:
    rows = [PartyRow(f"p{i}", v) for i, v in enumerate(votes)]
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    try:
        a = allocate(rows, seats, SeatRules(method)).seats
        b = allocate(shuffled, seats, SeatRules(method)).seats
    except SeatsError:  # an unbreakable tie (no order given) or a quota too large: both refuse alike
        return
    assert a == b
