"""Ballot-level comparison (method ``comparison``, spec/audit.md §18): each drawn ballot's hand reading
against its precinct's cast-vote record, or, for a precinct without them, against the precinct's ONE CVR
(Stark, "ONEAudit", 2023), the risk measured by ALPHA (Stark, "ALPHA", AoAS 17(1), 2023) with the
estimator fixed in the manifest event, before the seed.

Ballots are drawn as for ballot polling (``draw_ballots``: uniformly, with replacement, over the whole
manifest); an assertion counts the draws of its population, in draw order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction

from saylau.audit import Assertion, AuditPlan, BallotCounts, Category, mixed_estimator, mixed_size, oneaudit_risk
from saylau.audit.alpha import COMPARISON_D, shrinkage
from saylau.audit.oneaudit import Cvr
from saylau.services.audit.reported import Figures, Published

__all__ = ["READINGS", "comparison_risks", "comparison_size", "estimators", "readings_counts", "sampled"]

READINGS = ("yes", "no", "invalid", "not_counted", "not_found")  # a hand reading; not_found: no such ballot


def sampled(plan: AuditPlan) -> list[Assertion]:
    """The assertions a sample measures (with an assorter and a positive margin), plan order."""
    return [a for a in plan.assertions if a.method == "sample" and not a.trivial and a.assorter is not None
            and a.margin > 0]  # fmt: skip


def _population(published: Published, a: Assertion) -> list[Figures]:
    return [f for f in published.figures if a.unit is None or f.unit == a.unit]


def estimators(published: Published, plan: AuditPlan) -> list[tuple[str, Fraction]]:
    """η₀ of each sampled assertion's estimator (§17's default over the manifest, a batch with CVRs at
    ``1/(2 − μ)``), fixed before the seed: recorded in the manifest event."""
    out = []
    for a in sampled(plan):
        batches = _population(published, a)
        est = mixed_estimator(a, [f.counts for f in batches], [f.cvr is not None for f in batches])
        out.append((a.id, est.eta0))
    return out


def comparison_size(published: Published, plan: AuditPlan, etas: Mapping[str, Fraction]) -> int:
    """The draws of a round: the largest over the sampled assertions of ``mixed_size`` for the assertion's
    population with its recorded estimator, scaled to all ballots (``⌈n · N / N_population⌉``, as §13)."""
    total = sum(f.counts.ballots for f in published.figures)
    sizes = [0]
    for a in sampled(plan):
        batches = _population(published, a)
        est = shrinkage(etas[a.id], COMPARISON_D)
        n = mixed_size(a, [f.counts for f in batches], [f.cvr is not None for f in batches], plan.risk_limit, est)
        sizes.append(math.ceil(Fraction(n * total, sum(f.counts.ballots for f in batches))))
    return max(sizes)


def _reading(value: str) -> Category | None:
    match value:
        case "yes" | "no" | "invalid" | "not_counted":
            return value
        case _:
            return None  # not_found: assorter 0 (spec/audit.md §5)


def comparison_risks(
    published: Published,
    plan: AuditPlan,
    etas: Mapping[str, Fraction],
    draws: Sequence[tuple[int, str, int]],
    readings: Mapping[tuple[int, str], Mapping[int, str]],
    cvrs: Mapping[str, Sequence[Category]],
) -> list[tuple[str, float]]:
    """(assertion, risk) for every sampled assertion after ``draws`` (round, batch, position), in draw order,
    each read as ``readings[(round, batch)][position]``; a batch's CVR is ``cvrs[batch][position − 1]`` when
    it has records, else the batch's ONE CVR (its reported tally)."""
    figures = {f.batch: f for f in published.figures}
    out = []
    for a in sampled(plan):
        pairs: list[tuple[Cvr, Category | None]] = []
        for r, batch, position in draws:
            f = figures[batch]
            if a.unit is not None and f.unit != a.unit:
                continue
            cvr: Cvr = cvrs[batch][position - 1] if batch in cvrs else f.counts
            pairs.append((cvr, _reading(readings[(r, batch)][position])))
        out.append((a.id, oneaudit_risk(a, pairs, shrinkage(etas[a.id], COMPARISON_D))))
    return out


def readings_counts(readings: Mapping[int, str]) -> BallotCounts:
    """A batch's read ballots by category (a ballot not found in none)."""
    values = list(readings.values())
    return BallotCounts(*(values.count(c) for c in ("yes", "no", "invalid", "not_counted")))
