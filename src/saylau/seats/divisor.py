"""Highest averages (divisor) methods.

Each seat goes to the party with the largest quotient votes / d(n), n being the seats it already has
(Wikipedia, "Highest averages method"). Divisor sequences d(0), d(1), ...:

- D'Hondt (Jefferson): 1, 2, 3, ...                      d(n) = n + 1
- Sainte-Laguë (Webster): 1, 3, 5, ...                   d(n) = 2n + 1
- modified Sainte-Laguë: x, 3, 5, ... (x = 1.4 Norway, 1.2 Sweden)
- Danish: 1, 4, 7, ...                                   d(n) = 3n + 1
- Imperiali: 2, 3, 4, ...                                d(n) = n + 2
- Huntington-Hill: 0, √2, √6, ...                        d(n) = √(n(n+1))
- Adams: 0, 1, 2, ...                                    d(n) = n

A zero divisor is an infinite quotient: every party with votes gets its first seat before any second
seat is given; when there are fewer seats than parties the first seats go by votes. Parties with no
votes get no seat. Comparisons are exact: Huntington-Hill compares squares, v² / (n(n+1)).
The seats are given one at a time from a heap keyed by exact quotients (O(S log P)).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from fractions import Fraction

from saylau.model.numbers import decimal_str, number_str
from saylau.seats.codes import SeatsCode
from saylau.seats.ties import TieBreak
from saylau.seats.types import Method, SeatsError

__all__ = ["divisor", "highest_averages"]

_ZERO_DIVISOR = (Method.HUNTINGTON_HILL, Method.ADAMS)


def divisor(method: Method, n: int, first: Fraction = Fraction(7, 5)) -> Fraction:
    """d(n) for the method; for Huntington-Hill the square d(n)² = n(n+1)."""
    match method:
        case Method.DHONDT:
            return Fraction(n + 1)
        case Method.SAINTE_LAGUE:
            return Fraction(2 * n + 1)
        case Method.MODIFIED_SAINTE_LAGUE:
            return first if n == 0 else Fraction(2 * n + 1)
        case Method.DANISH:
            return Fraction(3 * n + 1)
        case Method.IMPERIALI:
            return Fraction(n + 2)
        case Method.HUNTINGTON_HILL:
            return Fraction(n * (n + 1))
        case Method.ADAMS:
            return Fraction(n)
        case _:
            raise SeatsError(f"{method} is not a divisor method", code=SeatsCode.NOT_A_DIVISOR_METHOD)


# A heap entry: (-tier, -priority, index). Tier 1 = zero divisor (infinite quotient, then by votes).
_Entry = tuple[int, Fraction, int]


def _entry(method: Method, v: int, n: int, i: int, first: Fraction) -> _Entry:
    d = divisor(method, n, first)
    if d == 0:
        return (-1, Fraction(-v), i)
    if method is Method.HUNTINGTON_HILL:
        return (0, Fraction(-v * v, d.numerator), i)
    return (0, -v / d, i)


def _describe(method: Method, name: str, v: int, n: int, first: Fraction) -> str:
    d = divisor(method, n, first)
    if d == 0:
        return f"{name}, no seat yet (divisor 0, infinite quotient; first seats go by votes: {v})"
    if method is Method.HUNTINGTON_HILL:
        return f"{name}, quotient {v}/√{n * (n + 1)}, squared {decimal_str(Fraction(v * v, n * (n + 1)), 10)}"
    return f"{name}, quotient {v}/{number_str(d)} = {decimal_str(v / d, 10)}"


def highest_averages(
    method: Method,
    votes: Sequence[int],
    seats: int,
    tb: TieBreak,
    steps: list[str],
    *,
    first_divisor: Fraction = Fraction(7, 5),
) -> list[int]:
    """Seats per party (same order as ``votes``)."""
    won = [0] * len(votes)
    heap = [_entry(method, v, 0, i, first_divisor) for i, v in enumerate(votes) if v > 0]
    heapq.heapify(heap)
    given = 0
    while given < seats and heap:
        top = heapq.heappop(heap)
        group = [top]
        while heap and heap[0][0] == top[0] and heap[0][1] == top[1]:
            group.append(heapq.heappop(heap))
        left = seats - given
        if len(group) > left:
            winners = tb.rank(sorted(e[2] for e in group), f"seat {given + 1} of {seats}", steps)[:left]
        else:
            winners = sorted(e[2] for e in group)
        for i in winners:
            given += 1
            n = won[i]
            steps.append(f"seat {given} of {seats}: " + _describe(method, tb.names[i], votes[i], n, first_divisor))
            won[i] = n + 1
            heapq.heappush(heap, _entry(method, votes[i], n + 1, i, first_divisor))
    return won
