"""The stable error codes of the register's pure core (spec/formats.md §15; the rules: spec/register.md)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["RegisterCode"]


class RegisterCode(StrEnum):
    """Codes raised by saylau.register."""

    REGISTER = "register"  # RegisterError without a finer code
    BAD_IDENTIFIER = "bad_identifier"  # an identifier that is not 12 digits, or whose check digit is wrong
    IDENTIFIER_MISMATCH = "identifier_mismatch"  # an IIN whose encoded birth date or sex is not the person's
