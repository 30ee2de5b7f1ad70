"""Shared helpers of the parsers: decoding, problem collection, strict integers, JSON item lines."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from saylau.gcpause import bulk
from saylau.model.errors import InputError, Problem
from saylau.model.strict import (
    MAX_DIGITS,
    JsonRefused,
    ascii_digits,
    ascii_int,
    check_nesting,
    check_unicode,
    strict_decoder,
    strict_json,
)

T = TypeVar("T")

__all__ = [
    "MAX_PROBLEMS",
    "MAX_STORED_COUNT",
    "Problems",
    "bulk",
    "decode",
    "iter_json_array",
    "load_json",
    "parse_count",
    "read_closed_table",
]

# A count kept in a database integer column (PostgreSQL INTEGER: a precinct's register, turnout figures)
MAX_STORED_COUNT = 2**31 - 1
# A file with a million bad rows would otherwise produce a million problems: stop listing after this.
MAX_PROBLEMS = 1000


@dataclass(slots=True)
class Problems:
    """Collects the problems of one file; ``raise_if_any`` raises them all as one InputError."""

    source: str
    items: list[Problem] = field(default_factory=list)
    dropped: int = 0

    def add(self, rule: str, message: str, line: int | None = None, fld: str | None = None) -> None:
        if len(self.items) >= MAX_PROBLEMS:
            self.dropped += 1
            return
        self.items.append(Problem(rule=rule, message=message, file=self.source, line=line, field=fld))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, what: str) -> None:
        if not self.items:
            return
        problems = list(self.items)
        if self.dropped:
            problems.append(
                Problem(
                    rule="too_many_problems",
                    message=f"{self.dropped} more problem(s) not listed",
                    file=self.source,
                )
            )
        raise InputError(problems, summary=f"{what} {self.source} refused")


def decode(data: bytes, source: str) -> str:
    """UTF-8, a leading byte-order mark tolerated. Anything else is an InputError naming the line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problem = Problem(
            rule="encoding",
            message=f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}",
            file=source,
            line=line,
        )
        raise InputError([problem], summary=f"{source} refused") from None


def parse_count(cell: str, maximum: int | None = None) -> int | str:
    """A non-negative integer written with ASCII digits only, at most MAX_DIGITS of them (model.strict)
    and at most ``maximum``; otherwise the reason it is not one."""
    value = ascii_int(cell)
    if value is not None and maximum is not None and value > maximum:
        return f"{value:,} is more than {maximum:,}"
    if value is not None:
        return value
    if cell.startswith("-") and ascii_digits(cell[1:], len(cell)):
        return "must not be negative"
    if not cell:
        return "is empty"
    if ascii_digits(cell, len(cell)):
        return f"has more than {MAX_DIGITS} digits"
    shown = cell if len(cell) <= 40 else cell[:40] + "…"
    return f"{shown!r} is not a whole number"


def load_json(text: str, problems: Problems) -> Any:
    """The strict profile of JSON (model.strict.strict_json: bounded nesting and numbers, no lone surrogate,
    no float or NaN, no key twice in one object) with a refusal turned into a problem (line and column, or
    the path of the object with the key twice); None when it fails."""
    try:
        return strict_json(text)
    except JsonRefused as exc:
        place = exc.details
        where = f" (column {place['column']})" if "column" in place else f" (at {place.get('path', '$')})"
        line = place.get("line")
        problems.add("json_syntax", f"invalid JSON: {exc.message}{where}", line if isinstance(line, int) else None)
        return None


def iter_json_array(text: str, problems: Problems) -> Iterator[tuple[int, int, Any]]:
    """Yield ``(index, line, item)`` for each element of a top-level JSON array.

    Each item is decoded on its own, so its starting line is known for error messages.
    On a syntax error a problem is recorded and iteration stops.
    """
    try:
        check_nesting(text)
    except json.JSONDecodeError as exc:
        problems.add("json_syntax", f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno)
        return
    decoder = strict_decoder()
    pos = _skip_ws(text, 0)
    if not text.startswith("[", pos):
        problems.add("json_array", "the file must hold a JSON list", text.count("\n", 0, pos) + 1)
        return
    pos = _skip_ws(text, pos + 1)
    line, counted_to, index = 1, 0, 0
    if text.startswith("]", pos):
        _check_trailing(text, pos + 1, problems)
        return
    while True:
        line += text.count("\n", counted_to, pos)
        counted_to = pos
        try:
            item, end = decoder.raw_decode(text, pos)
            check_unicode(item, text[pos:end])
        except json.JSONDecodeError as exc:
            problems.add("json_syntax", f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno)
            return
        yield index, line, item
        index += 1
        pos = _skip_ws(text, end)
        if text.startswith(",", pos):
            pos = _skip_ws(text, pos + 1)
            continue
        if text.startswith("]", pos):
            _check_trailing(text, pos + 1, problems)
            return
        problems.add("json_syntax", "invalid JSON: expected ',' or ']'", text.count("\n", 0, pos) + 1)
        return


def _check_trailing(text: str, pos: int, problems: Problems) -> None:
    pos = _skip_ws(text, pos)
    if pos != len(text):
        problems.add("json_syntax", "invalid JSON: extra data after the list", text.count("\n", 0, pos) + 1)


def _skip_ws(text: str, pos: int) -> int:
    n = len(text)
    while pos < n and text[pos] in " \t\r\n":
        pos += 1
    return pos


def read_closed_table(
    data: bytes | str,
    source: str,
    required: Sequence[str],
    optional: Sequence[str],
    row: Callable[[Mapping[str, str], int, Problems, dict[str, int]], T | None],
    noun: str,
) -> tuple[T, ...]:
    """A small CSV table with a closed set of columns, every problem reported with line and field.

    ``row`` turns one row's stripped cells into a value (or records problems and returns None); its
    last argument remembers keys already seen, for duplicate checks. Blank lines are skipped.
    """
    text = decode(data, source) if isinstance(data, bytes) else data
    problems = Problems(source)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise InputError([Problem("empty_file", "the file is empty (a header row is needed)", source, 1)])
    columns = [cell.strip() for cell in header]
    _check_header(columns, required, optional, problems)
    problems.raise_if_any("table")
    out: list[T] = []
    seen: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            problems.add("row_width", f"{len(cells)} cells, the header has {len(columns)}", line)
            continue
        value = row(dict(zip(columns, (c.strip() for c in cells), strict=True)), line, problems, seen)
        if value is not None:
            out.append(value)
    if not out and not problems:
        problems.add("no_rows", f"the table has a header but no {noun} rows", 2)
    problems.raise_if_any("table")
    return tuple(out)


def _check_header(columns: Sequence[str], required: Sequence[str], optional: Sequence[str], problems: Problems) -> None:
    known = set(required) | set(optional)
    for name in columns:
        if name not in known:
            allowed = ", ".join((*required, *optional))
            problems.add("unknown_column", f"unknown column {name!r}; columns: {allowed}", 1, name)
        elif columns.count(name) > 1:
            problems.add("duplicate_column", f"column {name!r} appears more than once", 1, name)
    for name in required:
        if name not in columns:
            problems.add("missing_column", f"required column {name!r} is missing", 1, name)
