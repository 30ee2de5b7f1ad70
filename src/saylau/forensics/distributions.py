"""Histograms, moments and Hartigan's dip test of turnout and of the winner's share (spec/forensics.md §4).

Skewness and excess kurtosis are the moment estimators g1 = m3 / m2^(3/2) and g2 = m4 / m2^2 - 3, with
m_k = mean((x - mean(x))^k) (Joanes and Gill 1998 call them b1 and b2 - 3; scipy.stats' defaults). The
dip is Hartigan and Hartigan (Ann. Statist. 13(1), 1985), computed by the ``diptest`` package (a C
implementation of Hartigan's published algorithm AS 217), its p-value interpolated in the tabulated
critical values of the dip under the uniform, the least favourable unimodal null.
"""

from __future__ import annotations

import diptest
import numpy as np
from numpy.typing import NDArray

from saylau.forensics.results import Distribution, Skipped, Variable

__all__ = ["MIN_PRECINCTS", "distribution", "excess_kurtosis", "histogram", "histogram2d", "skewness"]

MIN_PRECINCTS = 10  # fewer precincts give no distribution worth a test


def skewness(x: NDArray[np.float64]) -> float:
    d = x - x.mean()
    m2 = float(np.mean(d**2))
    return float(np.mean(d**3)) / m2**1.5 if m2 > 0 else 0.0


def excess_kurtosis(x: NDArray[np.float64]) -> float:
    d = x - x.mean()
    m2 = float(np.mean(d**2))
    return float(np.mean(d**4)) / m2**2 - 3.0 if m2 > 0 else 0.0


def _bin(x: NDArray[np.float64], bins: int) -> NDArray[np.int64]:
    """The bin of each value in ``bins`` equal bins on [0, 1]: floor(x * bins), 1.0 in the last bin."""
    return np.clip(np.floor(x * bins).astype(np.int64), 0, bins - 1)


def histogram(x: NDArray[np.float64], bins: int) -> tuple[int, ...]:
    """Counts in ``bins`` equal bins on [0, 1]; 1.0 falls in the last bin."""
    return tuple(int(c) for c in np.bincount(_bin(x, bins), minlength=bins))


def histogram2d(rows: NDArray[np.float64], columns: NDArray[np.float64], bins: int) -> NDArray[np.int64]:
    """Counts in ``bins`` x ``bins`` equal bins on [0, 1]^2 (rows: first variable)."""
    flat = _bin(rows, bins) * bins + _bin(columns, bins)
    return np.bincount(flat, minlength=bins * bins).reshape(bins, bins)


def distribution(variable: Variable, x: NDArray[np.float64], bins: int, alpha: float) -> Distribution | Skipped:
    if len(x) < MIN_PRECINCTS:
        return Skipped(variable, f"{len(x)} precincts analysed: at least {MIN_PRECINCTS} are needed")
    dip, p = diptest.diptest(np.asarray(x, dtype=np.float64))
    return Distribution(
        variable=variable,
        counts=histogram(x, bins),
        n=len(x),
        mean=float(x.mean()),
        sd=float(x.std()),
        skewness=skewness(x),
        kurtosis=excess_kurtosis(x),
        dip=float(dip),
        dip_p=float(p),
        flagged=float(p) < alpha,
    )
