"""Known answers of the forensics formulas: moments, histograms, Benford's second digit, the integer
test of a percentage, the digit tests' chi-square (spec/forensics.md)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from saylau.forensics import ChannelComparison, ChannelPair, Distribution
from saylau.forensics.channels import compare_channels
from saylau.forensics.digits import BENFORD_SECOND, UNIFORM, digit_test
from saylau.forensics.distributions import distribution, excess_kurtosis, histogram, histogram2d, skewness
from saylau.forensics.heaping import at_multiple
from saylau.forensics.results import DigitTest, Skipped


def test_moments_of_a_small_sample() -> None:
    # x = 1, 2, 3, 4, 10: mean 4, deviations -3 -2 -1 0 6; m2 = 50/5 = 10, m3 = 180/5 = 36, m4 = 1394/5
    x = np.array([1.0, 2.0, 3.0, 4.0, 10.0])
    assert skewness(x) == pytest.approx(36 / 10**1.5)
    assert excess_kurtosis(x) == pytest.approx((1394 / 5) / 100 - 3)


def test_moments_of_a_normal_sample_are_near_zero() -> None:
    x = np.random.default_rng(7).normal(0.6, 0.1, 200_000)
    assert abs(skewness(x)) < 0.02
    assert abs(excess_kurtosis(x)) < 0.04


def test_histograms_put_one_in_the_last_bin() -> None:
    assert histogram(np.array([0.0, 0.49, 0.5, 1.0]), 2) == (2, 2)
    counts = histogram2d(np.array([0.1, 0.9, 1.0]), np.array([0.9, 0.1, 1.0]), 2)
    assert counts.tolist() == [[0, 1], [1, 1]]


def test_benford_second_digit_law() -> None:
    assert sum(BENFORD_SECOND) == pytest.approx(1.0)
    assert BENFORD_SECOND[0] == pytest.approx(0.11968, abs=1e-5)  # Nigrini's table
    assert BENFORD_SECOND[9] == pytest.approx(0.08500, abs=1e-5)
    assert sum(d * q for d, q in enumerate(BENFORD_SECOND)) == pytest.approx(4.187, abs=5e-4)  # Mebane's 4.187
    assert sum(d * q for d, q in enumerate(UNIFORM)) == pytest.approx(4.5)


@pytest.mark.parametrize(
    ("k", "n", "step", "at"),
    [
        (1658, 1950, 1, True),  # 85.03%: 1657.5 is 85% of 1950, 1658 is the nearest count
        (1660, 1950, 1, False),  # 85.13%
        (263, 309, 1, True),  # 85.11%: 262.65 is 85%, 263 the nearest count
        (1619, 1905, 5, True),  # 84.99%, nearest to 85%
        (1581, 1950, 5, False),  # 81.08%: nearest to 81%, not a multiple of 5
        (1580, 1950, 1, True),  # 81.03%: 81% of 1950 is 1579.5; 1580 is half a vote away: counted
    ],
)
def test_a_percentage_at_a_multiple(k: int, n: int, step: int, at: bool) -> None:
    got = bool(at_multiple(np.array([k]), np.array([n]), step)[0])
    assert got is at


def test_every_count_of_a_small_precinct_is_at_an_integer() -> None:
    n = np.full(51, 50)
    assert at_multiple(np.arange(51), n, 1).all()


def test_uniform_last_digits_give_chi_square_zero() -> None:
    got = digit_test(range(100, 300), "last_digit", 100, 0.05)
    assert isinstance(got, DigitTest)
    assert got.digits == (20,) * 10
    assert got.chi2 == pytest.approx(0.0)
    assert got.p_value == pytest.approx(1.0)
    assert got.mean == pytest.approx(4.5)
    assert not got.flagged
    assert got.evidence == "weak"


def test_one_digit_only_gives_the_chi_square_of_the_formula() -> None:
    counts = [10 * k + 7 for k in range(10, 210)]  # 200 counts ending in 7
    got = digit_test(counts, "last_digit", 100, 0.05)
    assert isinstance(got, DigitTest)
    # sum (o - e)^2 / e with e = 20: 9 digits at (0 - 20)^2 / 20 = 20, one at (200 - 20)^2 / 20 = 1620
    assert got.chi2 == pytest.approx(9 * 20 + 1620)
    assert got.flagged


def test_second_digit_of_a_benford_sample_passes() -> None:
    # 10^U with U uniform over whole decades follows Benford's law for every digit
    counts = np.floor(10 ** np.random.default_rng(3).uniform(2, 5, 20_000)).astype(int)
    got = digit_test((int(c) for c in counts), "second_digit", 10, 0.05)
    assert isinstance(got, DigitTest)
    assert got.mean == pytest.approx(4.187, abs=0.05)
    assert got.p_value > 0.01


def test_too_few_counts_skip_the_test() -> None:
    got = digit_test([123, 456], "last_digit", 100, 0.05)
    assert isinstance(got, Skipped)
    assert "2 counts" in got.reason


def test_moments_agree_with_scipy() -> None:
    x = np.random.default_rng(11).gamma(2.0, 0.1, 5000)
    assert skewness(x) == pytest.approx(float(stats.skew(x)))
    assert excess_kurtosis(x) == pytest.approx(float(stats.kurtosis(x)))


def test_the_dip_test_tells_one_peak_from_two() -> None:
    rng = np.random.default_rng(12)
    one = np.clip(rng.normal(0.6, 0.08, 5000), 0, 1)
    two = np.clip(np.concatenate([rng.normal(0.45, 0.05, 2500), rng.normal(0.85, 0.05, 2500)]), 0, 1)
    unimodal, bimodal = distribution("turnout", one, 100, 0.05), distribution("turnout", two, 100, 0.05)
    assert isinstance(unimodal, Distribution)
    assert isinstance(bimodal, Distribution)
    assert not unimodal.flagged
    assert bimodal.flagged
    assert bimodal.dip > unimodal.dip
    assert bimodal.dip_p < 0.001


def test_a_unit_with_a_channel_without_votes_adds_no_degree_of_freedom() -> None:
    got = compare_channels((ChannelPair("U", {"a": 10, "b": 5}, {"a": 0, "b": 0}),), ("a", "b"), "a", 0.05)
    assert isinstance(got, ChannelComparison)
    (unit,) = got.units
    assert (unit.chi2, unit.df, unit.p_value, unit.flagged) == (0.0, 0, 1.0, False)
    assert unit.electronic_share == 0.0
    assert (got.df, got.p_value, got.flagged) == (0, 1.0, False)
