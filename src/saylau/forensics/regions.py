"""Turnout against the winner's share by region, and the outlier precincts (spec/forensics.md §7–§8).

The slope is ordinary least squares of share on turnout over the precincts (slope = cov(t, s) / var(t),
r Pearson's correlation, the p-value the two-sided t test of slope 0 with n - 2 degrees of freedom),
as in Hicken and Mebane's Guide to Election Forensics (2015) and Klimek et al. (2012), who read a steep
positive slope as a sign that extra ballots go to the winner.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from saylau.forensics.prepare import Sample
from saylau.forensics.results import Outlier, Outliers, RegionSlope, Skipped, Slopes

__all__ = ["MIN_SLOPE_PRECINCTS", "outliers", "slopes"]

MIN_SLOPE_PRECINCTS = 3


def _slope(region: str, t: NDArray[np.float64], s: NDArray[np.float64]) -> RegionSlope | Skipped:
    label = f"slope {region}" if region else "slope"
    if len(t) < MIN_SLOPE_PRECINCTS:
        return Skipped(label, f"{len(t)} precincts analysed: at least {MIN_SLOPE_PRECINCTS} are needed")
    if float(np.ptp(t)) == 0.0:
        return Skipped(label, "every precinct has the same turnout: no slope")
    fit = stats.linregress(t, s)
    return RegionSlope(region, len(t), float(fit.slope), float(fit.intercept), float(fit.rvalue), float(fit.pvalue))


def slopes(sample: Sample) -> Slopes:
    t, s = sample.turnout, sample.share
    regions = np.array(sample.regions, dtype=object)
    per_region = tuple(_slope(r, t[regions == r], s[regions == r]) for r in sorted(set(sample.regions)))
    return Slopes(national=_slope("", t, s), regions=per_region)


def outliers(sample: Sample, turnout_at_least: float, share_at_least: float) -> Outliers:
    t, s = sample.turnout, sample.share
    hits = np.flatnonzero((t >= turnout_at_least) & (s >= share_at_least))
    found = sorted(
        (Outlier(sample.codes[i], sample.regions[i], float(t[i]), float(s[i])) for i in hits), key=lambda o: o.code
    )
    return Outliers(turnout_at_least, share_at_least, tuple(found))
