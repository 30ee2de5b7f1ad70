"""Parse an event file (JSON, see spec/formats.md §1) into a :class:`Referendum`."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError

from saylau.io._common import Problems, decode, load_json
from saylau.model.ids import EventCode, QuestionCode
from saylau.model.referendum import Question, QuestionText, Referendum

__all__ = ["parse_event"]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Text(_Closed):
    lang: Literal["kk", "ru", "en"]
    text: StrictStr = Field(min_length=1)
    official: StrictBool
    source: StrictStr | None = None


class _Question(_Closed):
    code: StrictStr = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    texts: list[_Text] = Field(min_length=1)


class _Event(_Closed):
    code: StrictStr = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    title: StrictStr = Field(min_length=1)
    date: StrictStr = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    preset: StrictStr = Field(min_length=1)
    settings: dict[str, StrictStr | StrictBool | StrictInt] = Field(default_factory=dict)
    description: StrictStr = ""
    questions: list[_Question] = Field(min_length=1)


def parse_event(data: bytes, source: str) -> Referendum:
    """Parse and check an event file; every problem names the file and the JSON path (``field``)."""
    problems = Problems(source)
    raw = load_json(decode(data, source), problems)
    problems.raise_if_any("event")
    try:
        event = _Event.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            problems.add(err["type"], err["msg"], None, _path(err["loc"]) or None)
        problems.raise_if_any("event")
        raise AssertionError("unreachable") from exc  # pragma: no cover
    _check(event, problems)
    problems.raise_if_any("event")
    return Referendum(
        code=EventCode(event.code),
        title=event.title,
        date=dt.date.fromisoformat(event.date),
        preset=event.preset,
        questions=tuple(
            Question(
                code=QuestionCode(q.code),
                texts=tuple(QuestionText(t.lang, t.text, t.official, t.source) for t in q.texts),
            )
            for q in event.questions
        ),
        settings={k: _setting(v) for k, v in event.settings.items()},
        description=event.description,
    )


def _check(event: _Event, problems: Problems) -> None:
    """The checks a schema cannot say: a real date, unique question codes, one text per language."""
    try:
        dt.date.fromisoformat(event.date)
    except ValueError:
        problems.add("date", f"{event.date!r} is not a calendar date (YYYY-MM-DD)", None, "date")
    seen: set[str] = set()
    for i, question in enumerate(event.questions):
        if question.code in seen:
            problems.add(
                "unique_question", f"question code {question.code!r} appears twice", None, f"questions[{i}].code"
            )
        seen.add(question.code)
        langs: set[str] = set()
        for j, text in enumerate(question.texts):
            if text.lang in langs:
                msg = f"language {text.lang!r} given twice for {question.code!r}"
                problems.add("one_text_per_lang", msg, None, f"questions[{i}].texts[{j}].lang")
            langs.add(text.lang)


def _setting(value: str | bool | int) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
