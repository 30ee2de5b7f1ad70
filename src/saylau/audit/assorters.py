"""Ballot categories, linear assertions and their assorters (spec/audit.md §2).

An assertion is a claim ``Σ_b c(b) > k`` over the ballots of a population (the nation or a unit), where
``c`` gives each ballot category a rational coefficient and ``k`` is a trusted constant (0, or a share of
the register). It becomes a SHANGRLA assorter (Stark, "Sets of Half-Average Nulls Generate Risk-Limiting
Audits", 2020, §2): ``a(b) = 1/2 + s·(c(b) − k/N)`` with ``s = 1 / (2·(k/N − min c))``, so that ``a ≥ 0``,
its smallest value is 0, and ``mean(a) > 1/2`` exactly when the claim holds. For ``Yes > f·valid`` this is
SHANGRLA's ``make_supermajority_assertion``: Yes → 1/(2f), No → 0, any other ballot → 1/2.

Everything here is exact (``Fraction``, STYLE habit 13).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from saylau.audit.codes import AuditCode
from saylau.audit.errors import AuditError

__all__ = ["CATEGORIES", "Assorter", "BallotCounts", "Category", "LinearClaim", "assorter_of"]

Category = Literal["yes", "no", "invalid", "not_counted"]
CATEGORIES: tuple[Category, ...] = ("yes", "no", "invalid", "not_counted")


@dataclass(frozen=True, slots=True)
class BallotCounts:
    """The ballots of a batch (or a population) by category: a protocol's figures or an audit board's count."""

    yes: int
    no: int
    invalid: int = 0
    not_counted: int = 0

    def __post_init__(self) -> None:
        if min(self.yes, self.no, self.invalid, self.not_counted) < 0:
            raise AuditError(f"negative ballot count in {self}", code=AuditCode.BAD_HAND_COUNT)

    @property
    def ballots(self) -> int:
        return self.yes + self.no + self.invalid + self.not_counted

    def get(self, category: Category) -> int:
        match category:
            case "yes":
                return self.yes
            case "no":
                return self.no
            case "invalid":
                return self.invalid
            case "not_counted":
                return self.not_counted

    def __add__(self, other: BallotCounts) -> BallotCounts:
        return BallotCounts(
            self.yes + other.yes,
            self.no + other.no,
            self.invalid + other.invalid,
            self.not_counted + other.not_counted,
        )


@dataclass(frozen=True, slots=True)
class LinearClaim:
    """``Σ_b coefficient(category of b) > k`` over ``ballots`` ballots (``k`` trusted: 0 or from the register)."""

    coefficients: tuple[tuple[Category, Fraction], ...]
    k: Fraction
    ballots: int

    def coefficient(self, category: Category) -> Fraction:
        return dict(self.coefficients).get(category, Fraction(0))

    def total(self, counts: BallotCounts) -> Fraction:
        return sum((self.coefficient(c) * counts.get(c) for c in CATEGORIES), Fraction(0))

    def trivially_true(self) -> bool:
        """True when the claim holds whatever the ballots say (even all of them in the worst category)."""
        return self.ballots * min(self.coefficient(c) for c in CATEGORIES) > self.k

    def untestable(self) -> bool:
        """No assorter exists: no ballots, or the claim fails only if every ballot is in its worst category."""
        return self.ballots <= 0 or self.ballots * min(self.coefficient(c) for c in CATEGORIES) >= self.k


@dataclass(frozen=True, slots=True)
class Assorter:
    """A linear assorter: each category's value, all ≥ 0; ``upper`` is the largest (SHANGRLA's ``u``)."""

    values: tuple[tuple[Category, Fraction], ...]

    def value(self, category: Category) -> Fraction:
        return dict(self.values)[category]

    @property
    def upper(self) -> Fraction:
        return max(v for _, v in self.values)

    def total(self, counts: BallotCounts) -> Fraction:
        return sum((v * counts.get(c) for c, v in self.values), Fraction(0))

    def scaled(self) -> tuple[int, tuple[int, int, int, int]]:
        """(D, the values times D as integers, in CATEGORIES order): for fast integer batch arithmetic."""
        denominator = 1
        for _, v in self.values:
            denominator = denominator * v.denominator // _gcd(denominator, v.denominator)
        ints = tuple(int(self.value(c) * denominator) for c in CATEGORIES)
        return denominator, (ints[0], ints[1], ints[2], ints[3])


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def assorter_of(claim: LinearClaim) -> Assorter:
    """The assorter of ``claim``: its mean exceeds 1/2 exactly when the claim holds (module docstring)."""
    n = claim.ballots
    if n <= 0:
        raise AuditError("an assertion over no ballots cannot be audited", code=AuditCode.DEGENERATE_ASSERTION)
    low = min(claim.coefficient(c) for c in CATEGORIES)
    gap = claim.k / n - low
    if gap <= 0:
        raise AuditError(
            "the assertion fails only if every ballot is in its worst category: no sample can test it",
            code=AuditCode.DEGENERATE_ASSERTION,
            details={"k": str(claim.k), "ballots": n},
        )
    s = 1 / (2 * gap)
    return Assorter(tuple((c, Fraction(1, 2) + s * (claim.coefficient(c) - claim.k / n)) for c in CATEGORIES))
