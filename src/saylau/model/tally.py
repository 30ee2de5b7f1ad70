"""The counts an outcome is decided on, for one question in one unit (or the nation)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from saylau.model.protocol import Counts

__all__ = ["Tally", "UnitRow"]


@dataclass(frozen=True, slots=True)
class Tally:
    registered: int
    participated: int
    yes: int
    no: int
    not_counted: int = 0
    invalid: int = 0

    @property
    def valid(self) -> int:
        """Votes for an answer: Yes + No (both-marked and invalid ballots excluded)."""
        return self.yes + self.no

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.registered + other.registered,
            self.participated + other.participated,
            self.yes + other.yes,
            self.no + other.no,
            self.not_counted + other.not_counted,
            self.invalid + other.invalid,
        )

    @classmethod
    def zero(cls) -> Tally:
        return cls(0, 0, 0, 0, 0, 0)

    @classmethod
    def total(cls, tallies: Iterable[Tally]) -> Tally:
        out = cls.zero()
        for t in tallies:
            out = out + t
        return out

    @classmethod
    def from_counts(cls, counts: Counts) -> Tally:
        return cls(
            registered=counts["registered"],
            participated=counts["participated"],
            yes=counts["yes"],
            no=counts["no"],
            not_counted=counts.get("not_counted", 0),
            invalid=counts.get("invalid", 0),
        )


@dataclass(frozen=True, slots=True)
class UnitRow:
    """A unit's result for the regional-majority test. ``weight`` is 1 for a unit, 1/2 for a Swiss half
    canton, 0 for a row counted nationally but not as a unit (abroad)."""

    unit: str
    tally: Tally
    weight: Fraction = Fraction(1)
