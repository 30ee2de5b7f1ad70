"""decimal_str rounds with integers only (issue 17 item 4): it must equal round() on the exact Fraction."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from saylau.model.numbers import decimal_str, fraction_str, ratio_decimal_str, ratio_fraction_str


def _by_fraction_round(value: Fraction, places: int) -> str:
    """The definition: Python's round() of a Fraction is exact and half-even."""
    scaled = round(value * 10**places)
    digits = str(abs(scaled)).rjust(places + 1, "0")
    sign = "-" if scaled < 0 else ""
    return sign + digits if places == 0 else f"{sign}{digits[:-places]}.{digits[-places:]}"


@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=0, max_value=12),
)
def test_decimal_str_is_round_half_even_of_the_exact_value(num: int, den: int, places: int) -> None:
    value = Fraction(num, den)
    assert decimal_str(value, places) == _by_fraction_round(value, places)


@given(st.integers(min_value=-(10**6), max_value=10**6), st.integers(min_value=0, max_value=6))
def test_decimal_str_on_exact_halves(whole: int, places: int) -> None:
    # a value exactly halfway between two results goes to the even one, on either side of zero
    value = Fraction(2 * whole + 1, 2 * 10**places)
    assert decimal_str(value, places) == _by_fraction_round(value, places)


def test_decimal_str_known_values() -> None:
    assert decimal_str(Fraction(1, 20000), 4) == "0.0000"  # 0.00005 -> even 0.0000
    assert decimal_str(Fraction(3, 20000), 4) == "0.0002"  # 0.00015 -> even 0.0002
    assert decimal_str(Fraction(-1, 20000), 4) == "0.0000"  # no "-0.0000"
    assert decimal_str(Fraction(-3, 20000), 4) == "-0.0002"
    assert decimal_str(Fraction(5, 2), 0) == "2"
    assert decimal_str(Fraction(7, 2), 0) == "4"
    assert decimal_str(Fraction(6163516, 7985769), 4) == "0.7718"


@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.integers(min_value=-(10**9), max_value=10**9).filter(bool),
    st.integers(min_value=0, max_value=12),
)
def test_ratio_forms_equal_those_of_the_fraction(num: int, den: int, places: int) -> None:
    value = Fraction(num, den)
    assert ratio_decimal_str(num, den, places) == decimal_str(value, places) == _by_fraction_round(value, places)
    assert ratio_fraction_str(num, den) == fraction_str(value)
