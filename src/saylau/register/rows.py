"""A register file's rows checked into entries (spec/register.md §1): every field bounded, every problem
named with its file, line, field and rule; nothing read from disk here (the service feeds the rows)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from saylau.model.errors import Problem
from saylau.register.errors import RegisterError
from saylau.register.iin import BirthCheck, IdentifierScheme, Sex, check_identifier
from saylau.register.model import Entry, Status
from saylau.register.names import NAME_MAX, normalise

__all__ = ["ADDRESS_MAX", "COLUMNS", "PRECINCT_MAX", "CheckedRow", "RowChecker"]

COLUMNS = ("identifier", "surname", "given_name", "patronymic", "birth_date", "sex", "address", "precinct", "status")
ADDRESS_MAX = 400
PRECINCT_MAX = 64
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_PRECINCT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*", re.ASCII)
_STATUSES = {s.value: s for s in Status}
_SEXES: dict[str, Sex | None] = {"m": "m", "f": "f", "": None}


@dataclass(frozen=True, slots=True)
class CheckedRow:
    entry: Entry
    flags: tuple[str, ...]  # an IIN's encoded facts differing from the stated ones, under BirthCheck.FLAG


@dataclass(frozen=True, slots=True)
class RowChecker:
    """Checks one file's rows under a deployment's identifier scheme and birth-date setting."""

    file: str
    scheme: IdentifierScheme
    birth_check: BirthCheck = BirthCheck.REFUSE

    def header(self, fields: Sequence[str]) -> list[Problem]:
        if tuple(fields) == COLUMNS:
            return []
        return [Problem("header", f"the header is {','.join(COLUMNS)}", self.file, 1)]

    def row(self, line: int, fields: Sequence[str]) -> CheckedRow | list[Problem]:
        """The row's entry, or every problem it has."""
        if len(fields) != len(COLUMNS):
            return [Problem("columns", f"{len(fields)} fields, the header has {len(COLUMNS)}", self.file, line)]
        problems: list[Problem] = []

        def bad(field: str, rule: str, message: str) -> None:
            problems.append(Problem(rule, message, self.file, line, field))

        values = dict(zip(COLUMNS, fields, strict=True))
        for field, value in values.items():
            if "\x00" in value:
                bad(field, "nul", "a NUL character")
        names = {f: normalise(values[f]) for f in ("surname", "given_name", "patronymic")}
        for field, value in names.items():
            if len(value) > NAME_MAX or (not value and field != "patronymic"):
                bad(field, "name", f"1..{NAME_MAX} characters" + (" (may be empty)" if field == "patronymic" else ""))
        address = " ".join(values["address"].split())
        if not 1 <= len(address) <= ADDRESS_MAX:
            bad("address", "address", f"1..{ADDRESS_MAX} characters")
        precinct = values["precinct"]
        if len(precinct) > PRECINCT_MAX or not _PRECINCT.fullmatch(precinct):
            bad("precinct", "precinct", f"a unit code: letters, digits, '.', '_', '-', at most {PRECINCT_MAX}")
        status = _STATUSES.get(values["status"])
        if status is None:
            bad("status", "status", "one of " + ", ".join(_STATUSES))
        sex_known = values["sex"] in _SEXES
        sex = _SEXES.get(values["sex"])
        if not sex_known:
            bad("sex", "sex", "m, f or empty")
        born = _date(values["birth_date"])
        if born is None:
            bad("birth_date", "date", "a date YYYY-MM-DD")
        flags: list[str] = []
        if born is not None and not problems:
            try:
                flags = check_identifier(self.scheme, values["identifier"], born, sex, self.birth_check)
            except RegisterError as exc:
                bad("identifier", str(exc.code), exc.message)
        if problems or born is None or status is None:
            return problems
        entry = Entry(
            values["identifier"],
            names["surname"],
            names["given_name"],
            names["patronymic"],
            born,
            sex,
            address,
            precinct,
            status,
        )
        return CheckedRow(entry, tuple(flags))


def _date(text: str) -> dt.date | None:
    if not _DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
