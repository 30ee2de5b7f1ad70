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
    "ContestKind",
    "Lang",
    "Option",
    "OptionKind",
    "Question",
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


@dataclass(frozen=True, slots=True)
class Question:
    """A contest (the historical name stays: a referendum's contests are its questions)."""

    code: QuestionCode
    texts: tuple[QuestionText, ...]
    kind: ContestKind = ContestKind.QUESTION
    options: tuple[Option, ...] = ()
    scope: UnitCode | None = None
    seats: int = 0

    @property
    def option_fields(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.options)

    def text(self, lang: Lang = "en") -> QuestionText | None:
        return next((t for t in self.texts if t.lang == lang), None)


@dataclass(frozen=True, slots=True)
class Referendum:
    code: EventCode
    title: str
    date: dt.date
    preset: str
    questions: tuple[Question, ...]
    settings: Mapping[str, str] = field(default_factory=dict)
    description: str = ""
