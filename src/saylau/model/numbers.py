"""Exact fractions written as decimals: rounded half-even from the exact value, never via float."""

from __future__ import annotations

from fractions import Fraction
from math import gcd

__all__ = [
    "decimal_str",
    "fraction_str",
    "grouped_decimal_str",
    "number_str",
    "percent",
    "percent_beside",
    "ratio_decimal_str",
    "ratio_fraction_str",
]


def decimal_str(value: Fraction, places: int) -> str:
    """``value`` rounded half-even to ``places`` decimals: decimal_str(Fraction(2, 3), 4) == "0.6667"."""
    return ratio_decimal_str(value.numerator, value.denominator, places)


def ratio_decimal_str(num: int, den: int, places: int) -> str:
    """``decimal_str(Fraction(num, den), places)`` without building the Fraction (``den`` != 0)."""
    # Integer arithmetic only (a published file computes this some 10**5 times): the quotient of
    # |num| * 10**places by |den|, rounded half-even on its remainder. Exact.
    if num >= 0 and den > 0 and places:  # every share: the short path
        scale = 10**places
        scaled, rest = divmod(num * scale, den)
        if 2 * rest > den or (2 * rest == den and scaled & 1):
            scaled += 1
        units, decimals = divmod(scaled, scale)
        return f"{units}.{decimals:0{places}d}"
    negative = (num < 0) != (den < 0)
    den = abs(den)
    scaled, rest = divmod(abs(num) * 10**places, den)
    if 2 * rest > den or (2 * rest == den and scaled % 2 == 1):
        scaled += 1
    sign = "-" if negative and scaled else ""
    digits = str(scaled).rjust(places + 1, "0")
    if places == 0:
        return sign + digits
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def grouped_decimal_str(value: Fraction, places: int) -> str:
    """``decimal_str`` for reading, the whole part in groups of three: grouped_decimal_str(Fraction(1990573, 23),
    4) == "86,546.6522". The same digits as ``decimal_str``: only separators are added."""
    text = decimal_str(value, places)
    sign = "-" if text.startswith("-") else ""
    whole, dot, part = text.removeprefix("-").partition(".")
    return f"{sign}{int(whole):,}{dot}{part}"


def ratio_fraction_str(num: int, den: int) -> str:
    """``fraction_str(Fraction(num, den))`` without building the Fraction (``den`` != 0)."""
    g = gcd(num, den)
    if den < 0:
        g = -g
    return f"{num // g}/{den // g}"


def fraction_str(value: Fraction) -> str:
    """Always 'numerator/denominator', even for whole numbers, so readers parse one form."""
    return f"{value.numerator}/{value.denominator}"


def number_str(value: Fraction) -> str:
    """A count or weight: "17", "11.5"; a value without a short decimal form is rounded to 10 places."""
    if value.denominator == 1:
        return str(value.numerator)
    for places in range(1, 11):
        if (value * 10**places).denominator == 1:
            return decimal_str(value, places)
    return decimal_str(value, 10)


def percent(value: Fraction, places: int = 2) -> str:
    """A share as a percentage: percent(Fraction(7985769, 11734642)) == "68.05%"."""
    return decimal_str(value * 100, places) + "%"


def percent_beside(value: Fraction, threshold: Fraction) -> str:
    """The percentage of ``value`` with enough places that it does not read as equal to ``threshold``
    when it is not (50.001% is shown as "50.001%", not "50.00%"); at most 10 places."""
    for places in range(2, 11):
        shown = percent(value, places)
        if value == threshold or shown != percent(threshold, places):
            return shown
    return percent(value, 10)
