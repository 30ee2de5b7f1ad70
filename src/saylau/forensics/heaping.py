"""Integer-percentage heaping: Kobak, Shpilkin and Pshenichnikov, "Integer percentages as electoral
falsification fingerprints", Ann. Appl. Stat. 10(1):54-73 (2016) (spec/forensics.md §5).

A precinct with count k of n (ballots cast of registered; the winner's votes of valid votes) reports a
multiple of ``step`` percent when some multiple P of step is as close to 100 k / n as a count allows:
|k - P n / 100| <= 1/2, in integers |100 k - P n| <= 50 (k is the count nearest to P% of n; below 100
voters every k is). The null, as the paper's Monte Carlo: every precinct is resampled
k* ~ Binomial(n, k / n) at its own rate, and the precincts at a multiple are counted again; the p-value
is (1 + #{draws >= observed}) / (1 + draws) (Phipson and Smyth, Stat. Appl. Genet. Mol. Biol. 9(1), 2010), valid at any
number of draws. Per region (Kobak et al. found the excess concentrated in some regions) the same draws
are summed over the region's precincts: a region's p-value is its own test, not corrected for the number
of regions, and only the national test sets the flag.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from saylau.forensics.distributions import MIN_PRECINCTS
from saylau.forensics.results import Heaping, HeapingCount, RegionHeaping, Skipped, Variable

__all__ = ["STEPS", "at_multiple", "heaping"]

STEPS = (1, 5)
_CHUNK = 50  # null draws per array (memory: chunk x precincts)


def at_multiple(k: NDArray[np.int64], n: NDArray[np.int64], step: int) -> NDArray[np.bool_]:
    """Whether k of n is a multiple of ``step`` percent to the nearest count: |100 k - P n| <= 50."""
    period = step * n
    r = np.mod(100 * k, period)
    return 2 * np.minimum(r, period - r) <= 100


def _counts(observed: NDArray[np.int64], null: NDArray[np.int64], alpha: float) -> tuple[HeapingCount, ...]:
    """One HeapingCount per step from the observed counts (steps) and the null draws (draws x steps)."""
    out = []
    for j, step in enumerate(STEPS):
        p = (1 + int(np.sum(null[:, j] >= observed[j]))) / (1 + len(null))
        out.append(HeapingCount(step, int(observed[j]), float(null[:, j].mean()), p, p < alpha))
    return tuple(out)


def heaping(
    variable: Variable,
    k: NDArray[np.int64],
    n: NDArray[np.int64],
    regions: tuple[str, ...],
    simulations: int,
    alpha: float,
    rng: np.random.Generator,
) -> Heaping | Skipped:
    """The test nationally and per region (the same null draws, summed over each region's precincts)."""
    if len(k) < MIN_PRECINCTS:
        return Skipped(f"{variable}_heaping", f"{len(k)} precincts analysed: at least {MIN_PRECINCTS} are needed")
    names = sorted(set(regions))
    position = {name: i for i, name in enumerate(names)}
    where = np.array([position[r] for r in regions], dtype=np.int64)  # each precinct's region

    def by_region(hits: NDArray[np.bool_]) -> NDArray[np.int64]:
        """How many hits each region has, per row of ``hits`` (rows x precincts -> rows x regions)."""
        rows = np.atleast_2d(hits)
        flat = (np.arange(len(rows))[:, None] * len(names) + where[None, :])[rows]
        return np.bincount(flat, minlength=len(rows) * len(names)).reshape(len(rows), len(names))

    observed = np.stack([by_region(at_multiple(k, n, s))[0] for s in STEPS])  # steps x regions
    null = np.zeros((simulations, len(STEPS), len(names)), dtype=np.int64)
    rate = k / n
    for start in range(0, simulations, _CHUNK):
        size = min(_CHUNK, simulations - start)
        draws = rng.binomial(n, rate, size=(size, len(n)))
        for j, s in enumerate(STEPS):
            null[start : start + size, j, :] = by_region(at_multiple(draws, n, s))
    per_region = tuple(
        RegionHeaping(name, int(np.sum(where == i)), _counts(observed[:, i], null[:, :, i], alpha))
        for i, name in enumerate(names)
    )
    national = _counts(observed.sum(axis=1), null.sum(axis=2), alpha)
    return Heaping(variable, len(k), simulations, national, per_region)
