"""The table of unit results that `saylau referendum outcome` decides from (CSV, parsed once, at the edge).

Header row: ``unit,registered,participated,yes,no`` and optionally ``not_counted,invalid,weight,date``.
Empty optional counts mean 0; an empty weight means 1 (0.5 for a Swiss half canton, 0 for a row counted
nationally but not a unit, such as abroad). ``date`` is the day of the vote, ``YYYY-MM-DD``, the same on
every row: it picks the preset version in force (spec/presets.md §Unit table). Every problem is reported
with its line and field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from saylau.io._common import Problems, parse_count, read_closed_table
from saylau.model.strict import exact_fraction
from saylau.model.tally import Tally, UnitRow

__all__ = [
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "OutcomeTable",
    "parse_iso_date",
    "parse_outcome_file",
    "parse_outcome_table",
]

REQUIRED_COLUMNS: tuple[str, ...] = ("unit", "registered", "participated", "yes", "no")
OPTIONAL_COLUMNS: tuple[str, ...] = ("not_counted", "invalid", "weight", "date")
_COUNTS = ("registered", "participated", "yes", "no", "not_counted", "invalid")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True, slots=True)
class OutcomeTable:
    """The rows in file order and the day of the vote the file gives (None: it has no ``date`` column)."""

    rows: tuple[UnitRow, ...]
    date: dt.date | None


def parse_iso_date(text: str) -> dt.date | None:
    """``YYYY-MM-DD`` and nothing else (``date.fromisoformat`` alone also takes ``20220605`` or ``2022-W23``)."""
    if _ISO_DATE.fullmatch(text) is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_outcome_table(data: bytes | str, source: str) -> tuple[UnitRow, ...]:
    """The rows of the table, in file order. Raises one InputError listing every problem found."""
    return parse_outcome_file(data, source).rows


def parse_outcome_file(data: bytes | str, source: str) -> OutcomeTable:
    """The rows and the vote's date. Raises one InputError listing every problem found."""
    dates: dict[dt.date, int] = {}  # each date given -> the first line giving it

    def row(cells: Mapping[str, str], line: int, problems: Problems, seen: dict[str, int]) -> UnitRow | None:
        unit_row = _row(cells, line, problems, seen)
        if "date" in cells:
            _date(cells["date"], line, problems, dates)
        return unit_row

    rows = read_closed_table(data, source, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, row, "unit")
    return OutcomeTable(rows, next(iter(dates), None))


def _date(cell: str, line: int, problems: Problems, dates: dict[dt.date, int]) -> None:
    day = parse_iso_date(cell)
    if day is None:
        what = "is empty" if not cell else f"{cell!r} is not a date"
        problems.add("date", f"date {what}: give the day of the vote as YYYY-MM-DD on every row", line, "date")
    elif dates and day not in dates:
        first, first_line = next(iter(dates.items()))
        message = f"date {cell} differs from {first.isoformat()} on line {first_line}: one vote, one date"
        problems.add("date", message, line, "date")
    else:
        dates.setdefault(day, line)


def _row(cells: Mapping[str, str], line: int, problems: Problems, seen: dict[str, int]) -> UnitRow | None:
    before = len(problems.items)
    unit = cells["unit"]
    if not unit:
        problems.add("unit", "the unit name is empty", line, "unit")
    elif unit in seen:
        problems.add("duplicate_unit", f"unit {unit!r} already given on line {seen[unit]}", line, "unit")
    else:
        seen[unit] = line
    counts: dict[str, int] = {}
    for name in _COUNTS:
        cell = cells.get(name, "")
        if name in OPTIONAL_COLUMNS and not cell:
            counts[name] = 0
            continue
        value = parse_count(cell)
        if isinstance(value, str):
            problems.add("count", f"{name} {value}", line, name)
        else:
            counts[name] = value
    weight = _weight(cells.get("weight", ""), line, problems)
    if len(problems.items) > before:
        return None
    _check_sums(counts, line, problems)
    if len(problems.items) > before or weight is None:
        return None
    tally = Tally(**counts)
    return UnitRow(unit=unit, tally=tally, weight=weight)


def _weight(cell: str, line: int, problems: Problems) -> Fraction | None:
    if not cell:
        return Fraction(1)
    if cell.startswith("-") and exact_fraction(cell[1:]) is not None:
        problems.add("weight", f"weight {cell!r} must not be negative", line, "weight")
        return None
    value = exact_fraction(cell)  # ASCII digits of bounded length, no exponent (model.strict)
    if value is None:
        problems.add("weight", f"weight {cell!r} is not a number (write 1, 0.5 or 1/2)", line, "weight")
    return value


def _check_sums(counts: Mapping[str, int], line: int, problems: Problems) -> None:
    if counts["participated"] > counts["registered"]:
        msg = f"participated {counts['participated']} > registered {counts['registered']}"
        problems.add("participated_le_registered", msg, line, "participated")
    answers = counts["yes"] + counts["no"] + counts["not_counted"] + counts["invalid"]
    if answers > counts["participated"]:
        msg = f"yes + no + not_counted + invalid = {answers} > participated {counts['participated']}"
        problems.add("answers_le_participated", msg, line, "yes")
