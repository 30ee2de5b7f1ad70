"""Parse an event file (JSON, see spec/formats.md §1) into a :class:`Referendum` and its contests.

The file's ``questions`` list holds every contest; ``kind`` (default ``question``) says which of the
three contest types each one becomes, and a field that kind does not have is refused with a problem
naming its path (spec/contests.md §1)."""

from __future__ import annotations

import datetime as dt
from typing import Literal, assert_never

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError

from saylau.io._common import Problems, decode, load_json
from saylau.model.ids import EventCode, QuestionCode, UnitCode
from saylau.model.referendum import (
    BALLOT_FIELDS,
    Contest,
    DistrictContest,
    Option,
    OptionKind,
    PartyListContest,
    QuestionContest,
    QuestionText,
    Referendum,
)

__all__ = ["parse_event"]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Text(_Closed):
    lang: Literal["kk", "ru", "en"]
    text: StrictStr = Field(min_length=1)
    official: StrictBool
    source: StrictStr | None = None


class _Option(_Closed):
    code: StrictStr = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    kind: Literal["party", "candidate", "against_all"]
    names: dict[Literal["kk", "ru", "en"], StrictStr] = Field(default_factory=dict)
    order: StrictInt | None = Field(default=None, ge=0)
    candidates: list[StrictStr] = Field(default_factory=list)
    party: StrictStr | None = None


class _Question(_Closed):
    code: StrictStr = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    texts: list[_Text] = Field(min_length=1)
    kind: Literal["question", "party_list", "district"] = "question"
    options: list[_Option] = Field(default_factory=list)
    scope: StrictStr | None = Field(default=None, min_length=1)
    seats: StrictInt | None = Field(default=None, ge=1)


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
        contests=tuple(_contest(q) for q in event.questions),
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
        _check_contest(i, question, problems)
        langs: set[str] = set()
        for j, text in enumerate(question.texts):
            if text.lang in langs:
                msg = f"language {text.lang!r} given twice for {question.code!r}"
                problems.add("one_text_per_lang", msg, None, f"questions[{i}].texts[{j}].lang")
            langs.add(text.lang)


def _option(o: _Option) -> Option:
    names: dict[str, str] = {str(lang): name for lang, name in o.names.items()}
    return Option(o.code, OptionKind(o.kind), names, o.order, tuple(o.candidates), o.party)


def _contest(q: _Question) -> Contest:
    """The contest type of ``q``'s kind, after ``_check_contest`` accepted its fields."""
    code = QuestionCode(q.code)
    texts = tuple(QuestionText(t.lang, t.text, t.official, t.source) for t in q.texts)
    scope = UnitCode(q.scope) if q.scope else None
    match q.kind:
        case "question":
            return QuestionContest(code, texts, scope)
        case "party_list":
            return PartyListContest(code, texts, tuple(_option(o) for o in q.options), q.seats, scope)
        case "district":
            if scope is None:  # refused by _check_contest ("district")
                raise AssertionError("unreachable: a district without its scope was accepted")  # pragma: no cover
            return DistrictContest(code, texts, scope, tuple(_option(o) for o in q.options))
        case _:
            assert_never(q.kind)


def _check_contest(i: int, q: _Question, problems: Problems) -> None:
    """What each kind of contest needs (spec/contests.md §1)."""
    where = f"questions[{i}]"
    kinds = [o.kind for o in q.options]
    match q.kind:
        case "question":
            _check_question(where, q, problems)
            return
        case "party_list":
            wanted = "party"
        case "district":
            wanted = "candidate"
            if q.scope is None:
                problems.add("district", "a single-member district needs a scope (its unit)", None, f"{where}.scope")
            if q.seats is not None and q.seats != 1:
                problems.add("district", "a single-member district has exactly one seat", None, f"{where}.seats")
        case _:
            assert_never(q.kind)
    if wanted not in kinds or any(k not in (wanted, "against_all") for k in kinds):
        problems.add(
            "contest_options",
            f"a {q.kind} contest lists {wanted} options (and at most one against_all)",
            None,
            f"{where}.options",
        )
    if kinds.count("against_all") > 1:
        problems.add("contest_options", "at most one against_all option", None, f"{where}.options")
    codes = [o.code for o in q.options]
    for j, code in enumerate(codes):
        if code in BALLOT_FIELDS or codes.count(code) > 1:
            problems.add(
                "option_code",
                f"option code {code!r} repeats or is a ballot field name",
                None,
                f"{where}.options[{j}].code",
            )


def _check_question(where: str, q: _Question, problems: Problems) -> None:
    """A question's answers come from its preset (its yes/no ballot fields): it has no options and no seats."""
    if q.options:
        msg = "a question's answers come from its preset: no options"
        problems.add("question_options", msg, None, f"{where}.options")
    if q.seats is not None:
        msg = "a question elects no one: no seats"
        problems.add("question_options", msg, None, f"{where}.seats")


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
