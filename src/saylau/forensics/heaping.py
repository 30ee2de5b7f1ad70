"""Integer-percentage heaping: Kobak, Shpilkin and Pshenichnikov, "Integer percentages as electoral
falsification fingerprints", Ann. Appl. Stat. 10(1):54-73 (2016) (spec/forensics.md §5).

A precinct with count k of n (ballots cast of registered; the winner's votes of valid votes) reports a
multiple of ``step`` percent when some multiple P of step is as close to 100 k / n as a count allows:
|k - P n / 100| <= 1/2, in integers |100 k - P n| <= 50 (k is the count nearest to P% of n; below 100
voters every k is). The null, as the paper's Monte Carlo: every precinct is resampled
k* ~ Binomial(n, k / n) at its own rate, and the precincts at a multiple are counted again; the p-value
is (1 + #{draws >= observed}) / (1 + draws) (Phipson and Smyth, Stat. Appl. Genet. Mol. Biol. 9(1), 2010), valid at any
number of draws.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from saylau.forensics.distributions import MIN_PRECINCTS
from saylau.forensics.results import Heaping, HeapingCount, Skipped, Variable

__all__ = ["STEPS", "at_multiple", "heaping"]

STEPS = (1, 5)
_CHUNK = 50  # null draws per array (memory: chunk x precincts)


def at_multiple(k: NDArray[np.int64], n: NDArray[np.int64], step: int) -> NDArray[np.bool_]:
    """Whether k of n is a multiple of ``step`` percent to the nearest count: |100 k - P n| <= 50."""
    period = step * n
    r = np.mod(100 * k, period)
    return 2 * np.minimum(r, period - r) <= 100


def heaping(
    variable: Variable,
    k: NDArray[np.int64],
    n: NDArray[np.int64],
    simulations: int,
    alpha: float,
    rng: np.random.Generator,
) -> Heaping | Skipped:
    if len(k) < MIN_PRECINCTS:
        return Skipped(f"{variable}_heaping", f"{len(k)} precincts analysed: at least {MIN_PRECINCTS} are needed")
    observed = [int(at_multiple(k, n, s).sum()) for s in STEPS]
    null = np.zeros((simulations, len(STEPS)), dtype=np.int64)
    rate = k / n
    for start in range(0, simulations, _CHUNK):
        size = min(_CHUNK, simulations - start)
        draws = rng.binomial(n, rate, size=(size, len(n)))
        for j, s in enumerate(STEPS):
            null[start : start + size, j] = at_multiple(draws, n, s).sum(axis=1)
    counts = []
    for j, s in enumerate(STEPS):
        p = (1 + int(np.sum(null[:, j] >= observed[j]))) / (1 + simulations)
        counts.append(HeapingCount(s, observed[j], float(null[:, j].mean()), p, p < alpha))
    return Heaping(variable, len(k), simulations, tuple(counts))
