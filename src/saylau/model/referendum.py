"""An event and its contests: referendum questions, party lists, single-member districts (spec/contests.md).

A contest is on the ballot in the precincts under its ``scope`` unit (None: everywhere). A question's
answers are the preset's yes/no fields; a party list's and a district's options are its parties or
candidates, and "against all" where the ballot has it: each option is a protocol field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from saylau.model.ids import EventCode, QuestionCode, UnitCode

__all__ = [
    "BALLOT_FIELDS",
    "LANGS",
    "Contest",
    "ContestKind",
    "DistrictContest",
    "ElectionContest",
    "Lang",
    "Option",
    "OptionKind",
    "PartyListContest",
    "QuestionContest",
    "QuestionText",
    "Referendum",
]

Lang = Literal["kk", "ru", "en"]
LANGS: tuple[Lang, ...] = ("kk", "ru", "en")


@dataclass(frozen=True, slots=True)
class QuestionText:
    """One language's text. ``official`` is False for a translation, which must never pass as official."""

    lang: Lang
    text: str
    official: bool
    source: str | None = None


# Protocol fields that are never an option's code (an option code becomes a protocol field).
BALLOT_FIELDS: frozenset[str] = frozenset(
    {"registered", "received", "issued", "cancelled", "participated", "invalid", "not_counted", "yes", "no"}
)


class ContestKind(StrEnum):
    QUESTION = "question"  # yes / no: a referendum question or a recall vote
    PARTY_LIST = "party_list"  # seats shared among party lists
    DISTRICT = "district"  # one seat, by plurality, in a single-member district


class OptionKind(StrEnum):
    PARTY = "party"
    CANDIDATE = "candidate"
    AGAINST_ALL = "against_all"  # counts in the threshold base, never wins (kazakhstan.md §3)


@dataclass(frozen=True, slots=True)
class Option:
    """A party list or a candidate. ``order`` is the registration order (the Kazakh tie-break);
    ``candidates`` is a party's ranked list; ``party`` a district candidate's nominating party."""

    code: str
    kind: OptionKind
    names: Mapping[str, str] = field(default_factory=dict)
    order: int | None = None
    candidates: tuple[str, ...] = ()
    party: str | None = None

    def name(self, lang: str = "en") -> str:
        return self.names.get(lang) or self.names.get("en") or next(iter(self.names.values()), self.code)


class _Texts:
    """What every contest has: its texts per language (mixed into each contest type; no fields)."""

    __slots__ = ()
    texts: tuple[QuestionText, ...]

    def text(self, lang: Lang = "en") -> QuestionText | None:
        return next((t for t in self.texts if t.lang == lang), None)


@dataclass(frozen=True, slots=True)
class QuestionContest(_Texts):
    """A yes/no question: a referendum question or a recall vote (spec/contests.md §1). Its answers are
    the preset's ballot fields, so it has no options and no seats; ``scope`` None means everywhere."""

    code: QuestionCode
    texts: tuple[QuestionText, ...]
    scope: UnitCode | None = None
    kind: Literal[ContestKind.QUESTION] = ContestKind.QUESTION

    @property
    def option_fields(self) -> tuple[str, ...]:
        """No option fields: the answers (yes, no) are ballot fields of the preset's protocol."""
        return ()


@dataclass(frozen=True, slots=True)
class PartyListContest(_Texts):
    """Seats shared among party lists (spec/contests.md §1, §4). ``options`` are the parties in ballot
    order and at most one "against all"; ``seats`` >= 1; ``scope`` None means everywhere."""

    code: QuestionCode
    texts: tuple[QuestionText, ...]
    options: tuple[Option, ...]
    seats: int | None  # None: the preset version's default (rules.list_seats)
    scope: UnitCode | None = None
    kind: Literal[ContestKind.PARTY_LIST] = ContestKind.PARTY_LIST

    @property
    def option_fields(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.options)


@dataclass(frozen=True, slots=True)
class DistrictContest(_Texts):
    """One seat by plurality in a single-member district (Election Law Art. 9(2); spec/contests.md §1):
    its ``scope`` is the district unit (always given), ``options`` its candidates and at most one
    "against all"."""

    code: QuestionCode
    texts: tuple[QuestionText, ...]
    scope: UnitCode
    options: tuple[Option, ...]
    kind: Literal[ContestKind.DISTRICT] = ContestKind.DISTRICT

    @property
    def seats(self) -> Literal[1]:
        """A single-member district elects exactly one deputy."""
        return 1

    @property
    def option_fields(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.options)


# A contest is one of three kinds, each with only its own fields; dispatch with ``match`` on the class
# (or on the ``kind`` tag) and ``assert_never`` (STYLE habits 3 and 5).
Contest = QuestionContest | PartyListContest | DistrictContest
ElectionContest = PartyListContest | DistrictContest


@dataclass(frozen=True, slots=True)
class Referendum:
    """An event: a referendum, an election or a recall (the historical name stays), with its contests."""

    code: EventCode
    title: str
    date: dt.date
    preset: str
    contests: tuple[Contest, ...]
    settings: Mapping[str, str] = field(default_factory=dict)
    description: str = ""
