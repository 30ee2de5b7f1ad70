"""Klimek et al.'s fraud model fitted with its fair part (spec/forensics.md §3): elections drawn from the
model with known f_i and f_e are recovered within the stated tolerances, clean data gives f = 0, extreme
fraud alone is not read as incremental; and the regional dip tests with Holm's correction (§4)."""

from __future__ import annotations

import numpy as np
import pytest
from tests.unit.forensics.synth import election

from saylau.forensics import Distribution, ForensicsInput, ForensicsSettings, PrecinctData, RegionDip
from saylau.forensics.distributions import distribution, holm, jitter
from saylau.forensics.fingerprint import FIT_SIZE, linear_histogram2d, simulate
from saylau.forensics.fingerprint import fingerprint as fit_fingerprint
from saylau.forensics.prepare import prepare

SETTINGS = ForensicsSettings()
# spec/forensics.md §3: f_e within 0.005 at 10,000 precincts; f_i, weakly identified, within 0.2
TOLERANCE_EXTREME = 0.005
TOLERANCE_INCREMENTAL = 0.2


def _model_election(f_i: float, f_e: float, n: int = 10_000, seed: int = 8) -> ForensicsInput:
    registered = np.random.default_rng(seed + 1).integers(300, 3000, n)
    turnout, share = simulate(registered, (0.6, 0.08, 0.6, 0.08), f_i, f_e, seed=seed)
    cast = np.rint(turnout * registered).astype(int)
    won = np.rint(share * cast).astype(int)
    precincts = tuple(
        PrecinctData(f"S{i}", "R", int(registered[i]), int(cast[i]), {"w": int(won[i]), "o": int(cast[i] - won[i])})
        for i in range(n)
    )
    return ForensicsInput("q", precincts, winner="w")


def _fit(data: ForensicsInput, seed: int = 1) -> tuple[float, float]:
    fp = fit_fingerprint(prepare(data, SETTINGS), SETTINGS, np.random.default_rng(seed))
    fit = getattr(fp, "fit", None)
    assert fit is not None
    assert fit.residual <= fit.residual_fair
    assert 0 < fit.evaluations <= 3 * 500 + 42  # bounded work: the grid of f_e, three Nelder-Mead runs
    return fit.incremental, fit.extreme


@pytest.mark.parametrize(("f_i", "f_e", "seed"), [(0.3, 0.05, 8), (0.4, 0.02, 9), (0.25, 0.0, 10)])
def test_injected_incremental_and_extreme_fraud_are_recovered(f_i: float, f_e: float, seed: int) -> None:
    got_i, got_e = _fit(_model_election(f_i, f_e, seed=seed))
    assert got_e == pytest.approx(f_e, abs=TOLERANCE_EXTREME)
    assert got_i == pytest.approx(f_i, abs=TOLERANCE_INCREMENTAL)
    assert got_i >= 0.1  # read as incremental fraud, not as none


@pytest.mark.parametrize("f_e", [0.02, 0.1])
def test_extreme_fraud_alone_is_not_read_as_incremental(f_e: float) -> None:
    got_i, got_e = _fit(_model_election(0.0, f_e, seed=11))
    assert got_e == pytest.approx(f_e, abs=TOLERANCE_EXTREME)
    assert got_i < 0.1  # measured 0 and 0.067


@pytest.mark.parametrize("seed", [12, 14])
def test_clean_data_of_the_model_gives_no_fraud(seed: int) -> None:
    got_i, got_e = _fit(_model_election(0.0, 0.0, seed=seed))
    assert got_i < 0.1  # measured 0.014 and 0.058
    assert got_e < TOLERANCE_EXTREME


@pytest.mark.parametrize("seed", [2000, 2008, 2013])
def test_clean_elections_of_mixed_regions_give_no_extreme_fraud_and_no_flag(seed: int) -> None:
    # the generator's regions differ in level: a mixture the model's one Gaussian does not have, which the
    # fit may read as incremental fraud (f_i up to 0.5, spec/forensics.md §3): f_i does not flag by default
    data = election(seed)
    fp = fit_fingerprint(prepare(data, SETTINGS), SETTINGS, np.random.default_rng(seed - 2000))
    fit = getattr(fp, "fit", None)
    assert fit is not None
    assert fit.extreme < TOLERANCE_EXTREME
    assert not getattr(fp, "flagged", True)


def test_the_fit_is_reproduced_from_its_seed() -> None:
    data = _model_election(0.3, 0.05, n=2000, seed=13)
    assert _fit(data, seed=5) == _fit(data, seed=5)


def test_linear_binning_keeps_the_mass_and_moves_continuously() -> None:
    x = np.array([0.0, 0.5, 0.999, 1.0, 0.26])
    h = linear_histogram2d(x, x[::-1], 20)
    assert h.sum() == pytest.approx(1.0)
    a = linear_histogram2d(np.array([0.26]), np.array([0.5]), 20)
    b = linear_histogram2d(np.array([0.26 + 1e-6]), np.array([0.5]), 20)
    assert np.abs(a - b).sum() < 1e-4  # a hard histogram would move nothing or a whole point
    assert FIT_SIZE >= 10_000


def test_holm_adjusts_step_down() -> None:
    # sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1: 0.02, 0.03, 0.06, 0.04 -> running max 0.06
    assert holm((0.01, 0.04, 0.03, 0.005)) == pytest.approx((0.03, 0.06, 0.06, 0.02))
    assert holm((0.5, 0.9)) == (1.0, 1.0)
    assert holm(()) == ()


def _two_regions(kind: str) -> Distribution:
    """Two regions of 2,000 precincts: ``levels`` each unimodal at its own level (0.45, 0.80); ``within``
    the second bimodal on its own; ``both`` each bimodal at the same two levels."""
    rng = np.random.default_rng(21)
    registered = rng.integers(400, 2000, 4000)
    low = rng.normal(0.45, 0.04, 2000)
    high = rng.normal(0.80, 0.04, 2000)
    if kind == "within":
        high[:1000] = rng.normal(0.55, 0.03, 1000)
    rates = np.concatenate([low, high])
    if kind == "both":
        rates = rates[rng.permutation(4000)]
    cast = rng.binomial(registered, np.clip(rates, 0, 1))
    regions = ("A",) * 2000 + ("B",) * 2000
    d = distribution(
        "turnout", cast / registered, 100, 0.05, jitter(cast, registered, np.random.default_rng(0)), regions
    )
    assert isinstance(d, Distribution)
    assert d.flagged  # nationally bimodal in every case
    for r in d.regions:
        assert isinstance(r, RegionDip)
        assert r.holm_p >= r.dip_p
    return d


def test_a_bimodality_between_regions_is_told_from_one_within_them() -> None:
    levels = _two_regions("levels")
    assert [r.region for r in levels.regions] == ["A", "B"]
    assert not any(r.flagged for r in levels.regions)
    assert levels.centred_dip_p is not None
    assert levels.centred_dip_p > 0.05
    assert levels.between_regions  # centred on their medians, the regions make one peak
    both = _two_regions("both")
    assert {r.region for r in both.regions if r.flagged} == {"A", "B"}
    assert both.centred_dip_p is not None
    assert both.centred_dip_p < 0.05
    assert not both.between_regions  # the two peaks are inside the regions
    within = _two_regions("within")
    assert {r.region for r in within.regions if r.flagged} == {"B"}  # named, whatever the centred test says
