"""Value types of seat allocation: input rows, rules, the result, and the typed errors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Literal

from saylau.model.errors import SaylauError
from saylau.seats.codes import SeatsCode

__all__ = [
    "NON_PARTY_NAMES",
    "Allocation",
    "Method",
    "OverflowMode",
    "OverhangMode",
    "PartyRow",
    "PartySeats",
    "SeatRules",
    "SeatsError",
    "Threshold",
    "ThresholdBase",
    "TieBreakMode",
    "TieUnresolved",
    "is_party",
]

# Rows that count toward an `all` threshold base but are never parties (kazakhstan.md §3: "against all"
# is in the denominator of the published shares). Compared case-insensitively.
NON_PARTY_NAMES = frozenset({"AGAINST ALL", "BLANK", "INVALID"})

ThresholdBase = Literal["all", "parties"]
TieBreakMode = Literal["order", "lot"]
OverhangMode = Literal["keep", "drop"]
OverflowMode = Literal["take_back", "error"]


class Method(StrEnum):
    """Allocation methods; the value is the name used on the command line."""

    HARE = "hare"
    DROOP = "droop"
    HAGENBACH_BISCHOFF = "hagenbach-bischoff"
    IMPERIALI_QUOTA = "imperiali-quota"
    DHONDT = "dhondt"
    SAINTE_LAGUE = "sainte-lague"
    MODIFIED_SAINTE_LAGUE = "modified-sainte-lague"
    DANISH = "danish"
    IMPERIALI = "imperiali"
    HUNTINGTON_HILL = "huntington-hill"
    ADAMS = "adams"

    @property
    def is_quota(self) -> bool:
        return self in _QUOTA_METHODS


_QUOTA_METHODS = frozenset({Method.HARE, Method.DROOP, Method.HAGENBACH_BISCHOFF, Method.IMPERIALI_QUOTA})


def is_party(name: str, eligible: bool = True) -> bool:
    """A row that may hold seats: eligible and not one of AGAINST ALL / BLANK / INVALID (any case)."""
    return eligible and name.strip().upper() not in NON_PARTY_NAMES


@dataclass(frozen=True, slots=True)
class PartyRow:
    """One row of the input: a party list (or a non-party row such as AGAINST ALL) and its votes.

    ``order`` is the registration order (smaller = registered earlier), used to break ties.
    """

    name: str
    votes: int
    district_seats: int = 0
    threshold_exempt: bool = False
    order: int | None = None
    eligible: bool = True

    @property
    def is_party(self) -> bool:
        return is_party(self.name, self.eligible)


@dataclass(frozen=True, slots=True)
class Threshold:
    """A party qualifies when votes >= share * base (or > with ``strict``)."""

    share: Fraction
    base: ThresholdBase = "all"
    strict: bool = False


@dataclass(frozen=True, slots=True)
class SeatRules:
    """How to allocate. Defaults follow the Kazakh rule where one applies (kazakhstan.md §3.1)."""

    method: Method
    threshold: Threshold | None = None
    alt_threshold_districts: int | None = None
    first_divisor: Fraction = Fraction(7, 5)  # modified Sainte-Laguë: 1.4 (Norway); Sweden uses 1.2
    droop_exact: bool = False  # Droop as the exact V/(S+1) instead of floor(V/(S+1)) + 1
    quota_overflow: OverflowMode = "take_back"
    tie_break: TieBreakMode = "order"
    seed: str | None = None
    compensatory: bool = False
    overhang: OverhangMode = "keep"


@dataclass(frozen=True, slots=True)
class PartySeats:
    """The result for one input row. ``list_seats`` and ``overhang`` are set only when compensatory."""

    party: str
    votes: int
    qualified: bool
    seats: int
    district_seats: int = 0
    list_seats: int | None = None
    overhang: int | None = None


@dataclass(frozen=True, slots=True)
class Allocation:
    """Seats for every input row (0 included) in input order, the quota if the method has one, and
    the explanation, one plain sentence per step, in order."""

    method: Method
    rows: tuple[PartySeats, ...]
    quota: Fraction | None
    steps: tuple[str, ...]
    compensatory: bool = False

    @property
    def seats(self) -> dict[str, int]:
        return {r.party: r.seats for r in self.rows}

    @property
    def qualified(self) -> tuple[str, ...]:
        return tuple(r.party for r in self.rows if r.qualified)

    @property
    def house(self) -> int:
        return sum(r.seats for r in self.rows)


class SeatsError(SaylauError):
    """The allocation cannot be made with these rules and data (the code says why)."""

    code: str = SeatsCode.SEATS


class TieUnresolved(SeatsError):
    """A tie decides a seat and the data cannot break it (order missing or equal, no lot)."""

    code: str = SeatsCode.TIE_UNRESOLVED

    def __init__(self, parties: Sequence[str], what: str, reason: str):
        self.parties = tuple(parties)
        names = ", ".join(self.parties)
        super().__init__(f"tie for {what} between {names}: {reason}", details={"parties": list(self.parties)})
