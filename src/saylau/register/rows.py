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
        ident, surname, given, patronymic, birth, sex_text, address, precinct, status_text = fields
        problems: list[Problem] = []
        if "\x00" in "".join(fields):
            problems += [
                Problem("nul", "a NUL character", self.file, line, c)
                for c, v in zip(COLUMNS, fields, strict=True)
                if "\x00" in v
            ]
        names = (normalise(surname), normalise(given), normalise(patronymic))
        for field, value in zip(COLUMNS[1:4], names, strict=True):
            if len(value) > NAME_MAX or (not value and field != "patronymic"):
                rule = f"1..{NAME_MAX} characters" + (" (may be empty)" if field == "patronymic" else "")
                problems.append(Problem("name", rule, self.file, line, field))
        address = " ".join(address.split())
        if not 1 <= len(address) <= ADDRESS_MAX:
            problems.append(Problem("address", f"1..{ADDRESS_MAX} characters", self.file, line, "address"))
        if len(precinct) > PRECINCT_MAX or not _PRECINCT.fullmatch(precinct):
            rule = f"a unit code: letters, digits, '.', '_', '-', at most {PRECINCT_MAX}"
            problems.append(Problem("precinct", rule, self.file, line, "precinct"))
        status = _STATUSES.get(status_text)
        if status is None:
            problems.append(Problem("status", "one of " + ", ".join(_STATUSES), self.file, line, "status"))
        sex = _SEXES.get(sex_text)
        if sex_text not in _SEXES:
            problems.append(Problem("sex", "m, f or empty", self.file, line, "sex"))
        born = _date(birth)
        if born is None:
            problems.append(Problem("date", "a date YYYY-MM-DD", self.file, line, "birth_date"))
        if problems or born is None or status is None:
            return problems
        try:
            flags = check_identifier(self.scheme, ident, born, sex, self.birth_check)
        except RegisterError as exc:
            return [Problem(str(exc.code), exc.message, self.file, line, "identifier")]
        return CheckedRow(Entry(ident, *names, born, sex, address, precinct, status), tuple(flags))


def _date(text: str) -> dt.date | None:
    if len(text) != 10 or not _DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
