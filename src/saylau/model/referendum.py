"""A referendum: its questions (texts in Kazakh, Russian, English), date and the rule preset deciding it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from saylau.model.ids import EventCode, QuestionCode

__all__ = ["LANGS", "Lang", "Question", "QuestionText", "Referendum"]

Lang = Literal["kk", "ru", "en"]
LANGS: tuple[Lang, ...] = ("kk", "ru", "en")


@dataclass(frozen=True, slots=True)
class QuestionText:
    """One language's text. ``official`` is False for a translation, which must never pass as official."""

    lang: Lang
    text: str
    official: bool
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Question:
    code: QuestionCode
    texts: tuple[QuestionText, ...]

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
