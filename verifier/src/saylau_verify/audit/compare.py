"""Ballot-level comparison against cast-vote records or ONE CVRs (spec/audit.md §16–§18), recomputed from
the text: ALPHA with replacement and the truncated shrinkage estimator (Stark, AoAS 17(1), 2023), each drawn
ballot's overstatement against its batch's CVR (``cvr/<batch>.csv``) or its ONE CVR (Stark, ONEAudit, 2023),
the round size of §18. Floats as §16 computes them (each factor's logarithm lowered by 10⁻¹², the risk
nudged up by 1 + 10⁻⁹ and capped at 1)."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from fractions import Fraction

from saylau_verify.audit.files import CATEGORIES, Batch, PlanAssertion

__all__ = ["READINGS", "comparison_risk", "cvr_readings", "first_size", "measured", "sampled", "sha256", "upper_of"]

READINGS = (*CATEGORIES, "not_found")  # a hand reading (spec/formats.md "Audit hand counts")
HALF = Fraction(1, 2)
D = 1_000  # §16's comparison d
EPSILON = Fraction(1, 10**6)
MAX_DRAWS = 2_000_000
SLACK = 1e-12
NUDGE = 1e-9
BINS = 1 << 16


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sampled(assertions: Sequence[PlanAssertion]) -> list[PlanAssertion]:
    """The assertions a comparison sample measures: sampled, not trivial, an assorter and a positive margin."""
    return [a for a in assertions if a.method == "sample" and not a.trivial and a.assorter is not None
            and a.margin_exact > 0]  # fmt: skip


def cvr_readings(data: bytes, batch: Batch) -> tuple[str, ...] | str:
    """The readings of a canonical CVR file (spec/formats.md "Cast-vote records"), or what is wrong."""
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        return "not ASCII text"
    lines = text.split("\n")
    if not text.endswith("\n") or lines[0] != "position,reading":
        return "not the canonical text (header position,reading, a newline after every line)"
    readings = []
    for i, line in enumerate(lines[1:-1], start=1):
        position, _, reading = line.partition(",")
        if position != str(i) or reading not in CATEGORIES:
            return f"line {i + 1} is not '{i},<reading>' with a category of the question"
        readings.append(reading)
    counts = tuple(readings.count(c) for c in CATEGORIES)
    if counts != batch.counts:
        return f"its ballots by reading {counts} are not the manifest's {batch.counts}"
    return tuple(readings)


def upper_of(margin: Fraction) -> Fraction:
    """u_B = 2/(2 − μ)."""
    return 2 / (2 - margin)


class _Mart:
    """ALPHA's T with replacement (μ_j = 1/2) and Shrinkage(η₀, (η₀ − 1/2)/2, 1000, 10⁻⁶) (§16)."""

    def __init__(self, upper: Fraction, eta0: Fraction) -> None:
        self.uf, self.gap = float(upper), float(upper - HALF)
        self.eta0, self.c, self.cap = float(eta0), float((eta0 - HALF) / 2), float(upper) * (1 - float(EPSILON))
        self.j, self.sf, self.log_t, self.log_max, self.dead = 0, 0.0, 0.0, 0.0, False

    def step(self, x: Fraction) -> None:
        self.j += 1
        if not self.dead:
            weight = D + self.j - 1
            eta = min(max((D * self.eta0 + self.sf) / weight, 0.5 + self.c / math.sqrt(weight)), self.cap)
            q = min(1.0, max(0.0, (self.uf - eta) / self.gap))
            factor = q + (1 - q) * float(2 * x)
            if factor <= 0:
                self.dead = True
            else:
                self.log_t += math.log(factor) - SLACK
                self.log_max = max(self.log_max, self.log_t)
        self.sf += float(x)


def _value(margin: Fraction, e: Fraction) -> Fraction:
    """B = (1 − e/2)/(2 − μ)."""
    return (1 - e / 2) / (2 - margin)


def comparison_risk(a: PlanAssertion, eta0: Fraction, pairs: Iterable[tuple[Fraction, str]]) -> float:
    """The risk after ballots given as (their CVR's assorter value, the hand reading), in draw order."""
    assert a.assorter is not None
    u = max(a.assorter.values())
    mart = _Mart(upper_of(a.margin_exact), eta0)
    for reported, reading in pairs:
        found = a.assorter[reading] if reading in CATEGORIES else Fraction(0)
        mart.step(_value(a.margin_exact, 2 * (reported - found) / u))
    return min(1.0, math.exp(-mart.log_max) * (1 + NUDGE))


def _one_cvr(a: PlanAssertion, batch: Batch) -> Fraction:
    assert a.assorter is not None
    return sum((a.assorter[c] * n for c, n in zip(CATEGORIES, batch.counts, strict=True)), Fraction(0)) / batch.ballots


def measured(
    a: PlanAssertion,
    eta0: Fraction,
    batches: Mapping[str, Batch],
    draws: Sequence[tuple[int, str, int]],
    readings: Mapping[tuple[int, str], Mapping[int, str]],
    cvrs: Mapping[str, tuple[str, ...]],
) -> float | str:
    """§18: the risk of ``a`` over the draws (round, batch, position) of its population, in order."""
    assert a.assorter is not None
    pairs = []
    for r, batch, position in draws:
        b = batches[batch]
        if a.unit is not None and b.unit != a.unit:
            continue
        read = readings.get((r, batch), {}).get(position)
        if read is None:
            return f"ballot {position} of {batch} drawn in round {r} has no accepted reading"
        if batch in cvrs:
            if position > len(cvrs[batch]):
                return f"ballot {position} of {batch} is beyond its cast-vote records"
            pairs.append((a.assorter[cvrs[batch][position - 1]], read))
        else:
            pairs.append((_one_cvr(a, b), read))
    return comparison_risk(a, eta0, pairs)


# ---- §18's round size: mixed_size with the recorded estimator


def _scaled(assorter: Mapping[str, Fraction]) -> tuple[int, list[int]]:
    d = 1
    for v in assorter.values():
        d = d * v.denominator // math.gcd(d, v.denominator)
    return d, [int(assorter[c] * d) for c in CATEGORIES]


def _bins(a: PlanAssertion, population: Sequence[Batch], cvrs: Mapping[str, object]) -> dict[int, int]:
    """§17's bins of the ballots of batches without CVRs: B in [i/2¹⁶, (i + 1)/2¹⁶) in bin i (floats)."""
    assert a.assorter is not None
    d, ints = _scaled(a.assorter)
    scale = max(a.assorter.values()) * (2 - a.margin_exact) * d
    top, unit = max(ints), BINS / float(scale)
    bins: dict[int, int] = {}
    for b in population:
        n = b.ballots
        if not n or b.id in cvrs:
            continue
        base = top * n - sum(v * k for v, k in zip(ints, b.counts, strict=True))
        step = unit / n
        for v, k in zip(ints, b.counts, strict=True):
            if k:
                key = math.floor((base + v * n) * step)
                bins[key] = bins.get(key, 0) + k
    return bins


def _looks_like(atoms: Sequence[tuple[Fraction, int]]) -> Iterator[Fraction]:
    """§16: draw j is the population's quantile at the j-th base-2 van der Corput point."""
    ordered = sorted((vw for vw in atoms if vw[1] > 0), key=lambda vw: vw[0])
    cumulative, total = [], 0
    for _, w in ordered:
        total += w
        cumulative.append(total)
    j = 0
    while True:
        j += 1
        num, bits, k = 0, 0, j
        while k:
            num, k, bits = (num << 1) | (k & 1), k >> 1, bits + 1
        point, lo, hi = num * total, 0, len(cumulative) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if cumulative[mid] << bits > point:
                hi = mid
            else:
                lo = mid + 1
        yield ordered[lo][0]


def _size(a: PlanAssertion, eta0: Fraction, population: Sequence[Batch], cvrs: Mapping[str, object],
          risk_limit: Fraction) -> int:  # fmt: skip
    atoms = [(Fraction(key, BINS), k) for key, k in _bins(a, population, cvrs).items()]
    own = sum(b.ballots for b in population if b.id in cvrs)
    if own:
        atoms.append((1 / (2 - a.margin_exact), own))
    target = -math.log(risk_limit) + math.log1p(NUDGE)
    limit = min(a.ballots, MAX_DRAWS)
    mart = _Mart(upper_of(a.margin_exact), eta0)
    for x in _looks_like(atoms):
        if mart.j >= limit:
            break
        mart.step(x)
        if mart.log_max >= target:
            return mart.j
        if mart.dead:
            break
    return a.ballots


def first_size(
    sampled: Sequence[PlanAssertion],
    etas: Mapping[str, Fraction],
    batches: Sequence[Batch],
    cvrs: Mapping[str, object],
    risk_limit: Fraction,
) -> int:
    """§18: the largest over the sampled assertions of their size scaled to all ballots, ⌈n·N/N_a⌉."""
    total = sum(b.ballots for b in batches)
    sizes = [0]
    for a in sampled:
        population = [b for b in batches if a.unit is None or b.unit == a.unit]
        n = _size(a, etas[a.id], population, cvrs, risk_limit)
        sizes.append(-(-n * total // sum(b.ballots for b in population)))
    return max(sizes)
