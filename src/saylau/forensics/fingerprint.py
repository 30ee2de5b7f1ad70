"""The election fingerprint of Klimek, Yegorov, Hanel and Thurner, "Statistical detection of systematic
election irregularities", PNAS 109(41):16469-16473 (2012), with their fraud model fitted to it
(spec/forensics.md §3).

The model (their eqs. and SI, simplified as spec/forensics.md §3 says): each precinct i with N_i voters
has a fair turnout tau_i ~ Normal(tau, sd_tau) and a fair winner share nu_i ~ Normal(nu, sd_nu), clipped
to [0, 1]. With probability f_e it suffers extreme fraud, with probability f_i incremental fraud: a
fraction x_i of the non-voters is stuffed as ballots for the winner and the same fraction x_i of the
other options' votes is moved to the winner, x_i = |Normal(0, sd_x)| (incremental) or
1 - |Normal(0, sd_x)| (extreme), sd_x = 0.075. Ballots are then drawn with binomial noise (normal
approximation) from N_i. The fit, as theirs, minimises the sum of squared differences between the
observed and the simulated normalised 2-D histograms over a grid of (f_i, f_e), with common random numbers
across the grid. The fair part is estimated robustly: the medians of turnout and share and their
median absolute deviations x 1.4826 (a simpler estimator than the paper's fit of the main peak).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from saylau.forensics.distributions import MIN_PRECINCTS, excess_kurtosis, histogram2d
from saylau.forensics.prepare import Sample
from saylau.forensics.results import Fingerprint, FraudFit, Skipped
from saylau.forensics.types import ForensicsSettings

__all__ = ["SD_X", "fingerprint", "simulate"]

SD_X = 0.075  # the width of the fraud intensity x_i
MAD_TO_SD = 1.4826  # 1 / Phi^-1(3/4): the MAD of a normal distribution times this is its sd


@dataclass(frozen=True, slots=True)
class _Draws:
    """The random numbers of one fit, shared by every grid point (common random numbers)."""

    registered: NDArray[np.int64]
    tau: NDArray[np.float64]
    nu: NDArray[np.float64]
    kind: NDArray[np.float64]  # uniform: extreme if < f_e, incremental if < f_e + f_i
    x_incremental: NDArray[np.float64]
    x_extreme: NDArray[np.float64]
    z_cast: NDArray[np.float64]
    z_won: NDArray[np.float64]


def _draws(registered: NDArray[np.int64], fair: tuple[float, float, float, float], rng: np.random.Generator) -> _Draws:
    n = len(registered)
    tau_mean, tau_sd, nu_mean, nu_sd = fair
    return _Draws(
        registered=registered,
        tau=np.clip(rng.normal(tau_mean, tau_sd, n), 0.0, 1.0),
        nu=np.clip(rng.normal(nu_mean, nu_sd, n), 0.0, 1.0),
        kind=rng.random(n),
        x_incremental=np.clip(np.abs(rng.normal(0.0, SD_X, n)), 0.0, 1.0),
        x_extreme=np.clip(1.0 - np.abs(rng.normal(0.0, SD_X, n)), 0.0, 1.0),
        z_cast=rng.standard_normal(n),
        z_won=rng.standard_normal(n),
    )


def _simulate(d: _Draws, f_i: float, f_e: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    x = np.where(d.kind < f_e, d.x_extreme, np.where(d.kind < f_e + f_i, d.x_incremental, 0.0))
    won = d.tau * d.nu + x * (1.0 - d.tau) + x * d.tau * (1.0 - d.nu)  # fractions of the register
    turnout = d.tau + x * (1.0 - d.tau)
    share = np.divide(won, turnout, out=np.zeros_like(won), where=turnout > 0)
    n = d.registered.astype(np.float64)
    cast = np.clip(np.rint(n * turnout + d.z_cast * np.sqrt(n * turnout * (1.0 - turnout))), 0.0, n)
    got = np.clip(np.rint(cast * share + d.z_won * np.sqrt(cast * share * (1.0 - share))), 0.0, cast)
    safe = np.maximum(cast, 1.0)
    return cast / n, np.where(cast > 0, got / safe, 0.0)


def simulate(
    registered: NDArray[np.int64], fair: tuple[float, float, float, float], f_i: float, f_e: float, seed: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Turnout and winner share of the model's precincts (for tests and for a page's 'what fraud looks like')."""
    return _simulate(_draws(registered, fair, np.random.default_rng(seed)), f_i, f_e)


def _fair(turnout: NDArray[np.float64], share: NDArray[np.float64]) -> tuple[float, float, float, float]:
    """The fair part: medians and MAD-based sds (robust to the few precincts extreme fraud moves; a wide
    incremental fraud moves the medians too, and part of it is then read as fair: f_i is a lower bound)."""

    def centre_spread(x: NDArray[np.float64]) -> tuple[float, float]:
        median = float(np.median(x))
        return median, max(MAD_TO_SD * float(np.median(np.abs(x - median))), 1e-3)

    return (*centre_spread(turnout), *centre_spread(share))


def _grid(stop: float, steps: int) -> tuple[float, ...]:
    return tuple(round(float(v), 9) for v in np.linspace(0.0, stop, steps + 1))


def fingerprint(sample: Sample, settings: ForensicsSettings, rng: np.random.Generator) -> Fingerprint | Skipped:
    if len(sample) < MIN_PRECINCTS:
        return Skipped("fingerprint", f"{len(sample)} precincts analysed: at least {MIN_PRECINCTS} are needed")
    turnout, share = sample.turnout, sample.share
    counts = histogram2d(turnout, share, settings.bins)
    fit_counts = histogram2d(turnout, share, settings.fit_bins)
    observed = fit_counts / fit_counts.sum()
    fair = _fair(turnout, share)
    draws = _draws(sample.registered, fair, rng)
    grid_i, grid_e = _grid(*settings.fit_incremental), _grid(*settings.fit_extreme)
    best = (np.inf, 0.0, 0.0)
    residual_fair = np.inf
    for f_i in grid_i:
        for f_e in grid_e:
            if f_i + f_e > 1.0:
                continue
            t, s = _simulate(draws, f_i, f_e)
            model = histogram2d(t, s, settings.fit_bins)
            residual = float(np.sum((observed - model / model.sum()) ** 2))
            if f_i == 0.0 and f_e == 0.0:
                residual_fair = residual
            best = min(best, (residual, f_i, f_e))
    residual, f_i, f_e = best
    assessed = len(sample) >= settings.flag_min_precincts
    fit = FraudFit(f_i, f_e, *fair, residual=residual, residual_fair=residual_fair, grid=(grid_i, grid_e))
    return Fingerprint(
        bins=settings.bins,
        counts=tuple(tuple(int(c) for c in row) for row in counts),
        turnout_kurtosis=excess_kurtosis(turnout),
        share_kurtosis=excess_kurtosis(share),
        fit=fit,
        flagged=assessed and (f_i >= settings.flag_incremental or f_e >= settings.flag_extreme),
        assessed=assessed,
    )
