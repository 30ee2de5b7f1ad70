"""Histograms, moments and Hartigan's dip test of turnout and of the winner's share (spec/forensics.md §4).

Skewness and excess kurtosis are the moment estimators g1 = m3 / m2^(3/2) and g2 = m4 / m2^2 - 3, with
m_k = mean((x - mean(x))^k) (Joanes and Gill 1998 call them b1 and b2 - 3; scipy.stats' defaults). The
dip is Hartigan and Hartigan (Ann. Statist. 13(1), 1985), computed by the ``diptest`` package (a C
implementation of Hartigan's published algorithm AS 217), its p-value interpolated in the tabulated
critical values of the dip under the uniform, the least favourable unimodal null.

The dip is taken of the counts' continuous version (k + U) / (n + 1), U uniform on [0, 1) from a seeded
stream (the jittering of counts of Machado and Santos Silva, "Quantiles for counts", JASA 100(472), 2005):
a ratio k / n of small counts takes the same few values in many precincts (1/2, 2/3), and with 100,000
precincts those atoms alone make the empirical distribution "multimodal" to the dip test, whose null is a
continuous distribution. Beyond the tables' largest sample (72,000) the p-value is read in that row's
distribution of sqrt(n) * dip, its limit (Hartigan and Hartigan 1985 show that sqrt(n) * dip converges in
distribution under the uniform), as the table's interpolation on sqrt(n) does between rows.
"""

from __future__ import annotations

import diptest
import numpy as np
from diptest.consts import Consts
from numpy.typing import NDArray

from saylau.forensics.results import Distribution, RegionDip, Skipped, Variable

__all__ = [
    "MIN_PRECINCTS",
    "TABLE_MAX_N",
    "dip_test",
    "distribution",
    "excess_kurtosis",
    "histogram",
    "histogram2d",
    "holm",
    "jitter",
    "skewness",
]

MIN_PRECINCTS = 10  # fewer precincts give no distribution worth a test
TABLE_MAX_N = 72_000  # the largest sample of diptest's table of critical values


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


def jitter(k: NDArray[np.int64], n: NDArray[np.int64], rng: np.random.Generator) -> NDArray[np.float64]:
    """The continuous version (k + U) / (n + 1) of the ratios k / n: count k fills [k, k + 1) / (n + 1)."""
    return (k + rng.random(len(k))) / (n + 1)


def dip_test(x: NDArray[np.float64]) -> tuple[float, float]:
    """Hartigan's dip of ``x`` and its p-value under the uniform; beyond the table's largest sample the
    p-value of the same sqrt(n) * dip in its largest row (the limit distribution), with no warning."""
    x = np.asarray(x, dtype=np.float64)
    if len(x) <= TABLE_MAX_N:
        dip, p = diptest.diptest(x)
        return float(dip), float(p)
    dip = float(diptest.dipstat(x))
    return dip, float(Consts.compute_pval_interpolation(TABLE_MAX_N, dip * np.sqrt(len(x) / TABLE_MAX_N)))


def holm(p_values: tuple[float, ...]) -> tuple[float, ...]:
    """Holm's step-down adjusted p-values (Holm, "A simple sequentially rejective multiple test
    procedure", Scand. J. Statist. 6(2):65-70, 1979): the i-th smallest of m is raised to
    max over j <= i of min(1, (m - j + 1) p_(j)); an adjusted p-value below alpha rejects at a
    family-wise error rate of at most alpha, whatever the dependence between the tests."""
    m = len(p_values)
    out = [0.0] * m
    running = 0.0
    for rank, i in enumerate(sorted(range(m), key=lambda j: (p_values[j], j))):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        out[i] = running
    return tuple(out)


def _region_dips(values: NDArray[np.float64], regions: tuple[str, ...], alpha: float) -> tuple[RegionDip, ...]:
    where = np.array(regions, dtype=object)
    tested = [(r, values[where == r]) for r in sorted(set(regions))]
    tested = [(r, v) for r, v in tested if len(v) >= MIN_PRECINCTS]
    dips = [dip_test(v) for _, v in tested]
    adjusted = holm(tuple(p for _, p in dips))
    return tuple(
        RegionDip(r, len(v), d, p, q, q < alpha) for (r, v), (d, p), q in zip(tested, dips, adjusted, strict=True)
    )


def _centred(values: NDArray[np.float64], regions: tuple[str, ...]) -> NDArray[np.float64]:
    """Each value less its region's median: the differences of level between regions removed. A mixture
    of unimodal densities that share their mode is unimodal, so if every region is unimodal (the median
    standing in for its mode) the centred values are too, and a national bimodality they lose was between
    regions."""
    where = np.array(regions, dtype=object)
    out = np.empty_like(values)
    for r in set(regions):
        mask = where == r
        out[mask] = values[mask] - np.median(values[mask])
    return out


def distribution(
    variable: Variable,
    x: NDArray[np.float64],
    bins: int,
    alpha: float,
    jittered: NDArray[np.float64] | None = None,
    regions: tuple[str, ...] = (),
) -> Distribution | Skipped:
    """The histogram and moments of ``x``; the dip test of ``jittered`` (the counts' continuous version,
    :func:`jitter`) when given, else of ``x``, nationally and in each region of at least MIN_PRECINCTS
    precincts when ``regions`` (each precinct's) are given and name more than one region."""
    if len(x) < MIN_PRECINCTS:
        return Skipped(variable, f"{len(x)} precincts analysed: at least {MIN_PRECINCTS} are needed")
    values = x if jittered is None else jittered
    dip, p = dip_test(values)
    per_region = _region_dips(values, regions, alpha) if len(set(regions)) > 1 else ()
    flagged = p < alpha
    centred_dip, centred_p = dip_test(_centred(values, regions)) if per_region else (None, None)
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
        flagged=flagged,
        regions=per_region,
        centred_dip=centred_dip,
        centred_dip_p=centred_p,
        between_regions=flagged and centred_p is not None and centred_p >= alpha,
    )
