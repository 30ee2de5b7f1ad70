"""What an account's name, unit codes and password must be (issue #9): checked where accounts are made
and passwords reset, every problem reported at once.

Names and unit codes: 1 to ``max_len`` characters, no surrounding spaces, no control, format (the
bidirectional overrides and isolates U+202A–U+202E, U+2066–U+2069, the marks U+200E/U+200F, zero-width
characters), surrogate, private-use, unassigned or line/paragraph separator characters, and already in
Unicode normalisation form NFC. A name that is not NFC is refused, not silently normalised: log-in compares
names exactly, so the name the member types must be the one stored.

Passwords: at least ``MIN_PASSWORD`` characters; not one character repeated; not a run of a keyboard row
or of the alphabet or digits; not containing the account's name (compared case-folded, names of three
characters or more); not one of the 10,000 most common passwords shipped in ``saylau/data/passwords``
(see its README for the source and licence), nor such a word with only digits and symbols around it.
"""

from __future__ import annotations

import functools
import unicodedata
from importlib import resources

from saylau.model import Problem

__all__ = ["MIN_PASSWORD", "identifier_problems", "is_common_password", "password_problems"]

MIN_PASSWORD = 12
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_RUNS = (
    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
    "01234567890123456789012345678901234567890",
    "qwertyuiopasdfghjklzxcvbnmqwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p1qaz2wsx3edc4rfv",
)


def identifier_problems(value: str, field: str, max_len: int) -> list[Problem]:
    """Every reason ``value`` cannot be an account name or unit code (empty when it can)."""
    problems = []
    if not value.strip() or len(value) > max_len:
        problems.append(Problem(rule=field, message=f"{field}: 1 to {max_len} characters are required", field=field))
    elif value != value.strip():
        problems.append(Problem(rule=field, message=f"{field} {value!r}: no spaces around it", field=field))
    bad = sorted({f"U+{ord(ch):04X}" for ch in value if unicodedata.category(ch) in _REFUSED_CATEGORIES})
    if bad:
        listed = ", ".join(bad)
        message = f"{field} {value!r}: control, bidirectional or invisible characters are not allowed ({listed})"
        problems.append(Problem(rule="characters", message=message, field=field))
    elif not unicodedata.is_normalized("NFC", value):
        message = f"{field} {value!r}: not in Unicode form NFC (type it again, or normalise it to NFC)"
        problems.append(Problem(rule="nfc", message=message, field=field))
    return problems


def password_problems(password: str, name: str) -> list[Problem]:
    """Every reason ``password`` is too weak for the account ``name`` (empty when it will do)."""
    why = []
    folded = password.casefold()
    if len(password) < MIN_PASSWORD:
        why.append(f"at least {MIN_PASSWORD} characters are required")
    if password and len(set(password)) == 1:
        why.append("it is one character repeated")
    elif len(folded) >= 4 and any(folded in run or folded in run[::-1] for run in _RUNS):
        why.append("it is a run of the keyboard, the alphabet or the digits")
    if len(name) >= 3 and name.casefold() in folded:
        why.append("it contains the account's name")
    if is_common_password(password):
        why.append("it is one of the most common passwords (or one with digits or symbols added)")
    return [Problem(rule="password", message=f"password refused: {w}", field="password") for w in why]


def is_common_password(password: str) -> bool:
    """On the shipped list, in any case, or a listed word of 4+ letters with only digits and symbols around it."""
    folded = password.casefold()
    common = _common()
    if folded in common:
        return True
    core = folded.strip("0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
    return len(core) >= 4 and core in common


@functools.cache
def _common() -> frozenset[str]:
    text = (resources.files("saylau") / "data" / "passwords" / "common.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())
