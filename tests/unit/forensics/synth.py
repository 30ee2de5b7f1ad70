"""Seeded synthetic elections for the forensics tests: a clean one, and one with ballot stuffing.

A clean precinct draws its register from a log-normal law (median 600, a few under 100), its turnout
and Yes share from normal laws around its region's means, then ballots and votes binomially. Stuffing
takes a fraction of the precincts, adds ballots for Yes until the turnout reaches a target near 100% and
replaces most No ballots (or, ``round_numbers``, writes a turnout and a share at a multiple of 5%, as
hand-made protocols do).
"""

from __future__ import annotations

import numpy as np

from saylau.forensics import ForensicsInput, PrecinctData, Special

REGIONS = tuple(f"R{r:02d}" for r in range(10))


def election(
    seed: int,
    n: int = 10_000,
    *,
    stuffed: float = 0.0,
    round_numbers: bool = False,
    special: int = 0,
    region_only: str | None = None,
) -> ForensicsInput:
    rng = np.random.default_rng(seed)
    region = rng.integers(0, len(REGIONS), n)
    region_turnout = rng.normal(0.62, 0.04, len(REGIONS))
    region_share = rng.normal(0.62, 0.04, len(REGIONS))
    registered = np.maximum(np.rint(rng.lognormal(np.log(600), 0.7, n)), 20).astype(np.int64)
    turnout = np.clip(rng.normal(region_turnout[region], 0.07), 0.05, 0.99)
    share = np.clip(rng.normal(region_share[region], 0.07), 0.02, 0.98)
    cast = rng.binomial(registered, turnout)
    invalid = rng.binomial(cast, 0.015)
    yes = rng.binomial(cast - invalid, share)
    no = cast - invalid - yes
    bad = rng.random(n) < stuffed
    if region_only is not None:
        bad &= region == REGIONS.index(region_only)
    for i in np.flatnonzero(bad):
        cast[i], invalid[i], yes[i], no[i] = _stuff(rng, int(registered[i]), int(no[i]), round_numbers)
    precincts = tuple(
        PrecinctData(
            code=f"P{i:05d}",
            region=REGIONS[region[i]],
            registered=int(registered[i]),
            cast=int(cast[i]),
            votes={"yes": int(yes[i]), "no": int(no[i])},
            special=Special.ABROAD if i < special else None,
        )
        for i in range(n)
    )
    return ForensicsInput(contest="q1", precincts=precincts)


def _stuff(rng: np.random.Generator, registered: int, no: int, round_numbers: bool) -> tuple[int, int, int, int]:
    """A stuffed precinct: turnout near 100% (or at a round percentage), the added ballots all Yes."""
    if round_numbers:
        target = int(rng.choice([80, 85, 90, 95, 100]))
        cast = round(registered * target / 100)
        share = int(rng.choice([85, 90, 95]))
        no = cast - round(cast * share / 100)
        yes = cast - no
        return cast, 0, yes, no
    cast = round(registered * rng.uniform(0.94, 1.0))
    no = round(no * rng.uniform(0.0, 0.08))  # the other side's ballots replaced too
    return cast, 0, cast - no, no
