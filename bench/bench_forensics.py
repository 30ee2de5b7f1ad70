"""The forensics checks at national scale (spec/forensics.md §10): a clean simulated referendum of 10,000,
100,000 and 200,000 precincts, every check with the default settings, its time and what it flags.

tests/unit/forensics/test_forensics_scale.py checks the verdicts with fewer heaping draws; this prints the
figures with the published settings (1,000 heaping draws a variable).

    .venv/bin/python -m bench.bench_forensics [--sizes 10000,100000,200000] [--seed 1]

Exits 1 if a clean election is flagged by a check that used to cry wolf at scale: the fingerprint, a dip
test or a digit test. The heaping tests are printed with their p-values: each flags a clean election
with probability alpha at any size (a Monte Carlo test, spec/forensics.md §5, §10), so one flag among the
four in some run is expected.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from bench._util import timed
from saylau.forensics import ForensicsInput, PrecinctData, analyse

REGIONS = 10
SCALE_CHECKS = ("fingerprint", "turnout", "share", "second_digit", "last_digit")


def clean_election(n: int, seed: int) -> ForensicsInput:
    """n precincts in 10 regions of different levels: log-normal registers, normal turnout and Yes share
    around the region's, binomial ballots and votes (as tests/unit/forensics/synth.py)."""
    rng = np.random.default_rng(seed)
    region = rng.integers(0, REGIONS, n)
    turnout_mean = rng.normal(0.62, 0.04, REGIONS)
    share_mean = rng.normal(0.62, 0.04, REGIONS)
    registered = np.maximum(np.rint(rng.lognormal(np.log(600), 0.7, n)), 20).astype(np.int64)
    cast = rng.binomial(registered, np.clip(rng.normal(turnout_mean[region], 0.07), 0.05, 0.99))
    valid = cast - rng.binomial(cast, 0.015)
    yes = rng.binomial(valid, np.clip(rng.normal(share_mean[region], 0.07), 0.02, 0.98))
    precincts = tuple(
        PrecinctData(
            f"P{i:06d}",
            f"R{region[i]:02d}",
            int(registered[i]),
            int(cast[i]),
            {"yes": int(yes[i]), "no": int(valid[i] - yes[i])},
        )
        for i in range(n)
    )
    return ForensicsInput("q1", precincts, synthetic=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,200000", help="precinct counts, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    flagged = False
    for n in (int(s) for s in args.sizes.split(",")):
        data = clean_election(n, args.seed)
        with timed(f"{n:,} precincts: every check, default settings"):
            report = analyse(data, seed=args.seed)
        nan = float("nan")
        fit = getattr(report.fingerprint, "fit", None)
        figures = (
            f"f_i {getattr(fit, 'incremental', nan):.3f}, f_e {getattr(fit, 'extreme', nan):.4f}",
            f"dip p turnout {getattr(report.turnout, 'dip_p', nan):.3f}",
            f"share {getattr(report.share, 'dip_p', nan):.3f}",
            f"MAD second {getattr(report.second_digit, 'mad', nan):.4f}",
            f"last {getattr(report.last_digit, 'mad', nan):.4f}",
            "heaping p "
            + ", ".join(
                f"{c.p_value:.3f}"
                for h in (report.turnout_heaping, report.share_heaping)
                for c in getattr(h, "counts", ())
            ),
        )
        print(f"  flags: {', '.join(report.flags) or 'none'}; " + "; ".join(figures), flush=True)
        flagged |= any(check in SCALE_CHECKS for check in report.flags)
    sys.exit(1 if flagged else 0)


if __name__ == "__main__":
    main()
