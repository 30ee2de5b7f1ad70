"""Audit speed: plan and draw a MACRO batch-comparison audit over 1,000,000 precincts (target ≤ 5 s), then
the risk after each entered batch (target ≤ 50 ms each).

The precincts' figures come from a fixed seed (a benchmark input, not law): a 60% Yes referendum decided on
the valid votes plus a 1/4-of-the-register approval quorum (Taiwan's rule), 17 units for the figures only.

    .venv/bin/python -m bench.bench_audit [--precincts N]
"""

from __future__ import annotations

import argparse
import random
import time
from fractions import Fraction

from saylau.audit import (
    BallotCounts,
    Batch,
    Manifest,
    Seed,
    draw_pps,
    macro_plan,
    macro_risk,
    macro_sample_size,
    plan_question,
)
from saylau.model.ids import QuestionCode
from saylau.model.tally import Tally
from saylau.rules import load_preset

__all__ = ["main"]

PLAN_TARGET_S = 5.0
RISK_TARGET_S = 0.050
ALPHA = Fraction(1, 20)


def _batches(precincts: int, seed: int = 2022) -> list[Batch]:
    rng = random.Random(seed)
    out = []
    for i in range(precincts):
        ballots = rng.randint(200, 1_500)
        yes = int(ballots * rng.uniform(0.50, 0.70))
        invalid = rng.randint(0, ballots // 50)
        out.append(Batch(f"P{i:07d}", f"U{i % 17:02d}", BallotCounts(yes, ballots - yes - invalid, invalid)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--precincts", type=int, default=1_000_000)
    args = parser.parse_args()
    batches = _batches(args.precincts)
    total = sum((b.reported for b in batches), BallotCounts(0, 0))
    national = Tally(int(total.ballots * 1.6), total.ballots, total.yes, total.no, 0, total.invalid)
    start = time.perf_counter()
    plan = plan_question(load_preset("tw").versions[0], {}, QuestionCode("Q1"), national, [], risk_limit=ALPHA)
    manifest = Manifest.of(batches)
    macro = macro_plan(manifest, plan.assertions)
    n = macro_sample_size(macro, ALPHA)
    draws = draw_pps(Seed("31415926535897932384"), [b.id for b in manifest.batches], macro.weights, n)
    planned = time.perf_counter() - start
    print(
        f"precincts: {args.precincts:,}; assertions: {len(plan.assertions)}; "
        f"hardest: {plan.hardest.id if plan.hardest else 'none'}"
    )
    print(f"U = {float(macro.u):.3f}; draws planned: {n}")
    verdict = "ok" if planned <= PLAN_TARGET_S else "OVER"
    print(f"plan + manifest + weights + draw: {planned:.2f} s (target ≤ {PLAN_TARGET_S} s) {verdict}")
    index = manifest.index()
    entered: dict[str, BallotCounts] = {}
    worst = 0.0
    for k, bid in enumerate(draws, start=1):
        entered[bid] = manifest.batches[index[bid]].reported
        t = time.perf_counter()
        risk = macro_risk(macro, draws[:k], entered, ALPHA)
        worst = max(worst, time.perf_counter() - t)
    print(f"risk after each entered batch: worst {worst * 1000:.1f} ms (target ≤ {RISK_TARGET_S * 1000:.0f} ms) "
          f"{'ok' if worst <= RISK_TARGET_S else 'OVER'}; final risks "
          + ", ".join(f"{m.assertion} {m.risk:.4f}" for m in risk.measurements))  # fmt: skip


if __name__ == "__main__":
    main()
