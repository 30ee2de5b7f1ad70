"""Exact figures for publication: shares as ``Fraction`` from ints, written with Decimal half-even.

Never a float: a share is ``Fraction(part, whole)``; it is printed rounded half-even to a fixed number
of places, with the exact fraction beside it where the format allows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction

from saylau.model.errors import SaylauError
from saylau.model.ids import QuestionCode, UnitCode
from saylau.model.lifecycle import Mode
from saylau.model.numbers import decimal_str
from saylau.model.protocol import STANDARD_FIELDS, Counts
from saylau.model.results import ResultsView, UnitResult

__all__ = [
    "SHARES",
    "ShareRow",
    "field_names",
    "percent_str",
    "question_codes",
    "refuse_test",
    "share",
    "shares",
    "units_in_order",
]

# (name, numerator field, denominator field): turnout over the register, answers over participants.
SHARES: tuple[tuple[str, str, str], ...] = (
    ("turnout", "participated", "registered"),
    ("yes", "yes", "participated"),
    ("no", "no", "participated"),
    ("not_counted", "not_counted", "participated"),
    ("invalid", "invalid", "participated"),
)


@dataclass(frozen=True, slots=True)
class ShareRow:
    name: str
    value: Fraction | None  # None when the denominator is zero (nothing reported yet)


def refuse_test(view: ResultsView) -> None:
    """Test data is never published (lifecycle.Mode)."""
    if view.mode is Mode.TEST:
        raise SaylauError(
            f"event {view.event.code} is in test mode: its results cannot be published",
            code="test_not_publishable",
            details={"event": str(view.event.code)},
        )


def share(counts: Counts, num: str, den: str) -> Fraction | None:
    whole = counts.get(den, 0)
    if whole == 0 or num not in counts:
        return None
    return Fraction(counts[num], whole)


def shares(counts: Counts) -> tuple[ShareRow, ...]:
    return tuple(ShareRow(name, share(counts, num, den)) for name, num, den in SHARES)


def percent_str(value: Fraction | None, places: int = 2) -> str:
    """A share as a percentage for people: '77.18'. An empty string when there is no share."""
    return "" if value is None else decimal_str(value * 100, places)


def field_names(results: Mapping[UnitCode, UnitResult]) -> tuple[str, ...]:
    """The standard fields first, in their order, then any preset-specific ones sorted."""
    seen: set[str] = set()
    for result in results.values():
        for counts in result.totals.values():
            seen.update(counts)
    extra = sorted(seen.difference(STANDARD_FIELDS))
    return (*(f for f in STANDARD_FIELDS if f in seen), *extra)


def units_in_order(view: ResultsView) -> Iterator[tuple[UnitCode, int, UnitResult]]:
    """(code, depth, result) of every unit with a result, country first, parents before children."""
    territory = view.territory
    depth: dict[UnitCode, int] = {territory.root: 0}
    for code in territory.walk():
        parent = territory[code].parent
        if parent is not None:
            depth[code] = depth[parent] + 1
        result = view.results.get(code)
        if result is not None:
            yield code, depth[code], result


def question_codes(view: ResultsView) -> tuple[QuestionCode, ...]:
    return tuple(q.code for q in view.event.contests)
