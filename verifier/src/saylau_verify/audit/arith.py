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
    "bravo_round_size",
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


# BRAVO's round size (§6): the smallest round with a chance q of finishing at its end, searched as §6 says ------

ROUND_SCAN = 400  # rounds 1..400 tried one by one (§6)
ROUND_MAX = 2_000_000


def _log_binomial(n: int, k: int, p: float) -> float:
    """ln P(Binomial(n, p) = k), from lgamma (§1: no SciPy)."""
    if p <= 0:
        return 0.0 if k == 0 else -math.inf
    if p >= 1:
        return 0.0 if k == n else -math.inf
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * math.log(p) + (n - k) * math.log1p(-p)


def _at_least(n: int, k: int, p: float) -> float:
    """P(Binomial(n, p) ≥ k), the terms summed after shifting by the largest log term."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    terms = [_log_binomial(n, j, p) for j in range(k, n + 1)]
    top = max(terms)
    if top == -math.inf:
        return 0.0
    return math.exp(top) * math.fsum(math.exp(t - top) for t in terms)


@dataclass(frozen=True, slots=True)
class _Polling:
    two_sided: float  # p_w + p_l, the share of ballots that move T
    s_w: float
    z_w: float
    z_l: float  # −inf when s_w = 1
    log_inverse_alpha: float

    def fewest_winners(self, m: int) -> int:
        """The fewest winner ballots among m two-sided ones with T ≥ 1/α (§6; 10⁻¹² absorbs rounding)."""
        if self.z_l == -math.inf:
            return max(0, math.ceil(self.log_inverse_alpha / self.z_w - 1e-12))
        return max(0, math.ceil((self.log_inverse_alpha - m * self.z_l) / (self.z_w - self.z_l) - 1e-12))

    def chance(self, n: int) -> float:
        """P(T_n ≥ 1/α) for a round of n ballots: the two-sided count is Binomial(n, p), its winners
        Binomial(m, s_w); counts beyond ±10 sd of n·p are left out (§6)."""
        if self.two_sided >= 1:
            return _at_least(n, self.fewest_winners(n), self.s_w)
        p = self.two_sided
        mean, sd = n * p, math.sqrt(n * p * (1 - p))
        low, high = max(0, math.floor(mean - 10 * sd)), min(n, math.ceil(mean + 10 * sd))
        return math.fsum(
            math.exp(_log_binomial(n, m, p)) * _at_least(m, self.fewest_winners(m), self.s_w)
            for m in range(low, high + 1)
        )


def bravo_round_size(winner: Fraction, loser: Fraction, f: Fraction, risk_limit: Fraction, chance: Fraction) -> int:
    """§6: the smallest n ≤ 400 with P(T_n ≥ 1/α) ≥ q; beyond, hi doubles from 800 until it reaches q and
    (lo, hi) is bisected (mid = ⌊(lo + hi)/2⌋), the round being hi. ``winner``, ``loser``: shares of all ballots
    of the population; ``f`` the two-sided threshold. ValueError when the shares cannot be polled."""
    if not (winner > 0 and loser >= 0 and winner + loser <= 1 and 0 < f < 1 and winner / (winner + loser) > f):
        raise ValueError(f"shares {winner}, {loser} with threshold {f} cannot be polled (§6)")
    s_w = winner / (winner + loser)
    polling = _Polling(
        float(winner + loser),
        float(s_w),
        math.log(float(s_w / f)),
        math.log(float((1 - s_w) / (1 - f))) if s_w < 1 else -math.inf,
        -math.log(float(risk_limit)),
    )
    want = float(chance)
    for n in range(1, ROUND_SCAN + 1):
        if polling.chance(n) >= want:
            return n
    lo, hi = ROUND_SCAN, 2 * ROUND_SCAN
    while polling.chance(hi) < want:
        lo, hi = hi, 2 * hi
        if hi > ROUND_MAX:
            raise ValueError("no round up to 2,000,000 ballots reaches that chance (§6)")
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if polling.chance(mid) >= want:
            hi = mid
        else:
            lo = mid
    return hi
