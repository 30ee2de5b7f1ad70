"""Assertions for election contests (spec/audit.md §3a): a district's winner over each loser, and a
party-list allocation with a threshold, by a divisor method or by a quota and largest remainders, as
pairwise assertions between each party's last seat and every other party's next one (Blom, Stuckey,
Teague, "Assertion-based approaches to auditing complex elections, with application to party-list
proportional elections", E-Vote-ID 2021, §4 D'Hondt and §5 Hare-Niemeyer).

Each assertion is a linear claim ``Σ_b c(option of b) > k`` over all the ballots of the contest (a ballot
for no listed option — blank, invalid — has coefficient 0; ``k`` a fixed number, 0 but for the floored
Droop quota), with the assorter of spec/audit.md §2: ``a(b) = 1/2 + s·(c(b) − k/N)``,
``s = 1 / (2·(k/N − min c))``; for ``k = 0``: ``a(b) = 1/2 + c(b) / (2·|min c|)`` (winner → 1, loser → 0,
other → 1/2 for a winner over a loser). Exact arithmetic throughout.

- Divisor methods: D'Hondt divisors 1, 2, 3, …; Sainte-Laguë 1, 3, 5, …. Party A (s_A seats, s_A ≥ 1)
  keeps its last seat against party B (s_B seats) when ``v_A / d(s_A) > v_B / d(s_B + 1)``, i.e.
  ``d(s_B + 1)·v_A − d(s_A)·v_B > 0``; all such pairs together fix the allocation (ties: margin 0).
- Quota methods (largest remainders with the quota ``q = V_Q / m`` over the votes ``V_Q`` of the parties
  taking part: Hare m = S, Hagenbach-Bischoff and the exact Droop m = S + 1, the Imperiali quota m = S + 2):
  the allocation is the S largest of the priorities ``v_p / q − (j − 1)`` (party p's j-th seat), so A keeps
  its last seat against B's next one when ``v_A − v_B − δ·q > 0``, ``δ = s_A − 1 − s_B``, that is
  ``(m − δ)·v_A − (m + δ)·v_B − δ·Σ_{p ∈ Q∖{A,B}} v_p > 0``. The floored Droop quota
  ``⌊V_Q/(S + 1)⌋ + 1`` lies in ``(V_Q/m, V_Q/m + 1]``: the claim uses the bound that makes it harder,
  ``k = δ·m`` for δ > 0 (sound: it can only ask for more evidence).
- A threshold ``t`` of a base (every option, or the parties only): ``(1 − t)·v_p − t·Σ_{q ∈ base, q≠p} v_q > 0``
  for a party over it (tested as ``>`` where the law says ``≥``), the complement for a party under it.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from saylau.audit.codes import AuditCode
from saylau.audit.errors import AuditError
from saylau.model.numbers import fraction_str, percent
from saylau.seats import Method, SeatRules

__all__ = [
    "ALLOCATION_METHODS",
    "AssertionTerms",
    "DivisorMethod",
    "DivisorSeatTerms",
    "OptionAssertion",
    "QuotaSeatTerms",
    "ThresholdTerms",
    "WinnerTerms",
    "allocation_assertions",
    "district_assertions",
    "party_list_assertions",
]

DivisorMethod = Literal["dhondt", "sainte_lague"]
Kind = Literal["winner_over_loser", "threshold", "last_seat"]


@dataclass(frozen=True, slots=True)
class WinnerTerms:
    """A district's reported winner over one loser: ``v_winner − v_loser > 0``."""

    winner: str
    loser: str
    tag: Literal["winner_over_loser"] = "winner_over_loser"


@dataclass(frozen=True, slots=True)
class ThresholdTerms:
    """A party's side of the threshold ``share`` of the ``base`` options' votes (``over``: it reaches it;
    ``strict``: the law's ``>``, else ``≥``)."""

    party: str
    share: Fraction
    over: bool
    strict: bool
    base: Literal["all", "parties"]
    tag: Literal["threshold"] = "threshold"


@dataclass(frozen=True, slots=True)
class DivisorSeatTerms:
    """``winner``'s seat ``seat`` (votes/``divisor``) beats ``loser``'s seat ``next_seat`` (votes/``next_divisor``)."""

    method: DivisorMethod
    winner: str
    seat: int
    divisor: int
    loser: str
    next_seat: int
    next_divisor: int
    tag: Literal["divisor_seat"] = "divisor_seat"


@dataclass(frozen=True, slots=True)
class QuotaSeatTerms:
    """Largest remainders: ``winner``'s seat ``seat`` (priority votes/quota − (seat − 1)) beats ``loser``'s
    seat ``next_seat``, the quota being the qualified votes / ``m`` (``k`` > 0: the floored Droop quota's bound)."""

    winner: str
    seat: int
    loser: str
    next_seat: int
    m: int
    k: Fraction
    tag: Literal["quota_seat"] = "quota_seat"


# What an assertion says, in structured form (the pages say it from these in kk/ru/en; spec/audit.md §15).
AssertionTerms = WinnerTerms | ThresholdTerms | DivisorSeatTerms | QuotaSeatTerms


@dataclass(frozen=True, slots=True)
class OptionAssertion:
    """``Σ c(option) > k`` over ``ballots`` ballots; ``assorter``: each option's value, ``other`` for the rest."""

    id: str
    kind: Kind
    coefficients: tuple[tuple[str, Fraction], ...]
    ballots: int
    assorter: tuple[tuple[str, Fraction], ...]
    other: Fraction
    margin: Fraction
    statement: str
    k: Fraction = Fraction(0)
    # what ``statement`` says, for the pages' words; None for an assertion read back from plan.json
    # (its ``statement`` is then all there is)
    terms: AssertionTerms | None = None

    @property
    def upper(self) -> Fraction:
        return max([self.other, *(v for _, v in self.assorter)])

    def total(self, votes: Mapping[str, int]) -> Fraction:
        """``Σ c`` over these votes: the claim holds exactly when it exceeds ``k``."""
        return sum((c * votes.get(o, 0) for o, c in self.coefficients), Fraction(0))

    def holds(self, votes: Mapping[str, int]) -> bool:
        return self.total(votes) > self.k


def _assertion(
    id: str,
    kind: Kind,
    coefficients: Mapping[str, Fraction],
    votes: Mapping[str, int],
    ballots: int,
    statement: str,
    terms: AssertionTerms,
    k: Fraction = Fraction(0),
) -> OptionAssertion:
    low = min([Fraction(0), *coefficients.values()])  # a ballot for no listed option: coefficient 0
    gap = (k / ballots - low) if ballots > 0 else Fraction(0)
    if min(coefficients.values()) >= 0 or gap <= 0:
        raise AuditError(
            f"{id}: a claim with no opposing option cannot be audited", code=AuditCode.DEGENERATE_ASSERTION
        )
    s = 1 / (2 * gap)  # spec/audit.md §2: a = 1/2 + s·(c − k/N)
    values = {o: Fraction(1, 2) + s * (c - k / ballots) for o, c in coefficients.items()}
    other = Fraction(1, 2) - s * k / ballots
    total = sum((c * votes.get(o, 0) for o, c in coefficients.items()), Fraction(0))
    v = 2 * s * (total - k) / ballots  # 2·mean(a) − 1
    upper = max([other, *values.values()])
    return OptionAssertion(
        id, kind, tuple(sorted(coefficients.items())), ballots, tuple(sorted(values.items())), other,
        max(v, Fraction(0)) / upper, statement, k, terms,
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
        terms = WinnerTerms(winner, loser)
        out.append(_assertion(f"{winner}>{loser}", "winner_over_loser", coefficients, votes, ballots, text, terms))
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
    """Threshold crossings and last-seat pairs for a divisor-method allocation, tightest first (the
    threshold's base: every option of ``votes``; ``≥``)."""
    _check_votes(votes, ballots)
    valid = sum(votes.values())
    eligible = sorted(p for p in votes if threshold == 0 or Fraction(votes[p], valid or 1) >= threshold)
    out = _threshold_assertions(votes, ballots, threshold, sorted(votes), sorted(votes), strict=False)
    out += _divisor_seats(votes, seats, ballots, method, eligible)
    return tuple(sorted(out, key=lambda x: (x.margin, x.id)))


# The allocation methods whose last seats are linear assertions (spec/audit.md §3a), and each quota's m.
_QUOTA_M: Mapping[Method, int] = {
    Method.HARE: 0,
    Method.DROOP: 1,
    Method.HAGENBACH_BISCHOFF: 1,
    Method.IMPERIALI_QUOTA: 2,
}
ALLOCATION_METHODS = frozenset({Method.DHONDT, Method.SAINTE_LAGUE, *_QUOTA_M})


def allocation_assertions(
    votes: Mapping[str, int],
    seats: Mapping[str, int],
    ballots: int,
    rules: SeatRules,
    *,
    non_parties: frozenset[str] = frozenset(),
) -> tuple[OptionAssertion, ...]:
    """The assertions that fix a party-list allocation made by ``rules`` (saylau.seats): each threshold
    crossing and each last seat, tightest first. ``votes``: every option of the contest (``non_parties``
    such as "against all" count in an ``all`` threshold base and never hold a seat); ``seats``: the
    reported seats of the parties; ``ballots``: every ballot of the contest (blank and invalid ones too)."""
    _check_votes(votes, ballots)
    if rules.method not in ALLOCATION_METHODS or rules.compensatory or rules.alt_threshold_districts is not None:
        raise AuditError(
            f"a {rules.method} allocation{' with compensatory seats' if rules.compensatory else ''} cannot be "
            "audited yet (spec/audit.md §3a: D'Hondt, Sainte-Laguë, Hare, Droop, Hagenbach-Bischoff, Imperiali quota)",
            code=AuditCode.UNSUPPORTED_CONDITION,
            details={"method": str(rules.method)},
        )
    parties = sorted(p for p in votes if p not in non_parties)
    t = rules.threshold
    out: list[OptionAssertion] = []
    if t is None or t.share == 0:
        eligible = parties
    else:
        base = sorted(votes) if t.base == "all" else parties
        total = sum(votes[p] for p in base)
        eligible = [p for p in parties if (votes[p] > t.share * total if t.strict else votes[p] >= t.share * total)]
        out += _threshold_assertions(
            votes, ballots, t.share, base, parties, strict=t.strict, over=eligible, base_kind=t.base
        )
    if rules.method in _QUOTA_M:
        out += _quota_seats(votes, seats, ballots, rules, eligible)
    else:
        method: DivisorMethod = "dhondt" if rules.method == Method.DHONDT else "sainte_lague"
        out += _divisor_seats(votes, seats, ballots, method, eligible)
    return tuple(sorted(out, key=lambda x: (x.margin, x.id)))


def _threshold_assertions(
    votes: Mapping[str, int],
    ballots: int,
    t: Fraction,
    base: list[str],
    parties: list[str],
    *,
    strict: bool,
    over: list[str] | None = None,
    base_kind: Literal["all", "parties"] = "all",
) -> list[OptionAssertion]:
    """Each party's side of the threshold ``t`` of the ``base`` options' votes (``over``: the parties over
    it; None: ``≥`` over the base); a ``≥`` rule is tested as ``>``, a party under a ``>`` rule as ``<``."""
    if t == 0:
        return []
    total = sum(votes[q] for q in base)
    above = over if over is not None else [p for p in parties if Fraction(votes[p], total or 1) >= t]
    out = []
    for p in parties:
        sign = 1 if p in above else -1
        coefficients = {q: sign * ((1 - t) if q == p else -t) for q in base}
        op = ">" if strict else "≥"
        text = f"{p} {'reaches' if p in above else 'stays under'} the {percent(t)} threshold ({op})"
        terms = ThresholdTerms(p, t, p in above, strict, base_kind)
        out.append(_assertion(f"threshold:{p}", "threshold", coefficients, votes, ballots, text, terms))
    return out


def _divisor_seats(
    votes: Mapping[str, int], seats: Mapping[str, int], ballots: int, method: DivisorMethod, eligible: list[str]
) -> list[OptionAssertion]:
    out = []
    for a, b in itertools.permutations(eligible, 2):
        s_a, s_b = seats.get(a, 0), seats.get(b, 0)
        if s_a == 0:
            continue
        d_a, d_b = _divisor(method, s_a), _divisor(method, s_b + 1)
        coefficients = {a: Fraction(d_b), b: Fraction(-d_a)}
        text = f"{a}'s seat {s_a} (votes/{d_a}) beats {b}'s seat {s_b + 1} (votes/{d_b})"
        terms = DivisorSeatTerms(method, a, s_a, d_a, b, s_b + 1, d_b)
        out.append(_assertion(f"seat:{a}>{b}", "last_seat", coefficients, votes, ballots, text, terms))
    return out


def _quota_seats(
    votes: Mapping[str, int], seats: Mapping[str, int], ballots: int, rules: SeatRules, eligible: list[str]
) -> list[OptionAssertion]:
    """Largest remainders (spec/audit.md §3a): A's s_A-th seat, priority ``v_A/q − (s_A − 1)``, beats B's
    (s_B + 1)-th, priority ``v_B/q − s_B``, with ``q = V_Q/m``: ``m·(v_A − v_B) − δ·V_Q > k``."""
    house = sum(seats.get(p, 0) for p in eligible)
    m = house + _QUOTA_M[rules.method]
    floored = rules.method == Method.DROOP and not rules.droop_exact
    out = []
    for a, b in itertools.permutations(eligible, 2):
        s_a, s_b = seats.get(a, 0), seats.get(b, 0)
        if s_a == 0:
            continue
        delta = s_a - 1 - s_b
        coefficients = {p: Fraction(-delta) for p in eligible}
        coefficients[a] = Fraction(m - delta)
        coefficients[b] = Fraction(-m - delta)
        coefficients = {p: c for p, c in coefficients.items() if c != 0 or p in (a, b)}
        k = Fraction(delta * m) if floored and delta > 0 else Fraction(0)  # q ≤ V_Q/m + 1: the harder bound
        text = (
            f"{a}'s seat {s_a} (votes/quota − {s_a - 1}) beats {b}'s seat {s_b + 1} (votes/quota − {s_b}), "
            f"quota = qualified votes/{m}" + (f" + 1 at most (claim > {fraction_str(k)})" if k else "")
        )
        terms = QuotaSeatTerms(a, s_a, b, s_b + 1, m, k)
        out.append(_assertion(f"seat:{a}>{b}", "last_seat", coefficients, votes, ballots, text, terms, k))
    return out
