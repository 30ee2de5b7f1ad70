"""Largest remainder methods: Hare, Droop, Hagenbach-Bischoff and Imperiali quotas.

Each party gets the integer part of votes / quota; the seats left go one each to the largest
remainders (Wikipedia, "Largest remainders method"; Kazakh rule: kazakhstan.md §3.1, IPU PARLINE).
The quota is computed over the votes given to the parties taking part (the qualified parties).
Everything is exact: v / q = v * q.denominator / q.numerator, so the remainders share the denominator
q.numerator and are compared as integers.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import assert_never

from saylau.model.numbers import decimal_str, fraction_str
from saylau.seats.codes import SeatsCode
from saylau.seats.ties import TieBreak, select
from saylau.seats.types import Method, OverflowMode, SeatsError

__all__ = ["largest_remainder", "quota_of"]


def quota_of(method: Method, total: int, seats: int, droop_exact: bool = False) -> Fraction:
    """The quota for ``total`` votes and ``seats`` seats."""
    match method:
        case Method.HARE:  # Hare (1857): V / S
            return Fraction(total, seats)
        case Method.DROOP:  # Droop (1868): floor(V / (S + 1)) + 1; the exact V / (S + 1) as a setting
            return Fraction(total, seats + 1) if droop_exact else Fraction(total // (seats + 1) + 1)
        case Method.HAGENBACH_BISCHOFF:  # Hagenbach-Bischoff: V / (S + 1), exact
            return Fraction(total, seats + 1)
        case Method.IMPERIALI_QUOTA:  # Imperiali quota (Italy, Senate 1948-1993): V / (S + 2)
            return Fraction(total, seats + 2)
        case _:
            raise SeatsError(f"{method} is not a quota method", code=SeatsCode.NOT_A_QUOTA_METHOD)


def largest_remainder(
    method: Method,
    votes: Sequence[int],
    seats: int,
    tb: TieBreak,
    steps: list[str],
    *,
    droop_exact: bool = False,
    overflow: OverflowMode = "take_back",
) -> tuple[list[int], Fraction]:
    """Seats per party (same order as ``votes``) and the quota. ``sum(votes)`` must be positive."""
    total = sum(votes)
    quota = quota_of(method, total, seats, droop_exact)
    num, den = quota.numerator, quota.denominator
    steps.append(f"quota ({method}) = {fraction_str(quota)} = {decimal_str(quota, 10)} over {total} qualified votes")
    won: list[int] = []
    rems: list[int] = []
    for name, v in zip(tb.names, votes, strict=True):
        whole, rem = divmod(v * den, num)
        won.append(whole)
        rems.append(rem)
        steps.append(f"{name}: {v} / quota = {whole} + remainder {decimal_str(Fraction(rem, num), 10)}")
    given = sum(won)
    steps.append(f"integer parts give {given} of {seats} seats")
    if given > seats:
        _take_back(won, rems, given - seats, tb, steps, overflow)
        return won, quota
    left = seats - given
    if left > len(votes):
        raise SeatsError(
            f"the quota leaves {left} seats for {len(votes)} parties: too few votes for this quota",
            code=SeatsCode.QUOTA_TOO_LARGE,
        )
    winners = select(range(len(votes)), rems.__getitem__, left, tb, "a remainder seat", steps)
    for rank, i in enumerate(winners, start=1):
        won[i] += 1
        seat = given + rank
        steps.append(f"seat {seat} of {seats}: {tb.names[i]}, remainder {decimal_str(Fraction(rems[i], num), 10)}")
    return won, quota


def _take_back(
    won: list[int], rems: list[int], excess: int, tb: TieBreak, steps: list[str], overflow: OverflowMode
) -> None:
    """Integer parts exceeding the seats (Imperiali, exact Hagenbach-Bischoff): seats are taken back
    from the smallest remainders, one per party per round (Italian practice), or it is an error."""
    match overflow:
        case "error":
            raise SeatsError(f"the integer parts exceed the seats by {excess}", code=SeatsCode.QUOTA_OVERFLOW)
        case "take_back":
            pass
        case _:
            assert_never(overflow)
    while excess:
        holders = [i for i, w in enumerate(won) if w > 0]
        losers = select(holders, rems.__getitem__, excess, tb, "taking back a seat", steps, ascending=True)
        for i in losers:
            won[i] -= 1
            excess -= 1
            steps.append(f"seat taken back from {tb.names[i]} (smallest remainder)")
