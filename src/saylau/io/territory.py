"""Parse a territory file (CSV or JSON, see spec/formats.md §2) into a checked :class:`Territory`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, Literal

from saylau.io._common import MAX_STORED_COUNT, Problems, decode, iter_json_array, parse_count
from saylau.model.ids import UnitCode
from saylau.model.territory import Territory, Unit, UnitKind

__all__ = ["TERRITORY_COLUMNS", "parse_territory"]

_REQUIRED = ("code", "kind", "parent", "registered")
_NAMES = ("name_kk", "name_ru", "name_en")
TERRITORY_COLUMNS: tuple[str, ...] = ("code", "kind", "parent", "name_kk", "name_ru", "name_en", "registered")
_KINDS = {k.value: k for k in UnitKind}
_NO_NAMES: Mapping[str, str] = MappingProxyType({})  # shared by the many units without names


def parse_territory(data: bytes, source: str, fmt: Literal["csv", "json"]) -> Territory:
    """Every row problem is reported at once (line and field); then the tree is checked."""
    text = decode(data, source)
    problems = Problems(source)
    rows = _csv_rows(text, problems) if fmt == "csv" else _json_rows(text, problems)
    units: list[Unit] = []
    lines: dict[UnitCode, int] = {}
    for line, row in rows:
        unit = _unit(row, line, problems)
        if unit is not None:
            units.append(unit)
            lines.setdefault(unit.code, line)
    problems.raise_if_any("territory")
    return Territory.build(units, source=source, lines=lines)


def _csv_rows(text: str, problems: Problems) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows one at a time: a million-precinct file is never held as a million dicts."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        problems.add("header", "the file is empty", 1)
        return
    _check_columns(header, problems)
    if problems:
        return
    last = reader.line_num
    for cells in reader:
        line, last = last + 1, reader.line_num
        if not cells:
            continue
        if len(cells) != len(header):
            problems.add("columns", f"{len(cells)} cells, the header has {len(header)}", line)
            continue
        yield line, dict(zip(header, cells, strict=True))


def _check_columns(header: list[str], problems: Problems) -> None:
    for name in header:
        if name not in TERRITORY_COLUMNS:
            problems.add("unknown_column", f"unknown column {name!r}", 1, name)
        elif header.count(name) > 1:
            problems.add("duplicate_column", f"column {name!r} appears twice", 1, name)
    for name in _REQUIRED:
        if name not in header:
            problems.add("missing_column", f"missing column {name!r}", 1, name)


def _json_rows(text: str, problems: Problems) -> Iterator[tuple[int, dict[str, str]]]:
    for index, line, item in iter_json_array(text, problems):
        row = _json_row(index, line, item, problems)
        if row is not None:
            yield line, row


def _json_row(index: int, line: int, item: Any, problems: Problems) -> dict[str, str] | None:
    """Bring a JSON object to the CSV cell form (strings, '' for null), checking keys and types."""
    if not isinstance(item, dict):
        problems.add("json_object", f"item [{index}] is not an object", line)
        return None
    ok = True
    for key in item:
        if key not in TERRITORY_COLUMNS:
            problems.add("unknown_column", f"unknown key {key!r} in item [{index}]", line, key)
            ok = False
    for key in ("code", "kind"):
        if key not in item:
            problems.add("missing_column", f"missing key {key!r} in item [{index}]", line, key)
            ok = False
    row: dict[str, str] = {}
    for key, value in item.items():
        if key not in TERRITORY_COLUMNS:
            continue
        if key == "registered":
            good = value is None or (isinstance(value, int) and not isinstance(value, bool))
        else:
            good = isinstance(value, str) or (value is None and key not in ("code", "kind"))
        if not good:
            problems.add("type", f"{key!r} has the wrong type ({type(value).__name__})", line, key)
            ok = False
        row[key] = "" if value is None else str(value)
    return row if ok else None


def _unit(row: Mapping[str, str], line: int, problems: Problems) -> Unit | None:
    kind = _KINDS.get(row["kind"])
    if kind is None:
        allowed = ", ".join(_KINDS)
        problems.add("kind", f"unknown kind {row['kind']!r} (allowed: {allowed})", line, "kind")
    registered: int | None = None
    cell = row.get("registered", "")
    if cell:
        value = parse_count(cell, MAX_STORED_COUNT)
        if isinstance(value, str):
            problems.add("registered", f"registered {value}", line, "registered")
            return None
        registered = value
    if kind is None:
        return None
    names = {col[5:]: row[col] for col in _NAMES if row.get(col)} or _NO_NAMES
    parent = row.get("parent") or None
    return Unit(UnitCode(row["code"]), kind, UnitCode(parent) if parent else None, names, registered)
