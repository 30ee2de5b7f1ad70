"""Digit tests of the precincts' vote counts, weak evidence (spec/forensics.md §6).

Second digit: Mebane's 2BL test ("Election forensics: vote counts and Benford's law", 2006; "The
second-digit Benford's law test and recent American presidential elections", 2008): a count's second
digit d has Benford probability q_d = sum_{k=1..9} log10(1 + 1 / (10 k + d)), mean 4.187. Last digit:
Beber and Scacco, "What the numbers say: a digit-based test for election fraud", Political Analysis 20(2)
(2012): uniform, mean 4.5, on counts large enough that the last digit is not shaped by the count's size.
Both: Pearson's chi-square of the ten digit counts against the expectation, 9 degrees of freedom, and
the mean absolute deviation MAD = mean_d |O_d / n - q_d| of the digit proportions. A test flags only when
the p-value is below alpha *and* MAD is above the floor: Nigrini (Benford's Law: Applications for
Forensic Accounting, Auditing, and Fraud Detection, Wiley 2012) uses MAD because the chi-square's power
grows with the number of records, so that on large data sets it rejects for departures too small to
matter, and sets its nonconformity bound for second digits at 0.012 (applied here to last digits too: ten
near-uniform proportions alike). The digit laws hold only approximately for
real counts (Mebane's own caveat: 2BL's frequencies are not those of every count distribution, and a
last digit of counts near 100 is not quite uniform where the count's density falls), so with 100,000
precincts the p-value alone flags clean data; the floor keeps the stated false-alarm rate.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from saylau.forensics.results import DigitTest, Skipped

__all__ = ["BENFORD_SECOND", "MAD_FLOOR", "MIN_COUNTS", "UNIFORM", "digit_test"]

BENFORD_SECOND: tuple[float, ...] = tuple(
    sum(math.log10(1 + 1 / (10 * k + d)) for k in range(1, 10)) for d in range(10)
)
UNIFORM: tuple[float, ...] = (0.1,) * 10
MAD_FLOOR = 0.012  # Nigrini (2012): a second-digit MAD above it is "nonconformity"
MIN_COUNTS = 100  # fewer counts leave some digits' expected counts under 5 (the chi-square's rule of thumb)


_POWERS = 10 ** np.arange(19, dtype=np.int64)  # 1, 10, ..., 10^18


def _digits(counts: NDArray[np.int64], test: Literal["second_digit", "last_digit"]) -> NDArray[np.int64]:
    """Each count's second digit (counts of two digits or more) or last digit, in integers."""
    if test == "last_digit":
        return counts % 10
    width = np.searchsorted(_POWERS, counts, side="right")  # the number of digits
    return (counts // _POWERS[width - 2]) % 10


def digit_test(
    counts: Iterable[int],
    test: Literal["second_digit", "last_digit"],
    minimum: int,
    alpha: float,
    mad_floor: float = MAD_FLOOR,
) -> DigitTest | Skipped:
    """The test of the digits of the counts at or above ``minimum`` (at least 10: two digits); it flags
    when the p-value is below ``alpha`` and the digits' mean absolute deviation above ``mad_floor``."""
    every = np.fromiter(counts, dtype=np.int64)
    used = every[every >= minimum]
    if len(used) < MIN_COUNTS:
        return Skipped(test, f"{len(used)} counts of {minimum} or more: at least {MIN_COUNTS} are needed")
    digits = [int(c) for c in np.bincount(_digits(used, test), minlength=10)]
    expected = BENFORD_SECOND if test == "second_digit" else UNIFORM
    n = len(used)
    chi2 = sum((o - n * q) ** 2 / (n * q) for o, q in zip(digits, expected, strict=True))
    p = float(stats.chi2.sf(chi2, 9))
    mad = sum(abs(o / n - q) for o, q in zip(digits, expected, strict=True)) / 10
    return DigitTest(
        test=test,
        counts_used=n,
        digits=tuple(digits),
        expected=expected,
        mean=sum(d * o for d, o in enumerate(digits)) / n,
        expected_mean=sum(d * q for d, q in enumerate(expected)),
        chi2=chi2,
        p_value=p,
        flagged=p < alpha and mad > mad_floor,
        mad=mad,
        mad_floor=mad_floor,
    )
