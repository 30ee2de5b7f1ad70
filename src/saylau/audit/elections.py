"""Assertions for election contests (spec/audit.md §3a): a district's winner over each loser, and a
party-list allocation by a divisor method with a threshold, as pairwise assertions between each party's
last seat and every other party's next one (Blom, Stuckey, Teague, "Assertion-based approaches to auditing
complex elections, with application to party-list proportional elections", E-Vote-ID 2021).

Each assertion is a linear claim ``Σ_b c(option of b) > 0`` over all the ballots of the contest (a ballot
for no listed option — blank, invalid — has coefficient 0), with the assorter
``a(b) = 1/2 + c(b) / (2·|min c|)`` (§2 with ``k = 0``): for a winner over a loser, winner → 1, loser → 0,
other → 1/2. Exact arithmetic throughout.

- Divisor methods: D'Hondt divisors 1, 2, 3, …; Sainte-Laguë 1, 3, 5, …. Party A (s_A seats, s_A ≥ 1)
  keeps its last seat against party B (s_B seats) when ``v_A / d(s_A) > v_B / d(s_B + 1)``, i.e.
  ``d(s_B + 1)·v_A − d(s_A)·v_B > 0``; all such pairs together fix the allocation (ties: margin 0).
- A threshold ``t`` of the valid votes: ``(1 − t)·v_p − t·Σ_{q≠p} v_q > 0`` for a party over it, the
  complement for a party under it. Quota methods (Hare/largest remainder) are not covered yet.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from saylau.audit.codes import AuditCode
from saylau.audit.errors import AuditError
from saylau.model.numbers import percent

__all__ = ["DivisorMethod", "OptionAssertion", "district_assertions", "party_list_assertions"]

DivisorMethod = Literal["dhondt", "sainte_lague"]
Kind = Literal["winner_over_loser", "threshold", "last_seat"]


@dataclass(frozen=True, slots=True)
class OptionAssertion:
    """``Σ c(option) > 0`` over ``ballots`` ballots; ``assorter``: each option's value, ``other`` for the rest."""

    id: str
    kind: Kind
    coefficients: tuple[tuple[str, Fraction], ...]
    ballots: int
    assorter: tuple[tuple[str, Fraction], ...]
    other: Fraction
    margin: Fraction
    statement: str

    @property
    def upper(self) -> Fraction:
        return max([self.other, *(v for _, v in self.assorter)])

    def total(self, votes: Mapping[str, int]) -> Fraction:
        """``Σ c`` over these votes: the claim holds exactly when it is positive."""
        return sum((c * votes.get(o, 0) for o, c in self.coefficients), Fraction(0))


def _assertion(
    id: str, kind: Kind, coefficients: Mapping[str, Fraction], votes: Mapping[str, int], ballots: int, statement: str
) -> OptionAssertion:
    low = min(coefficients.values())
    if low >= 0 or ballots <= 0:
        raise AuditError(
            f"{id}: a claim with no opposing option cannot be audited", code=AuditCode.DEGENERATE_ASSERTION
        )
    values = {o: Fraction(1, 2) + c / (2 * -low) for o, c in coefficients.items()}
    total = sum((c * votes.get(o, 0) for o, c in coefficients.items()), Fraction(0))
    v = total / (ballots * -low)  # 2·mean(a) − 1
    upper = max([Fraction(1, 2), *values.values()])
    return OptionAssertion(
        id, kind, tuple(sorted(coefficients.items())), ballots, tuple(sorted(values.items())), Fraction(1, 2),
        max(v, Fraction(0)) / upper, statement,
    )  # fmt: skip


def _check_votes(votes: Mapping[str, int], ballots: int) -> None:
    if any(v < 0 for v in votes.values()) or sum(votes.values()) > ballots:
        raise AuditError(
            "votes must be ≥ 0 and add up to at most the ballots cast",
            code=AuditCode.BAD_PARAMETER,
            details={"ballots": ballots, "votes": sum(votes.values())},
        )


def district_assertions(votes: Mapping[str, int], ballots: int) -> tuple[OptionAssertion, ...]:
    """The reported winner (most votes) over each loser; a tie for first is margin 0."""
    _check_votes(votes, ballots)
    if len(votes) < 2:
        return ()
    winner = max(sorted(votes), key=lambda o: votes[o])
    out = []
    for loser in sorted(o for o in votes if o != winner):
        coefficients = {winner: Fraction(1), loser: Fraction(-1)}
        text = f"{winner} has more votes than {loser}"
        out.append(_assertion(f"{winner}>{loser}", "winner_over_loser", coefficients, votes, ballots, text))
    return tuple(sorted(out, key=lambda a: (a.margin, a.id)))


def _divisor(method: DivisorMethod, seat: int) -> int:
    """The divisor of a party's ``seat``-th seat (1-based)."""
    return seat if method == "dhondt" else 2 * seat - 1


def party_list_assertions(
    votes: Mapping[str, int],
    seats: Mapping[str, int],
    ballots: int,
    method: DivisorMethod,
    threshold: Fraction = Fraction(0),
) -> tuple[OptionAssertion, ...]:
    """Threshold crossings and last-seat pairs for a divisor-method allocation, tightest first."""
    _check_votes(votes, ballots)
    valid = sum(votes.values())
    out: list[OptionAssertion] = []
    eligible = sorted(p for p in votes if threshold == 0 or Fraction(votes[p], valid or 1) >= threshold)
    if threshold > 0:
        for p in sorted(votes):
            over = p in eligible
            sign = 1 if over else -1
            coefficients = {q: sign * ((1 - threshold) if q == p else -threshold) for q in votes}
            text = f"{p} {'reaches' if over else 'stays under'} the {percent(threshold)} threshold"
            out.append(_assertion(f"threshold:{p}", "threshold", coefficients, votes, ballots, text))
    for a, b in itertools.permutations(eligible, 2):
        s_a, s_b = seats.get(a, 0), seats.get(b, 0)
        if s_a == 0:
            continue
        d_a, d_b = _divisor(method, s_a), _divisor(method, s_b + 1)
        coefficients = {a: Fraction(d_b), b: Fraction(-d_a)}
        text = f"{a}'s seat {s_a} (votes/{d_a}) beats {b}'s seat {s_b + 1} (votes/{d_b})"
        out.append(_assertion(f"seat:{a}>{b}", "last_seat", coefficients, votes, ballots, text))
    return tuple(sorted(out, key=lambda x: (x.margin, x.id)))
