"""Intraday turnout reports (CSV): ``unit,at,registered,voted`` — one unit's figures at a fixed hour.

The Kazakh commission publishes turnout per unit at 10:00, 12:00, 14:00, 18:00 and 20:00 (kazakhstan.md
§1.4); ``at`` is the local hour label ("HH:MM"). Every problem is reported with its line and field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from saylau.io._common import MAX_STORED_COUNT, Problems, parse_count, read_closed_table
from saylau.model.ids import UnitCode

__all__ = ["TurnoutLine", "parse_turnout"]

REQUIRED_COLUMNS: tuple[str, ...] = ("unit", "at", "registered", "voted")
_HOUR = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")  # ASCII digits only (not \d: '1０:00' is no hour)


@dataclass(frozen=True, slots=True)
class TurnoutLine:
    unit: UnitCode
    at: str
    registered: int
    voted: int
    line: int


def parse_turnout(data: bytes | str, source: str) -> tuple[TurnoutLine, ...]:
    return read_closed_table(data, source, REQUIRED_COLUMNS, (), _row, "turnout")


def _row(cells: Mapping[str, str], line: int, problems: Problems, seen: dict[str, int]) -> TurnoutLine | None:
    before = len(problems.items)
    unit, at = cells["unit"], cells["at"]
    if not unit:
        problems.add("unit", "the unit code is empty", line, "unit")
    if not _HOUR.fullmatch(at):
        problems.add("at", f"{at!r} is not an hour HH:MM", line, "at")
    key = f"{unit}@{at}"
    if key in seen:
        problems.add("duplicate", f"{unit} at {at} given twice (first on line {seen[key]})", line, "unit")
    seen.setdefault(key, line)
    counts: dict[str, int] = {}
    for name in ("registered", "voted"):
        value = parse_count(cells[name], MAX_STORED_COUNT)
        if isinstance(value, str):
            problems.add("count", f"{name} {value}", line, name)
        else:
            counts[name] = value
    if len(counts) == 2 and counts["voted"] > counts["registered"]:
        problems.add("voted", f"voted {counts['voted']} exceeds registered {counts['registered']}", line, "voted")
    if len(problems.items) != before:
        return None
    return TurnoutLine(UnitCode(unit), at, counts["registered"], counts["voted"], line)
