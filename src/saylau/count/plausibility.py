"""Plausibility warnings: implausible but legal values, accepted and kept (spec/counting.md §2).

A warning never refuses a protocol; it asks a person to look (as Kiesraad Abacus separates blocking
errors from warnings). Every threshold is an exact ``Fraction`` or ``int`` in :class:`Plausibility`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from saylau.model.ids import QuestionCode, UnitCode
from saylau.model.results import PrecinctWarning

__all__ = [
    "DEFAULT_PLAUSIBILITY",
    "HIGH_TURNOUT",
    "REGISTER_MISMATCH",
    "ROUND_NUMBERS",
    "UNANIMOUS",
    "WARNING_CODES",
    "Plausibility",
    "percent",
    "warnings_for",
]

HIGH_TURNOUT = "high_turnout"
UNANIMOUS = "unanimous"
ROUND_NUMBERS = "round_numbers"
REGISTER_MISMATCH = "register_mismatch"
WARNING_CODES: tuple[str, ...] = (HIGH_TURNOUT, UNANIMOUS, ROUND_NUMBERS, REGISTER_MISMATCH)


@dataclass(frozen=True, slots=True)
class Plausibility:
    """Thresholds of the warnings. Defaults and their reasons are in spec/counting.md §2.

    - ``max_turnout``: warn when participated / registered is strictly above it (95%).
    - ``unanimity_min_valid``: warn when Yes + No is at least this (10) and one answer has none.
    - ``round_multiple`` / ``round_fields``: warn when every one of these fields is a non-zero multiple
      of it (50)...
    - ``round_percent``: ...or when turnout and the Yes share (strictly between 0 and 1; 0 and 1 are
      the unanimity warning) are both exact multiples of it (1%)...
    - ``round_min_participants``: ...provided at least this many took part (200).
    - ``register_gap``: warn when the protocol's ``registered`` differs from the register by strictly
      more than this share of the register (5%; supplementary lists make small differences normal).
    """

    max_turnout: Fraction = Fraction(95, 100)
    unanimity_min_valid: int = 10
    round_multiple: int = 50
    round_fields: tuple[str, ...] = ("participated", "yes", "no")
    round_percent: Fraction = Fraction(1, 100)
    round_min_participants: int = 200
    register_gap: Fraction = Fraction(5, 100)

    def __post_init__(self) -> None:
        if not 0 <= self.max_turnout <= 1 or self.register_gap < 0:
            raise ValueError("max_turnout must lie in [0, 1] and register_gap must not be negative")
        if self.round_multiple < 2 or self.round_percent <= 0:
            raise ValueError("round_multiple must be at least 2 and round_percent positive")


DEFAULT_PLAUSIBILITY = Plausibility()


def percent(value: Fraction) -> str:
    """``value`` as a percentage with two decimals, rounded half up, without floats."""
    hundredths = math.floor(value * 10_000 + Fraction(1, 2))
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def warnings_for(
    precinct: UnitCode,
    question: QuestionCode,
    counts: Mapping[str, int],
    register: int | None,
    p: Plausibility,
) -> list[PrecinctWarning]:
    """The warnings of one question of a valid protocol; a check whose fields are absent is skipped."""
    checks = (
        _high_turnout(counts, p),
        _unanimous(counts, p),
        _round_numbers(counts, p),
        _register_mismatch(counts, register, p),
    )
    return [PrecinctWarning(precinct, code, f"question {question}: {msg}") for code, msg in filter(None, checks)]


def _high_turnout(counts: Mapping[str, int], p: Plausibility) -> tuple[str, str] | None:
    reg, part = counts.get("registered"), counts.get("participated")
    # part / reg <= max, in integers (no Fraction is built for the common, plausible protocol)
    if not reg or part is None or part * p.max_turnout.denominator <= p.max_turnout.numerator * reg:
        return None
    turnout = Fraction(part, reg)
    return HIGH_TURNOUT, f"turnout {percent(turnout)} ({part} of {reg}) is above {percent(p.max_turnout)}"


def _unanimous(counts: Mapping[str, int], p: Plausibility) -> tuple[str, str] | None:
    yes, no = counts.get("yes"), counts.get("no")
    if yes is None or no is None or yes + no < p.unanimity_min_valid or (yes and no):
        return None
    answer = "Yes" if yes else "No"
    return UNANIMOUS, f"all {yes + no} votes for an answer are {answer}"


def _round_numbers(counts: Mapping[str, int], p: Plausibility) -> tuple[str, str] | None:
    part = counts.get("participated")
    if part is None or part < p.round_min_participants:
        return None
    values = [counts.get(f) for f in p.round_fields]
    if all(v and v % p.round_multiple == 0 for v in values):
        listed = ", ".join(f"{f} = {v:,}" for f, v in zip(p.round_fields, values, strict=True))
        return ROUND_NUMBERS, f"every count is a multiple of {p.round_multiple:,} ({listed})"
    reg, yes = counts.get("registered"), counts.get("yes")
    if not reg or yes is None:
        return None
    if not 0 < yes < part or not (_whole(part, reg, p.round_percent) and _whole(yes, part, p.round_percent)):
        return None
    turnout, share = Fraction(part, reg), Fraction(yes, part)
    return ROUND_NUMBERS, (
        f"turnout {percent(turnout)} and Yes share {percent(share)} are both exact multiples "
        f"of {percent(p.round_percent)}"
    )


def _whole(num: int, den: int, step: Fraction) -> bool:
    """Whether num/den is a whole multiple of ``step``: (num/den) / (a/b) = num*b / (den*a) is an integer."""
    return (num * step.denominator) % (den * step.numerator) == 0


def _register_mismatch(counts: Mapping[str, int], register: int | None, p: Plausibility) -> tuple[str, str] | None:
    stated = counts.get("registered")
    gap = p.register_gap
    if register is None or stated is None or abs(stated - register) * gap.denominator <= gap.numerator * register:
        return None
    return REGISTER_MISMATCH, (
        f"the protocol states {stated} registered, the register has {register} "
        f"(difference {stated - register:+d}, more than {percent(p.register_gap)})"
    )
