"""Digit tests of the precincts' vote counts, weak evidence (spec/forensics.md §6).

Second digit: Mebane's 2BL test ("Election forensics: vote counts and Benford's law", 2006; "The
second-digit Benford's law test and recent American presidential elections", 2008): a count's second
digit d has Benford probability q_d = sum_{k=1..9} log10(1 + 1 / (10 k + d)), mean 4.187. Last digit:
Beber and Scacco, "What the numbers say: a digit-based test for election fraud", Political Analysis 20(2)
(2012): uniform, mean 4.5, on counts large enough that the last digit is not shaped by the count's size.
Both: Pearson's chi-square of the ten digit counts against the expectation, 9 degrees of freedom.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Literal

from scipy import stats

from saylau.forensics.results import DigitTest, Skipped

__all__ = ["BENFORD_SECOND", "MIN_COUNTS", "UNIFORM", "digit_test"]

BENFORD_SECOND: tuple[float, ...] = tuple(
    sum(math.log10(1 + 1 / (10 * k + d)) for k in range(1, 10)) for d in range(10)
)
UNIFORM: tuple[float, ...] = (0.1,) * 10
MIN_COUNTS = 100  # fewer counts leave some digits' expected counts under 5 (the chi-square's rule of thumb)


def _digit(count: int, test: Literal["second_digit", "last_digit"]) -> int:
    return int(str(count)[1]) if test == "second_digit" else count % 10


def digit_test(
    counts: Iterable[int], test: Literal["second_digit", "last_digit"], minimum: int, alpha: float
) -> DigitTest | Skipped:
    """The test of the digits of the counts at or above ``minimum`` (at least 10: two digits)."""
    used = [c for c in counts if c >= minimum]
    if len(used) < MIN_COUNTS:
        return Skipped(test, f"{len(used)} counts of {minimum} or more: at least {MIN_COUNTS} are needed")
    digits = [0] * 10
    for c in used:
        digits[_digit(c, test)] += 1
    expected = BENFORD_SECOND if test == "second_digit" else UNIFORM
    n = len(used)
    chi2 = sum((o - n * q) ** 2 / (n * q) for o, q in zip(digits, expected, strict=True))
    p = float(stats.chi2.sf(chi2, 9))
    return DigitTest(
        test=test,
        counts_used=n,
        digits=tuple(digits),
        expected=expected,
        mean=sum(d * o for d, o in enumerate(digits)) / n,
        expected_mean=sum(d * q for d, q in enumerate(expected)),
        chi2=chi2,
        p_value=p,
        flagged=p < alpha,
    )
