"""The table of unit results that `saylau referendum outcome` decides from (CSV, parsed once, at the edge).

Header row: ``unit,registered,participated,yes,no`` and optionally ``not_counted,invalid,weight``.
Empty optional counts mean 0; an empty weight means 1 (0.5 for a Swiss half canton, 0 for a row counted
nationally but not a unit, such as abroad). Every problem is reported with its line and field.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from saylau.io._common import Problems, parse_count, read_closed_table
from saylau.model.strict import exact_fraction
from saylau.model.tally import Tally, UnitRow

__all__ = ["OPTIONAL_COLUMNS", "REQUIRED_COLUMNS", "parse_outcome_table"]

REQUIRED_COLUMNS: tuple[str, ...] = ("unit", "registered", "participated", "yes", "no")
OPTIONAL_COLUMNS: tuple[str, ...] = ("not_counted", "invalid", "weight")
_COUNTS = ("registered", "participated", "yes", "no", "not_counted", "invalid")


def parse_outcome_table(data: bytes | str, source: str) -> tuple[UnitRow, ...]:
    """The rows of the table, in file order. Raises one InputError listing every problem found."""
    return read_closed_table(data, source, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, _row, "unit")


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
