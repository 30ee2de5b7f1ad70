"""Forensics at the scale of a national election (spec/forensics.md §4, §6, §10): with 100,000 and 200,000
precincts a clean simulated election is not flagged by any test, and injected ballot stuffing still is.

The causes of the former false alarms are tested on their own, on vectorised data (fast): the ratios k / n
of small counts pile on simple fractions, which alone make the dip test reject unimodality at 200,000
precincts, and their jittered continuous version does not; the digit laws hold only approximately for
binomial counts, which the chi-square finds at this size, and Nigrini's MAD floor does not flag.
"""

from __future__ import annotations

import warnings

import diptest
import numpy as np
import pytest
from tests.unit.forensics.synth import election

from saylau.forensics import DigitTest, Distribution, ForensicsReport, ForensicsSettings, Heaping, analyse
from saylau.forensics.digits import MAD_FLOOR, digit_test
from saylau.forensics.distributions import TABLE_MAX_N, dip_test, jitter

ALPHA = 0.05
LARGE = ForensicsSettings(heaping_simulations=39)  # p-values in steps of 1/40: below alpha = 0.05 is readable


def _clean_shares(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The winner's votes k and valid votes v of n clean precincts (log-normal registers, as synth.py)."""
    rng = np.random.default_rng(seed)
    registered = np.maximum(np.rint(rng.lognormal(np.log(600), 0.7, n)), 100).astype(np.int64)
    valid = rng.binomial(registered, np.clip(rng.normal(0.62, 0.08, n), 0.05, 0.99))
    valid = np.maximum(valid, 1)
    won = rng.binomial(valid, np.clip(rng.normal(0.62, 0.08, n), 0.02, 0.98))
    return won, valid


def test_ratios_of_counts_fool_the_dip_test_at_scale_and_their_jittered_version_does_not() -> None:
    won, valid = _clean_shares(200_000, seed=1)
    _, p_raw = dip_test(won / valid)
    assert p_raw < 0.01  # the atoms at 1/2, 2/3, ... alone: a unimodal law of shares, rejected
    dip, p = dip_test(jitter(won, valid, np.random.default_rng(2)))
    assert p > 0.5
    assert np.sqrt(len(won)) * dip < 0.3


def test_the_jittered_ratio_stays_in_its_counts_cell() -> None:
    k = np.array([0, 1, 5, 10, 999])
    n = np.array([10, 3, 5, 10, 1000])
    x = jitter(k, n, np.random.default_rng(0))
    assert ((k / (n + 1) <= x) & (x < (k + 1) / (n + 1))).all()


def test_beyond_the_tables_the_p_value_is_the_limit_of_sqrt_n_dip() -> None:
    x = np.random.default_rng(3).uniform(size=100_000)  # the least favourable null: p near uniform
    dip, p = dip_test(x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # diptest warns beyond its table, and reads its largest row
        assert (dip, p) == pytest.approx(diptest.diptest(x))
    assert 0.0 < p < 1.0
    # calibrated under the least favourable null: of 40 uniform samples of 100,000 about 5% flag (at most
    # 6 of 40 with probability 0.99 for a correct test), and none is read off a table it lies beyond
    samples = [np.random.default_rng(100 + s).uniform(size=TABLE_MAX_N + 28_000) for s in range(40)]
    assert sum(dip_test(u)[1] < ALPHA for u in samples) <= 6
    two = np.concatenate(
        [np.random.default_rng(5).normal(0.3, 0.05, 50_000), np.random.default_rng(6).normal(0.7, 0.05, 50_000)]
    )
    assert dip_test(two)[1] < 1e-3  # a bimodal sample beyond the table still flags


def test_digit_laws_are_approximate_for_real_counts_and_the_mad_floor_says_how_far() -> None:
    won, valid = _clean_shares(200_000, seed=7)
    counts = np.concatenate([won, valid - won])
    last = digit_test(counts, "last_digit", 100, ALPHA)
    assert isinstance(last, DigitTest)
    assert last.p_value < ALPHA  # the chi-square finds that counts near 100 do not end uniformly
    assert last.mad < MAD_FLOOR / 4  # ... by far less than Nigrini's nonconformity
    assert not last.flagged
    rng = np.random.default_rng(8)
    made_up = counts.copy()
    forged = rng.random(len(counts)) < 0.2  # a fifth of the counts written by hand, ending in 0 or 5
    made_up[forged] = made_up[forged] // 10 * 10 + 5 * rng.integers(0, 2, int(forged.sum()))
    forged_test = digit_test(made_up, "last_digit", 100, ALPHA)
    assert isinstance(forged_test, DigitTest)
    assert forged_test.mad > MAD_FLOOR
    assert forged_test.flagged


def _not_flagged_with_margin(report: ForensicsReport) -> None:
    assert report.flags == ()
    for d in (report.turnout, report.share):
        assert isinstance(d, Distribution)
        assert d.dip_p > 0.5
        assert not any(r.flagged for r in d.regions)
    for t in (report.second_digit, report.last_digit):
        assert isinstance(t, DigitTest)
        assert t.mad < MAD_FLOOR / 4
    for h in (report.turnout_heaping, report.share_heaping):
        assert isinstance(h, Heaping)
        assert not h.flagged


@pytest.mark.slow
@pytest.mark.parametrize(("n", "seed"), [(100_000, 31), (200_000, 32)])
def test_a_clean_election_of_a_national_size_is_not_flagged(n: int, seed: int) -> None:
    report = analyse(election(seed, n=n), seed=seed, settings=LARGE)
    _not_flagged_with_margin(report)
    fit = getattr(report.fingerprint, "fit", None)
    assert fit is not None
    assert fit.extreme < 0.005


@pytest.mark.slow
def test_ballot_stuffing_in_a_large_election_is_still_flagged() -> None:
    report = analyse(election(33, n=100_000, stuffed=0.05), seed=33, settings=LARGE)
    assert {"fingerprint", "turnout", "outliers"} <= set(report.flags)
    fit = getattr(report.fingerprint, "fit", None)
    assert fit is not None
    assert fit.extreme == pytest.approx(0.05, abs=0.015)
