"""The audit arithmetic a verifier recomputes (spec/audit.md §2, §4, §6), from the text: exact fractions,
float risks nudged up by 1 + 10⁻⁹ and capped at 1 (§1)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from saylau_verify.audit.files import CATEGORIES, Batch, Manifest, PlanAssertion

__all__ = [
    "NUDGE",
    "Macro",
    "assorter_of",
    "bravo_risk",
    "diluted_margin",
    "in_scope",
    "macro",
    "macro_risks",
    "macro_size",
    "polling_sides",
]

NUDGE = 1e-9
Counts = tuple[int, int, int, int]


def in_scope(a: PlanAssertion, batch: Batch) -> bool:
    return a.unit is None or batch.unit == a.unit


def total(values: Mapping[str, Fraction], counts: Counts) -> Fraction:
    return sum((values.get(c, Fraction(0)) * n for c, n in zip(CATEGORIES, counts, strict=True)), Fraction(0))


def assorter_of(a: PlanAssertion) -> dict[str, Fraction] | None:
    """§2: a(b) = 1/2 + s·(c(b) − k/N), s = 1/(2·(k/N − min c)); None when N = 0 or k/N ≤ min c."""
    n = a.ballots
    if n <= 0:
        return None
    low = min(a.coefficient(c) for c in CATEGORIES)
    gap = a.k / n - low
    if gap <= 0:
        return None
    s = 1 / (2 * gap)
    return {c: Fraction(1, 2) + s * (a.coefficient(c) - a.k / n) for c in CATEGORIES}


def diluted_margin(assorter: Mapping[str, Fraction], counts: Counts) -> Fraction:
    """§2: μ = v/u with v = 2Ā − 1 (never below 0), u = max a."""
    ballots = sum(counts)
    v = 2 * total(assorter, counts) / ballots - 1
    return max(v, Fraction(0)) / max(assorter.values())


@dataclass(frozen=True, slots=True)
class Macro:
    """§4 over a manifest: the sampled assertions with a reported margin, u_b per batch (exact), U."""

    terms: tuple[tuple[PlanAssertion, dict[str, Fraction], Fraction], ...]  # (assertion, assorter, M_c)
    full_count: tuple[str, ...]
    u: dict[str, Fraction]  # batch id -> u_b
    weights: tuple[Fraction, ...]  # u_b in manifest order
    big_u: Fraction


def macro(manifest: Manifest, assertions: Sequence[PlanAssertion]) -> Macro:
    terms: list[tuple[PlanAssertion, dict[str, Fraction], Fraction]] = []
    full: list[str] = []
    for a in assertions:
        if a.method != "sample" or a.trivial:
            continue
        if a.assorter is None:
            full.append(a.id)
            continue
        population = manifest.population(a.unit)
        m = sum((total(a.assorter, b.counts) for b in population), Fraction(0)) - Fraction(
            sum(b.ballots for b in population), 2
        )
        if m <= 0:
            full.append(a.id)
        else:
            terms.append((a, a.assorter, m))
    u: dict[str, Fraction] = {}
    for b in manifest.batches:
        u[b.id] = max((total(v, b.counts) / m for a, v, m in terms if in_scope(a, b)), default=Fraction(0))
    weights = tuple(u[b.id] for b in manifest.batches)
    return Macro(tuple(terms), tuple(full), u, weights, sum(weights, Fraction(0)))


def macro_risks(plan: Macro, manifest: Manifest, draws: Sequence[str], hand: Mapping[str, Counts]) -> dict[str, float]:
    """§4: ∏_j (1 − 1/U)/(1 − t_jc) per assertion, 1 if a taint is 1; full_count assertions at 1."""
    batches = {b.id: b for b in manifest.batches}
    step = math.log1p(-float(1 / plan.big_u)) if plan.big_u > 0 else 0.0
    out: dict[str, float] = {}
    for a, values, m in plan.terms:
        log_risk, blocked = 0.0, False
        for bid in draws:
            batch = batches[bid]
            if not in_scope(a, batch):
                log_risk += step
                continue
            e = (total(values, batch.counts) - total(values, hand[bid])) / m
            taint = e / plan.u[bid]
            if taint >= 1:
                blocked = True
                break
            log_risk += step - math.log1p(-float(taint))
        out[a.id] = 1.0 if blocked else min(1.0, math.exp(log_risk) * (1 + NUDGE))
    for name in plan.full_count:
        out[name] = 1.0
    return out


def macro_size(plan: Macro, risk_limit: Fraction, risk: float = 1.0) -> int:
    """§4: n = ⌈(ln α − ln risk)/ln(1 − 1/U)⌉ + 1 (0 once the risk is at the limit)."""
    if not plan.terms:
        return 0
    if risk <= risk_limit:
        return 0
    return math.ceil((math.log(risk_limit) - math.log(risk)) / math.log1p(-float(1 / plan.big_u))) + 1


def polling_sides(a: PlanAssertion) -> tuple[tuple[str, ...], tuple[str, ...], Fraction] | None:
    """§6, §9: a two-sided assertion (k = 0, one positive and one negative coefficient): its winner
    categories, loser categories and threshold f = |c₋|/(c₊ + |c₋|); None if it is not one."""
    if a.k != 0:
        return None
    plus = tuple(c for c in CATEGORIES if a.coefficient(c) > 0)
    minus = tuple(c for c in CATEGORIES if a.coefficient(c) < 0)
    highs = {a.coefficient(c) for c in plus}
    lows = {a.coefficient(c) for c in minus}
    if len(highs) != 1 or len(lows) != 1:
        return None
    (high,), (low,) = highs, lows
    return plus, minus, -low / (high - low)


def bravo_risk(s_w: Fraction, f: Fraction, winner: int, loser: int) -> float:
    """§6: T ×= s_w/f per winner ballot, (1 − s_w)/(1 − f) per loser ballot; risk min(1, 1/T), nudged."""
    z_w = math.log(s_w / f)
    z_l = math.log((1 - s_w) / (1 - f)) if s_w < 1 else -math.inf
    if loser and z_l == -math.inf:
        return 1.0
    log_t = winner * z_w + (loser * z_l if loser else 0.0)
    return min(1.0, math.exp(-log_t) * (1 + NUDGE))
