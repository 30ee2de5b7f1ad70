"""The table of votes per party that `saylau seats` allocates from (CSV, parsed once, at the edge).

Header row: ``party,votes`` and optionally ``district_seats,threshold_exempt,order,eligible``.
Empty optional cells take the default (0, false, none, true). Rows named AGAINST ALL, BLANK or INVALID
(any case) are never eligible. Every problem is reported with its line and field.
"""

from __future__ import annotations

from collections.abc import Mapping

from saylau.io._common import Problems, parse_count, read_closed_table
from saylau.seats.types import PartyRow, is_party

__all__ = ["OPTIONAL_COLUMNS", "REQUIRED_COLUMNS", "parse_seats_table"]

REQUIRED_COLUMNS: tuple[str, ...] = ("party", "votes")
OPTIONAL_COLUMNS: tuple[str, ...] = ("district_seats", "threshold_exempt", "order", "eligible")
_BOOLS = {"true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}


def parse_seats_table(data: bytes | str, source: str) -> tuple[PartyRow, ...]:
    """The rows of the table, in file order. Raises one InputError listing every problem found."""
    return read_closed_table(data, source, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, _row, "party")


def _int(cells: Mapping[str, str], name: str, line: int, problems: Problems, default: int | None) -> int | None:
    cell = cells.get(name, "")
    if not cell and default is not None:
        return default
    if not cell and name == "order":
        return None
    value = parse_count(cell)
    if isinstance(value, str):
        problems.add("count", f"{name} {value}", line, name)
        return None
    return value


def _bool(cells: Mapping[str, str], name: str, line: int, problems: Problems, default: bool) -> bool:
    cell = cells.get(name, "").lower()
    if not cell:
        return default
    if cell not in _BOOLS:
        problems.add("boolean", f"{name} {cells[name]!r} is not true or false", line, name)
        return default
    return _BOOLS[cell]


def _row(cells: Mapping[str, str], line: int, problems: Problems, seen: dict[str, int]) -> PartyRow | None:
    before = len(problems.items)
    party = cells["party"]
    if not party:
        problems.add("party", "the party name is empty", line, "party")
    elif party in seen:
        problems.add("duplicate_party", f"party {party!r} already given on line {seen[party]}", line, "party")
    else:
        seen[party] = line
    votes = _int(cells, "votes", line, problems, None)
    district = _int(cells, "district_seats", line, problems, 0)
    order = _int(cells, "order", line, problems, None)
    exempt = _bool(cells, "threshold_exempt", line, problems, False)
    eligible = _bool(cells, "eligible", line, problems, True) and is_party(party)
    if district and not eligible:
        problems.add("district_seats", f"{party!r} cannot hold seats but has district seats", line, "district_seats")
    if len(problems.items) > before or votes is None:
        return None
    return PartyRow(party, votes, district or 0, exempt, order, eligible)
