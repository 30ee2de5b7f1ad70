"""The election sections of a preset version: party-list seat rules and the single-member district rule.

A value in a section is either literal or ``SettingRef`` (``{ setting = "NAME" }`` in the file), so a
point the sources do not settle (the Kurultai threshold, the district rule when "against all" comes
first) is a named setting with a conservative default (STYLE.md habit 13).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from saylau.model.errors import SaylauError
from saylau.seats import Method
from saylau.seats.types import OverflowMode, ThresholdBase, TieBreakMode

__all__ = [
    "AGAINST_ALL_RULES",
    "DISTRICT_TIES",
    "AgainstAllRule",
    "ContestMismatch",
    "DistrictDef",
    "DistrictTie",
    "PartyListDef",
    "SettingRef",
]

AgainstAllRule = Literal["no_winner", "best_candidate"]
AGAINST_ALL_RULES: tuple[AgainstAllRule, ...] = ("no_winner", "best_candidate")
DistrictTie = Literal["repeat", "lot", "order"]
DISTRICT_TIES: tuple[DistrictTie, ...] = ("repeat", "lot", "order")


@dataclass(frozen=True, slots=True)
class SettingRef:
    """A value taken from a named setting, e.g. the denominator of Uzbekistan's Yes share."""

    setting: str


@dataclass(frozen=True, slots=True)
class PartyListDef:
    """How the seats of a party-list contest are shared (builds a ``saylau.seats.SeatRules``).

    ``seats`` is the default for a contest that does not give its own (None: the contest must).
    ``threshold`` None means no threshold; it is compared with >= unless ``threshold_strict``.
    """

    source: str
    method: Method | SettingRef
    seats: int | None = None
    threshold: Fraction | SettingRef | None = None
    threshold_base: ThresholdBase | SettingRef = "all"
    threshold_strict: bool = False
    tie_break: TieBreakMode | SettingRef = "order"
    quota_overflow: OverflowMode = "take_back"
    droop_exact: bool = False
    first_divisor: Fraction = Fraction(7, 5)


@dataclass(frozen=True, slots=True)
class DistrictDef:
    """A single-member district: ``rule`` plurality; what happens when "against all" has at least as
    many votes as every candidate, and when candidates tie for the most votes."""

    source: str
    rule: Literal["plurality"] = "plurality"
    against_all_wins: AgainstAllRule | SettingRef = "no_winner"
    tie: DistrictTie | SettingRef = "repeat"


class ContestMismatch(SaylauError):
    """A preset asked for a contest it cannot decide: a referendum preset for a party list, an election
    preset for a question, a version without the section the contest kind needs."""

    code = "contest_kind_mismatch"
