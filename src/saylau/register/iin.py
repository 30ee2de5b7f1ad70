"""National identifiers: Kazakhstan's 12-digit IIN, or a plain unique key (spec/register.md §2).

The IIN (individual identification number, ИИН) is defined by the Law "On national registers of
identification numbers" of 12 January 2007 No. 223 (https://adilet.zan.kz/eng/docs/Z070000223_), Art. 1
(1): the last digit is a "control bit". Its layout and check digit were set by Government Decree of
11 June 2003 No. 565 (https://adilet.zan.kz/rus/docs/P030000565_) and the Rules of forming the
identification number (Government Decree of 22 May 2007 No. 406); the OECD's TIN sheet for Kazakhstan
restates them (https://www.oecd.org/tax/automatic-exchange/crs-implementation-and-assistance/
tax-identification-numbers/Kazakhstan-TIN.pdf):

- digits 1-6: the birth date YYMMDD;
- digit 7: the century and sex: 1/2 male/female born in the 19th century, 3/4 in the 20th, 5/6 in the 21st;
- digits 8-11: a serial number; digit 12: the check digit;
- check digit: the sum of digits 1..11 weighted 1..11, modulo 11; if that is 10, the sum weighted
  3,4,5,6,7,8,9,10,11,1,2, modulo 11; if that is 10 again the number is not issued (invalid).

[UNCERTAIN] Since Government Decree of 26 August 2013 No. 853 the Rules no longer bind the digits to the
person's data: the Ministry of Justice said in 2019 that "a mismatch between an IIN and the birth date is
not an error" (http://nomad.su/?a=3-201904050026). So the comparison with the stated birth date and sex is
a setting (``BirthCheck``): ``refuse`` (the default: a mismatch is most often a keying error, and an import
is all or nothing) or ``flag`` (the row is taken and the mismatch reported). A 7th digit 0 (said by some to
mark foreigners) is not in our reference (shared/reference/kazakhstan.md) and foreigners do not vote in
national votes: it is refused.
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, assert_never

from saylau.register.codes import RegisterCode
from saylau.register.errors import RegisterError

__all__ = [
    "PLAIN_MAX",
    "BirthCheck",
    "IdentifierScheme",
    "IinFacts",
    "Sex",
    "check_digit",
    "check_identifier",
    "iin_facts",
    "mismatches",
]

Sex = Literal["m", "f"]
PLAIN_MAX = 64  # a plain identifier's longest length (characters)

_W1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_W2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
# digit 7 -> (the century's first year, sex)
_CENTURY: dict[int, tuple[int, Sex]] = {
    1: (1800, "m"),
    2: (1800, "f"),
    3: (1900, "m"),
    4: (1900, "f"),
    5: (2000, "m"),
    6: (2000, "f"),
}


class IdentifierScheme(StrEnum):
    """How a deployment's persons are identified (a setting)."""

    KZ_IIN = "kz-iin"  # Kazakhstan's IIN: 12 digits, check digit, encoded birth date and sex
    PLAIN = "plain"  # any other country's identifier: a unique key, 1..64 printable characters


class BirthCheck(StrEnum):
    """What an IIN whose encoded birth date or sex differs from the person's stated ones does."""

    REFUSE = "refuse"
    FLAG = "flag"


@dataclass(frozen=True, slots=True)
class IinFacts:
    """What an IIN encodes."""

    birth_date: dt.date
    sex: Sex


def check_digit(first11: str) -> int | None:
    """The IIN's 12th digit for its first 11, or None when both weightings give 10 (no such IIN)."""
    digits = [int(c) for c in first11]
    rest = sum(map(operator.mul, digits, _W1)) % 11
    if rest == 10:
        rest = sum(map(operator.mul, digits, _W2)) % 11
    return None if rest == 10 else rest


def _refuse(identifier: str, rule: str) -> RegisterError:
    return RegisterError(f"identifier {identifier!r}: {rule}", code=RegisterCode.BAD_IDENTIFIER, details={"rule": rule})


def iin_facts(iin: str) -> IinFacts:
    """The birth date and sex an IIN encodes, after its check digit; RegisterError when it is not an IIN."""
    if len(iin) != 12 or not iin.isascii() or not iin.isdigit():
        raise _refuse(iin, "an IIN is exactly 12 digits")
    expected = check_digit(iin[:11])
    if expected is None:
        raise _refuse(iin, "no check digit exists for these 11 digits (remainder 10 twice)")
    if expected != int(iin[11]):
        raise _refuse(iin, f"check digit is {iin[11]}, the algorithm gives {expected}")
    century = _CENTURY.get(int(iin[6]))
    if century is None:
        raise _refuse(iin, f"7th digit {iin[6]} is not a century and sex (1-6)")
    start, sex = century
    try:
        born = dt.date(start + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        raise _refuse(iin, f"digits 1-6 {iin[:6]} are not a date YYMMDD") from None
    return IinFacts(born, sex)


def mismatches(facts: IinFacts, birth_date: dt.date, sex: Sex | None) -> list[str]:
    """How the IIN's encoded facts differ from the person's stated birth date and sex (empty: none)."""
    found = []
    if facts.birth_date != birth_date:
        found.append(f"encodes birth date {facts.birth_date.isoformat()}, stated {birth_date.isoformat()}")
    if sex is not None and facts.sex != sex:
        found.append(f"encodes sex {facts.sex}, stated {sex}")
    return found


def check_identifier(
    scheme: IdentifierScheme,
    identifier: str,
    birth_date: dt.date,
    sex: Sex | None,
    birth_check: BirthCheck = BirthCheck.REFUSE,
) -> list[str]:
    """Check an identifier under its scheme: RegisterError if it is refused; the flagged mismatches (an
    IIN's encoded birth date or sex differing from the stated ones under ``BirthCheck.FLAG``) otherwise."""
    match scheme:
        case IdentifierScheme.PLAIN:
            if (
                not 1 <= len(identifier) <= PLAIN_MAX
                or not identifier.isprintable()
                or identifier.strip() != identifier
            ):
                raise _refuse(identifier, f"a plain identifier is 1..{PLAIN_MAX} printable characters, no outer spaces")
            return []
        case IdentifierScheme.KZ_IIN:
            found = mismatches(iin_facts(identifier), birth_date, sex)
            if found and birth_check is BirthCheck.REFUSE:
                raise RegisterError(
                    f"identifier {identifier!r}: " + "; ".join(found),
                    code=RegisterCode.IDENTIFIER_MISMATCH,
                    details={"rule": "iin_birth_check"},
                )
            return found
        case _:
            assert_never(scheme)
