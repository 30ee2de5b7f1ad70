"""The election fingerprint of Klimek, Yegorov, Hanel and Thurner, "Statistical detection of systematic
election irregularities", PNAS 109(41):16469-16473 (2012), with their fraud model fitted to it
(spec/forensics.md §3).

The model (the paper's, with the simplifications spec/forensics.md §3 names): each precinct i with N_i
voters has a fair turnout tau_i ~ Normal(tau, sd_tau) and a fair winner share nu_i ~ Normal(nu, sd_nu),
clipped to [0, 1]. With probability f_e it suffers extreme fraud, with probability f_i incremental fraud:
a fraction x_i of the non-voters is stuffed as ballots for the winner and the same fraction x_i of the
other options' votes is moved to the winner, x_i = |Normal(0, sd_x)| (incremental) or
1 - |Normal(0, sd_x)| (extreme), sd_x = 0.075 (the smearing width). Ballots are then drawn with binomial
noise (normal approximation) from N_i.

The fit, as the paper's: the parameters minimising the sum of squared differences between the observed
and the model's normalised turnout x share histograms. All six of them are fitted together, the fair
part (tau, sd_tau, nu, sd_nu: the Gaussian of the main peak) with the fraud fractions (f_i, f_e): a fair
part read from the data's medians is moved by incremental fraud, which then hides in it (f_i was only a
lower bound). Bounded work: the start is the fair part at the medians and median absolute deviations with
f_e the best of its grid; then Nelder-Mead (scipy.optimize, a fixed number of evaluations) fits the fair
part and f_e with f_i held at 0, and all six from there and from a second f_i; the six-parameter fit is
kept only if it lowers the residual by PARSIMONY (a rule of this project's: incremental fraud of width
0.075 is weakly identified). The model's random numbers are drawn once (common random numbers, Latin
hypercube sampling from the seeded stream) for at most FIT_SIZE model precincts whose registers are drawn
from the data's, and both histograms are built by linear binning (each point shared between its two
nearest bin centres on each axis), so that the objective is continuous in the parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, stats
from scipy.stats import qmc

from saylau.forensics.distributions import MIN_PRECINCTS, excess_kurtosis, histogram2d
from saylau.forensics.prepare import Sample
from saylau.forensics.results import Fingerprint, FraudFit, Skipped
from saylau.forensics.types import ForensicsSettings

__all__ = ["FIT_EVALUATIONS", "FIT_SIZE", "SD_X", "fingerprint", "linear_histogram2d", "simulate"]

SD_X = 0.075  # the width of the fraud intensity x_i
MAD_TO_SD = 1.4826  # 1 / Phi^-1(3/4): the MAD of a normal distribution times this is its sd
FIT_SIZE = 50_000  # model precincts simulated per evaluation of the objective, at most (bounded work)
FIT_PER_PRECINCT = 5  # model precincts per analysed precinct, below that
FIT_EVALUATIONS = 500  # Nelder-Mead's limit of evaluations of the objective, per start
PARSIMONY = 0.1  # f_i is kept only if it lowers the residual by this fraction of the f_i = 0 fit's
# the parameters (tau, sd_tau, nu, sd_nu, f_i, f_e): their bounds and the first simplex's steps
_LOWER = (0.0, 1e-3, 0.0, 1e-3, 0.0, 0.0)
_UPPER = (1.0, 0.5, 1.0, 0.5, 1.0, 1.0)
_STEPS = (0.02, 0.01, 0.02, 0.01, 0.1, 0.02)

Params = tuple[float, float, float, float, float, float]


@dataclass(frozen=True, slots=True)
class _Draws:
    """The random numbers of one fit, shared by every evaluation (common random numbers)."""

    registered: NDArray[np.float64]
    z_tau: NDArray[np.float64]
    z_nu: NDArray[np.float64]
    kind: NDArray[np.float64]  # uniform: extreme if < f_e, incremental if < f_e + f_i
    x_incremental: NDArray[np.float64]
    x_extreme: NDArray[np.float64]
    z_cast: NDArray[np.float64]
    z_won: NDArray[np.float64]


def _draws(registered: NDArray[np.int64], rng: np.random.Generator, size: int | None = None) -> _Draws:
    """Draws for the data's registers (``size`` None) or for ``size`` registers drawn from them with
    replacement."""
    if size is not None:
        registered = registered[rng.integers(0, len(registered), size)]
    n = len(registered)
    # Latin hypercube sampling (McKay, Beckman and Conover, Technometrics 21(2), 1979): each variable's n
    # draws take one value in each of n equal-probability strata, so the model's histogram carries far
    # less Monte Carlo noise than from independent draws (the fit's objective is then the data's noise)
    u = qmc.LatinHypercube(d=7, rng=rng).random(n)
    z = stats.norm.ppf(u)
    return _Draws(
        registered=registered.astype(np.float64),
        z_tau=z[:, 0],
        z_nu=z[:, 1],
        kind=u[:, 2],
        x_incremental=np.clip(SD_X * np.abs(z[:, 3]), 0.0, 1.0),
        x_extreme=np.clip(1.0 - SD_X * np.abs(z[:, 4]), 0.0, 1.0),
        z_cast=z[:, 5],
        z_won=z[:, 6],
    )


def _simulate(d: _Draws, params: Params) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    tau_mean, tau_sd, nu_mean, nu_sd, f_i, f_e = params
    tau = np.clip(tau_mean + tau_sd * d.z_tau, 0.0, 1.0)
    nu = np.clip(nu_mean + nu_sd * d.z_nu, 0.0, 1.0)
    x = np.where(d.kind < f_e, d.x_extreme, np.where(d.kind < f_e + f_i, d.x_incremental, 0.0))
    won = tau * nu + x * (1.0 - tau) + x * tau * (1.0 - nu)  # fractions of the register
    turnout = tau + x * (1.0 - tau)
    share = np.divide(won, turnout, out=np.zeros_like(won), where=turnout > 0)
    n = d.registered
    cast = np.clip(np.rint(n * turnout + d.z_cast * np.sqrt(n * turnout * (1.0 - turnout))), 0.0, n)
    got = np.clip(np.rint(cast * share + d.z_won * np.sqrt(cast * share * (1.0 - share))), 0.0, cast)
    safe = np.maximum(cast, 1.0)
    return cast / n, np.where(cast > 0, got / safe, 0.0)


def simulate(
    registered: NDArray[np.int64], fair: tuple[float, float, float, float], f_i: float, f_e: float, seed: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Turnout and winner share of the model's precincts (for tests and for a page's 'what fraud looks like')."""
    return _simulate(_draws(registered, np.random.default_rng(seed)), (*fair, f_i, f_e))


def _fair(turnout: NDArray[np.float64], share: NDArray[np.float64]) -> tuple[float, float, float, float]:
    """The start of the fair part: medians and MAD-based sds."""

    def centre_spread(x: NDArray[np.float64]) -> tuple[float, float]:
        median = float(np.median(x))
        return median, max(MAD_TO_SD * float(np.median(np.abs(x - median))), 1e-3)

    return (*centre_spread(turnout), *centre_spread(share))


def _grid(stop: float, steps: int) -> tuple[float, ...]:
    return tuple(round(float(v), 9) for v in np.linspace(0.0, stop, steps + 1))


def linear_histogram2d(rows: NDArray[np.float64], columns: NDArray[np.float64], bins: int) -> NDArray[np.float64]:
    """The normalised ``bins`` x ``bins`` histogram on [0, 1]^2 by linear binning: a point at position p
    (in bin widths from the first bin's centre) gives 1 - (p - floor p) to bin floor p and the rest to the
    next, on each axis (clamped to the edge bins), so that the histogram moves continuously with the points."""

    def split(v: NDArray[np.float64]) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
        p = np.clip(v * bins - 0.5, 0.0, bins - 1.0)
        low = np.minimum(np.floor(p).astype(np.int64), bins - 2)
        return low, low + 1, p - low

    r0, r1, wr = split(rows)
    c0, c1, wc = split(columns)
    out = np.zeros(bins * bins)
    for r, w_r in ((r0, 1.0 - wr), (r1, wr)):
        for c, w_c in ((c0, 1.0 - wc), (c1, wc)):
            out += np.bincount(r * bins + c, weights=w_r * w_c, minlength=bins * bins)
    return (out / len(rows)).reshape(bins, bins)


def _fit(
    turnout: NDArray[np.float64],
    share: NDArray[np.float64],
    registered: NDArray[np.int64],
    settings: ForensicsSettings,
    rng: np.random.Generator,
) -> FraudFit:
    observed = linear_histogram2d(turnout, share, settings.fit_bins)
    draws = _draws(registered, rng, min(FIT_SIZE, FIT_PER_PRECINCT * len(registered)))

    def residual(params: Params) -> float:
        t, s = _simulate(draws, params)
        return float(np.sum((observed - linear_histogram2d(t, s, settings.fit_bins)) ** 2))

    fair = _fair(turnout, share)
    grid_i, grid_e = _grid(*settings.fit_incremental), _grid(*settings.fit_extreme)
    residual_fair = residual((*fair, 0.0, 0.0))
    # the start: f_e on its grid with f_i = 0 and the fair part at the medians (extreme fraud is the
    # well separated second peak; the fair part and f_i are then fitted together)
    start_e = min((residual((*fair, 0.0, f_e)), f_e) for f_e in grid_e)[1]
    evaluations = len(grid_e) + 1

    def objective(v: NDArray[np.float64]) -> float:
        p = np.clip(v, _LOWER, _UPPER)
        f_e = float(p[5])
        return residual((float(p[0]), float(p[1]), float(p[2]), float(p[3]), min(float(p[4]), 1.0 - f_e), f_e))

    f_i_max = settings.fit_incremental[0]
    starts = (0.0, grid_i[len(grid_i) // 2])  # the free fit starts from f_i = 0 and from the grid's middle

    def search(x0: NDArray[np.float64], free: bool) -> tuple[float, NDArray[np.float64], int]:
        """Nelder-Mead from x0 over the six parameters (``free``: f_i in [0, f_i_max]) or with f_i at 0."""
        upper = (*_UPPER[:4], f_i_max if free else 0.0, _UPPER[5])
        held: list[int] = [] if free else [4]  # the parameter left out of the search: f_i, held at 0
        steps = [np.eye(6)[j] * _STEPS[j] for j in range(6) if free or j != 4]
        simplex = np.clip(np.vstack([x0] + [x0 + s for s in steps]), _LOWER, upper)
        if not free:
            simplex = simplex[:, [0, 1, 2, 3, 5]]

        def value(v: NDArray[np.float64]) -> float:
            return objective(v if free else np.insert(v, 4, 0.0))

        found = optimize.minimize(
            value,
            simplex[0],
            method="Nelder-Mead",
            bounds=optimize.Bounds(np.delete(_LOWER, held), np.delete(upper, held)),
            options={"initial_simplex": simplex, "maxfev": FIT_EVALUATIONS, "xatol": 1e-4, "fatol": 1e-10},
        )
        x = np.asarray(found.x) if free else np.insert(np.asarray(found.x), 4, 0.0)
        return float(found.fun), np.clip(x, _LOWER, upper), int(found.nfev)

    # the fit without incremental fraud, then the free one from it and from the grid's middle; the free fit is
    # kept only if it is materially better (PARSIMONY): incremental fraud of a narrow width is weakly
    # identified, and a noisy histogram would otherwise read some of it into any election
    plain = search(np.array((*fair, 0.0, start_e)), free=False)
    evaluations += plain[2]
    best = plain
    for f_i in starts:
        x0 = plain[1].copy()
        x0[4] = min(f_i, 1.0 - x0[5])
        found = search(x0, free=True)
        evaluations += found[2]
        if found[0] < best[0]:
            best = found
    if best[0] > (1.0 - PARSIMONY) * plain[0]:
        best = plain

    value, x = best[0], best[1]
    f_e = float(x[5])
    return FraudFit(
        incremental=min(float(x[4]), 1.0 - f_e),
        extreme=f_e,
        turnout_mean=float(x[0]),
        turnout_sd=float(x[1]),
        share_mean=float(x[2]),
        share_sd=float(x[3]),
        residual=value,
        residual_fair=residual_fair,
        grid=(starts, grid_e),
        sd_x=SD_X,
        evaluations=evaluations,
        residual_without_incremental=plain[0],
    )


def fingerprint(sample: Sample, settings: ForensicsSettings, rng: np.random.Generator) -> Fingerprint | Skipped:
    if len(sample) < MIN_PRECINCTS:
        return Skipped("fingerprint", f"{len(sample)} precincts analysed: at least {MIN_PRECINCTS} are needed")
    turnout, share = sample.turnout, sample.share
    counts = histogram2d(turnout, share, settings.bins)
    fit = _fit(turnout, share, sample.registered, settings, rng)
    assessed = len(sample) >= settings.flag_min_precincts
    return Fingerprint(
        bins=settings.bins,
        counts=tuple(tuple(int(c) for c in row) for row in counts),
        turnout_kurtosis=excess_kurtosis(turnout),
        share_kurtosis=excess_kurtosis(share),
        fit=fit,
        flagged=assessed and (fit.incremental >= settings.flag_incremental or fit.extreme >= settings.flag_extreme),
        assessed=assessed,
    )
