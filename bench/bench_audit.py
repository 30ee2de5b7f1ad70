"""Audit speed: plan and draw a MACRO batch-comparison audit over 1,000,000 precincts (target ≤ 5 s), then
the risk after each entered batch (target ≤ 50 ms each). Then ALPHA and ONEAudit (spec/audit.md §16-§17):
the 77/23 oracle figures beside BRAVO and super-simple, a ONEAudit plan over the same precincts (every
precinct without cast-vote records) and the ALPHA risk after each hand-read ballot (target ≤ 50 ms).

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
    CATEGORIES,
    Assertion,
    AuditPlan,
    BallotCounts,
    Batch,
    Category,
    Manifest,
    Rates,
    Seed,
    Shares,
    alpha_comparison_size,
    alpha_polling_size,
    bravo_asn,
    comparison_sample_size,
    counts_of,
    draw_ballots,
    draw_pps,
    macro_plan,
    macro_risk,
    macro_sample_size,
    mixed_estimator,
    mixed_size,
    oneaudit_estimator,
    oneaudit_risk,
    oneaudit_size,
    plan_question,
    share_assertion,
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
    _oracle()
    _oneaudit(plan, manifest)


def _oracle() -> None:
    """The 77/23 referendum of 10,000,000 ballots at α = 5% (spec/audit.md §8)."""
    tally = Tally(12_000_000, 10_000_000, 7_700_000, 2_300_000)
    a = share_assertion(id="a", condition="c", unit=None, num="yes", den="valid", f=Fraction(1, 2), op=">",
                        tally=tally, reason="77/23")  # fmt: skip
    n, rates = tally.participated, Rates()
    bravo = bravo_asn(Shares(Fraction(77, 100), Fraction(23, 100)), ALPHA)
    print(f"77/23 of {n:,}: ALPHA comparison {alpha_comparison_size(a.margin, ALPHA, n)} "
          f"(super-simple {comparison_sample_size(ALPHA, a.margin, n)}), with default rates "
          f"{alpha_comparison_size(a.margin, ALPHA, n, rates)} ({comparison_sample_size(ALPHA, a.margin, n, rates)}); "
          f"ALPHA polling {alpha_polling_size(a, counts_of(tally), ALPHA)} (BRAVO ASN {bravo})")  # fmt: skip


def _category(counts: BallotCounts, position: int) -> Category:
    """The category of the ballot at ``position`` (from 1) when a batch's ballots lie in category order."""
    for c in CATEGORIES:
        if position <= counts.get(c):
            return c
        position -= counts.get(c)
    raise ValueError(position)


def _oneaudit(plan: AuditPlan, manifest: Manifest) -> None:
    """ONEAudit of the hardest assertion over every precinct (no CVRs), then its risk after each ballot."""
    a = plan.hardest
    if a is None or a.assorter is None:
        return
    reported = [b.reported for b in manifest.batches if a.unit is None or b.unit == a.unit]
    start = time.perf_counter()
    estimator = oneaudit_estimator(a, reported)
    n = oneaudit_size(a, reported, ALPHA, estimator)
    planned = time.perf_counter() - start
    population = sum(reported, BallotCounts(0, 0))
    polling = alpha_polling_size(a, population, ALPHA)
    comparison = alpha_comparison_size(a.margin, ALPHA, population.ballots)
    print(f"ONEAudit of {a.id} over {len(reported):,} precincts: {n} ballots (ALPHA polling {polling}, "
          f"ALPHA comparison with CVRs {comparison}); estimator and size: {planned:.2f} s")  # fmt: skip
    ids = [b.id for b in manifest.batches]
    drawn = draw_ballots(Seed("27182818284590452353"), ids, [b.ballots for b in manifest.batches], n)
    index = manifest.index()
    draws: list[tuple[BallotCounts | Category, Category | None]] = []
    worst, risk = 0.0, 1.0
    for batch, position in drawn:
        counts = manifest.batches[index[batch]].reported
        draws.append((counts, _category(counts, position)))  # the paper as the protocol says
        t = time.perf_counter()
        risk = oneaudit_risk(a, draws, estimator)
        worst = max(worst, time.perf_counter() - t)
    verdict = "ok" if worst <= RISK_TARGET_S else "OVER"
    print(f"ONEAudit risk after each hand-read ballot: worst {worst * 1000:.1f} ms (target ≤ "
          f"{RISK_TARGET_S * 1000:.0f} ms) {verdict}; risk after {n} random ballots: {risk:.4f} "
          "(the planned size is for a sample as reported)")  # fmt: skip
    _mixed(a, reported)


def _mixed(a: Assertion, reported: list[BallotCounts]) -> None:
    """§18: a comparison where every tenth precinct gives cast-vote records, the others their ONE CVR."""
    flags = [i % 10 == 0 for i in range(len(reported))]
    start = time.perf_counter()
    estimator = mixed_estimator(a, reported, flags)
    n = mixed_size(a, reported, flags, ALPHA, estimator)
    planned = time.perf_counter() - start
    draws: list[tuple[BallotCounts | Category, Category | None]] = []
    worst = 0.0
    for i in range(max(n, 1)):
        batch = reported[(i * 7919) % len(reported)]
        ballot = _category(batch, 1 + (i * 104729) % batch.ballots)
        draws.append((ballot if flags[(i * 7919) % len(reported)] else batch, ballot))
        t = time.perf_counter()
        oneaudit_risk(a, draws, estimator)
        worst = max(worst, time.perf_counter() - t)
    verdict = "ok" if worst <= RISK_TARGET_S else "OVER"
    print(f"comparison (§18), a tenth of the precincts with CVRs: {n} ballots; estimator and size {planned:.2f} s; "
          f"risk after each read ballot: worst {worst * 1000:.1f} ms {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
