"""Parse precinct protocols (CSV or JSON, see spec/formats.md §3).

Parsing checks the form only: columns, whole non-negative numbers, known questions, one row per
(precinct, question), every question present. Control relations and the existence of the precinct
are checked by the count, not here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from saylau.io._common import Problems, bulk, decode, iter_json_array, parse_count
from saylau.model.ids import QuestionCode, UnitCode
from saylau.model.protocol import Counts, Protocol
from saylau.model.strict import MAX_DIGITS

__all__ = ["ParsedProtocol", "parse_protocols"]


@dataclass(frozen=True, slots=True)
class ParsedProtocol:
    """A protocol with the line it starts on and, for a correction, the reason given."""

    protocol: Protocol
    line: int
    reason: str | None


@dataclass(slots=True)
class _Gathered:
    line: int
    reason: str
    counts: dict[QuestionCode, Counts]


Fields = Mapping[QuestionCode, tuple[str, ...]]


def parse_protocols(
    data: bytes,
    source: str,
    fmt: Literal["csv", "json"],
    questions: Sequence[QuestionCode],
    fields: Sequence[str] | Mapping[QuestionCode, Sequence[str]],
    *,
    contests_of: Callable[[str], Collection[QuestionCode]] | None = None,
) -> list[ParsedProtocol]:
    """All protocols of the file, in file order, or an InputError listing every problem.

    ``fields`` is one list for every question (a referendum) or one per contest (an election: ballot
    fields plus one per party or candidate). In CSV the header is the union of every contest's fields
    and a row leaves the cells of other contests' fields empty. ``contests_of(precinct)`` names the
    contests on a precinct's ballot (a district contest only where it is in scope); default: all.
    """
    text = decode(data, source)
    problems = Problems(source)
    per_contest: Fields = (
        {q: tuple(fields[q]) for q in questions}
        if isinstance(fields, Mapping)
        else dict.fromkeys(questions, tuple(fields))
    )
    with bulk():
        parse = _from_csv if fmt == "csv" else _from_json
        gathered = parse(text, problems, tuple(questions), per_contest, contests_of)
        problems.raise_if_any("protocols")
        return [
            ParsedProtocol(Protocol(UnitCode(code), g.counts), g.line, g.reason or None) for code, g in gathered.items()
        ]


ContestsOf = Callable[[str], Collection[QuestionCode]] | None


def _from_csv(
    text: str, problems: Problems, questions: tuple[QuestionCode, ...], fields: Fields, contests_of: ContestsOf
) -> dict[str, _Gathered]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        problems.add("header", "the file is empty", 1)
        return {}
    union = tuple(dict.fromkeys(f for q in questions for f in fields[q]))
    index = _header_index(header, union, problems)
    if index is None:
        return {}
    gathered: dict[str, _Gathered] = {}
    width, last = len(header), reader.line_num
    i_precinct, i_question, i_reason = index["precinct"], index["question"], index.get("reason")
    i_fields = {q: [(name, index[name]) for name in fields[q]] for q in questions}
    i_others = {q: [(name, index[name]) for name in union if name not in fields[q]] for q in questions}
    for cells in reader:
        line, last = last + 1, reader.line_num
        if not cells:
            continue
        if len(cells) != width:
            problems.add("columns", f"{len(cells)} cells, the header has {width}", line)
            continue
        precinct, question = cells[i_precinct], QuestionCode(cells[i_question])
        reason = cells[i_reason] if i_reason is not None else ""
        if not precinct:
            problems.add("precinct", "the precinct code is empty", line, "precinct")
        elif question not in i_fields:
            problems.add("unknown_question", f"unknown question {question!r}", line, "question")
        else:  # a row with bad counts is still gathered, so its precinct is not also reported incomplete
            counts = _row_counts(cells, i_fields[question], line, problems)
            for name, i in i_others[question]:
                if cells[i]:
                    msg = f"{name} is not a field of contest {question!r}: leave the cell empty"
                    problems.add("not_in_contest", msg, line, name)
            _gather(gathered, precinct, question, counts or {}, reason, line, problems)
    _check_complete(gathered, questions, contests_of, problems)
    return gathered


def _header_index(header: list[str], fields: tuple[str, ...], problems: Problems) -> dict[str, int] | None:
    known = ("precinct", "question", *fields, "reason")
    for name in header:
        if name not in known:
            problems.add("unknown_column", f"unknown column {name!r}", 1, name)
        elif header.count(name) > 1:
            problems.add("duplicate_column", f"column {name!r} appears twice", 1, name)
    for name in known[:-1]:
        if name not in header:
            problems.add("missing_column", f"missing column {name!r}", 1, name)
    return None if problems else {name: i for i, name in enumerate(header)}


def _row_counts(
    cells: list[str], i_fields: list[tuple[str, int]], line: int, problems: Problems
) -> dict[str, int] | None:
    values = [cells[i] for _, i in i_fields]
    joined = "".join(values)
    if "" not in values and joined.isascii() and joined.isdigit() and max(map(len, values)) <= MAX_DIGITS:  # fast path
        return {name: int(v) for (name, _), v in zip(i_fields, values, strict=True)}
    for (name, _), cell in zip(i_fields, values, strict=True):
        value = parse_count(cell)
        if isinstance(value, str):
            problems.add("count", f"{name} {value}", line, name)
    return None


def _gather(
    gathered: dict[str, _Gathered],
    precinct: str,
    question: QuestionCode,
    counts: Counts,
    reason: str,
    line: int,
    problems: Problems,
) -> None:
    entry = gathered.get(precinct)
    if entry is None:
        gathered[precinct] = _Gathered(line, reason, {question: counts})
        return
    if question in entry.counts:
        msg = f"precinct {precinct!r} question {question!r} given twice (first on line {entry.line})"
        problems.add("duplicate", msg, line, "question")
        return
    if reason != entry.reason:
        msg = f"reason differs from the one on line {entry.line} for precinct {precinct!r}"
        problems.add("reason_mismatch", msg, line, "reason")
    entry.counts[question] = counts


def _check_complete(
    gathered: Mapping[str, _Gathered],
    questions: tuple[QuestionCode, ...],
    contests_of: ContestsOf,
    problems: Problems,
) -> None:
    for precinct, entry in gathered.items():
        expected = questions if contests_of is None else contests_of(precinct)
        if len(entry.counts) == len(expected) and all(q in entry.counts for q in expected):
            continue
        lacking = ", ".join(q for q in expected if q not in entry.counts)
        if lacking:
            msg = f"precinct {precinct!r} lacks question(s) {lacking}"
            problems.add("missing_question", msg, entry.line, "question")
        extra = ", ".join(q for q in entry.counts if q not in expected)
        if extra:
            msg = f"contest(s) {extra} are not on the ballot of precinct {precinct!r}"
            problems.add("contest_not_on_ballot", msg, entry.line, "question")


def _from_json(
    text: str, problems: Problems, questions: tuple[QuestionCode, ...], fields: Fields, contests_of: ContestsOf
) -> dict[str, _Gathered]:
    gathered: dict[str, _Gathered] = {}
    first_line: dict[str, int] = {}
    for index, line, item in iter_json_array(text, problems):
        code = item.get("precinct") if isinstance(item, dict) else None
        if isinstance(code, str) and code in first_line:
            msg = f"precinct {code!r} given twice (first on line {first_line[code]})"
            problems.add("duplicate", msg, line, "precinct")
            continue
        if isinstance(code, str):
            first_line[code] = line
        entry = _json_item(index, line, item, questions, fields, contests_of, problems)
        if entry is not None:
            gathered[entry[0]] = entry[1]
    return gathered


def _json_item(
    index: int,
    line: int,
    item: Any,
    questions: tuple[QuestionCode, ...],
    fields: Fields,
    contests_of: ContestsOf,
    problems: Problems,
) -> tuple[str, _Gathered] | None:
    before = len(problems.items) + problems.dropped
    if not isinstance(item, dict):
        problems.add("json_object", f"item [{index}] is not an object", line)
        return None
    _check_keys(item, ("precinct", "counts"), ("reason",), f"[{index}]", line, problems)
    precinct, reason, counts = item.get("precinct"), item.get("reason"), item.get("counts")
    if not isinstance(precinct, str) or not precinct:
        problems.add("precinct", f"[{index}].precinct must be a non-empty string", line, "precinct")
    if reason is not None and not isinstance(reason, str):
        problems.add("type", f"[{index}].reason must be a string", line, "reason")
    parsed: dict[QuestionCode, Counts] = {}
    if isinstance(counts, dict):
        required = questions if contests_of is None or not isinstance(precinct, str) else contests_of(precinct)
        # a contest that is not on this precinct's ballot is as unknown here as a misspelt one
        _check_keys(counts, tuple(required), (), f"[{index}].counts", line, problems, "unknown_question")
        for q in questions:
            value = counts.get(q)
            if value is not None:
                parsed[q] = _json_counts(value, f"[{index}].counts.{q}", fields[q], line, problems)
    elif "counts" in item:
        problems.add("type", f"[{index}].counts must be an object", line, "counts")
    if len(problems.items) + problems.dropped != before or not isinstance(precinct, str):
        return None
    return precinct, _Gathered(line, reason or "", parsed)


def _json_counts(value: Any, path: str, fields: tuple[str, ...], line: int, problems: Problems) -> Counts:
    if not isinstance(value, dict):
        problems.add("type", f"{path} must be an object", line, path)
        return {}
    _check_keys(value, fields, (), path, line, problems)
    out: dict[str, int] = {}
    for name in fields:
        count = value.get(name)
        if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
            out[name] = count
        elif name in value:
            problems.add("count", f"{path}.{name} must be a non-negative integer", line, name)
    return out


def _check_keys(
    obj: Mapping[str, Any],
    required: Sequence[str],
    optional: Sequence[str],
    path: str,
    line: int,
    problems: Problems,
    unknown_rule: str = "unknown_column",
) -> None:
    for key in obj:
        if key not in required and key not in optional:
            problems.add(unknown_rule, f"unknown key {key!r} in {path}", line, key)
    for key in required:
        if key not in obj:
            problems.add("missing_column", f"missing key {key!r} in {path}", line, key)
