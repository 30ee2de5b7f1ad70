"""The stated false-alarm rate holds: on clean simulated elections each test flags at most alpha of the
time (plus the binomial tolerance of the number of elections), spec/forensics.md §10."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tests.unit.forensics.synth import election

from saylau.forensics import Distribution, ForensicsSettings, Heaping
from saylau.forensics.digits import digit_test
from saylau.forensics.distributions import distribution, jitter
from saylau.forensics.fingerprint import fingerprint
from saylau.forensics.heaping import heaping
from saylau.forensics.prepare import prepare

SEEDS = 200
ALPHA = 0.05
# three binomial standard errors of the rate over SEEDS elections: a correct test passes ~99.9% of the time
TOLERANCE = 3 * math.sqrt(ALPHA * (1 - ALPHA) / SEEDS)
SETTINGS = ForensicsSettings(
    alpha=ALPHA, heaping_simulations=49
)  # p-values in steps of 1/50: enough to read alpha = 0.05


def _flags(seed: int) -> dict[str, bool]:
    sample = prepare(election(seed, n=2000), SETTINGS)
    rng = np.random.default_rng(seed)
    flags: dict[str, bool] = {}
    for name, k, n in (("turnout", sample.cast, sample.registered), ("share", sample.won, sample.valid)):
        d = distribution(name, k / n, SETTINGS.bins, ALPHA, jitter(k, n, rng), sample.regions)
        assert isinstance(d, Distribution)
        flags[f"dip {name}"] = d.flagged
        flags[f"dip {name} in a region"] = any(r.flagged for r in d.regions)  # Holm: family-wise at alpha
    for name, k, n in (("turnout", sample.cast, sample.registered), ("share", sample.won, sample.valid)):
        h = heaping(name, k, n, sample.regions, SETTINGS.heaping_simulations, ALPHA, rng)
        assert isinstance(h, Heaping)
        for c in h.counts:
            flags[f"heaping {name} {c.step}"] = c.flagged
    counts = sample.votes.ravel()
    flags["second digit"] = getattr(digit_test(counts, "second_digit", 10, ALPHA), "flagged", True)
    flags["last digit"] = getattr(digit_test(counts, "last_digit", 100, ALPHA), "flagged", True)
    # the p-values alone, without the MAD floor (spec/forensics.md §6): the tests' own size at 2,000 precincts
    flags["second digit p"] = getattr(digit_test(counts, "second_digit", 10, ALPHA, 0.0), "flagged", True)
    flags["last digit p"] = getattr(digit_test(counts, "last_digit", 100, ALPHA, 0.0), "flagged", True)
    return flags


def test_clean_elections_are_flagged_at_most_at_alpha() -> None:
    runs = [_flags(1000 + seed) for seed in range(SEEDS)]
    rates = {check: sum(r[check] for r in runs) / SEEDS for check in runs[0]}
    too_often = {check: rate for check, rate in rates.items() if rate > ALPHA + TOLERANCE}
    assert not too_often, f"flagged more often than {ALPHA} + {TOLERANCE:.3f}: {too_often}"
    assert len(rates) == 12


@pytest.mark.slow
def test_the_fingerprint_rarely_flags_clean_elections() -> None:
    settings = ForensicsSettings()
    flagged = 0
    for seed in range(20):  # 4,000 precincts each: twice the fingerprint's minimum, half the fit's work
        sample = prepare(election(2000 + seed, n=4000), settings)
        fp = fingerprint(sample, settings, np.random.default_rng(seed))
        flagged += bool(getattr(fp, "flagged", True))
    assert flagged <= 1
