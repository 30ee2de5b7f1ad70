"""ALPHA: the adaptive supermartingale test of a mean (spec/audit.md §16).

Stark, "ALPHA: Audit that Learns from Previously Hand-Audited Ballots", Annals of Applied Statistics 17(1),
2023 (arXiv 2201.02707). Values ``x_j ∈ [0, u]`` are drawn from a population of ``N`` values (with
replacement: ``N`` None); the null is ``mean ≤ 1/2``. With ``S_{j−1}`` the sum of the earlier draws,

- ``μ_j = (N/2 − S_{j−1}) / (N − j + 1)`` (the mean of what is left if the null mean is exactly 1/2;
  1/2 with replacement), exact: ``S_j > N/2`` (so μ_{j+1} < 0) rejects the null at draw j (T = ∞),
  ``μ_j ≥ u`` makes it certain (no further evidence, T = 0 from there), ``μ_j = 0`` leaves T unchanged;
- ``T_j = ∏_{i≤j} (x_i η_i/μ_i + (u − x_i)(u − η_i)/(u − μ_i)) / u`` (the paper's eq. for T_j), computed
  as ``q_i + (1 − q_i)·x_i/μ_i`` with ``q_i = (u − η_i)/(u − μ_i)`` clamped to [0, 1] (the same number;
  every term non-negative, no cancellation);
- ``η_i`` predictable: fixed (``FixedEta``: with replacement this is Wald's SPRT, BRAVO) or the paper's
  truncated shrinkage (§2.5.2, ``Shrinkage``): ``η_j = min(max((d·η₀ + S_{j−1})/(d + j − 1), μ_j + c/√(d + j − 1)),
  u·(1 − ε))``;
- the risk after a sequence: ``min(1, 1/max_j T_j)`` (Ville's inequality).

Floats, with the conservative rounding of spec/audit.md §16: each factor's logarithm is lowered by 10⁻¹²
(far above its rounding error), so the computed T never exceeds the exact one; the risk is then multiplied
by ``1 + 10⁻⁹`` and capped at 1 (§1).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TypeVar, assert_never

from saylau.audit.assertions import Assertion
from saylau.audit.assorters import CATEGORIES, Assorter, BallotCounts, Category
from saylau.audit.codes import AuditCode
from saylau.audit.comparison import GAMMA, Rates
from saylau.audit.errors import AuditError
from saylau.audit.plan import check_risk_limit

__all__ = [
    "COMPARISON_D",
    "EPSILON",
    "MAX_DRAWS",
    "POLLING_D",
    "Estimator",
    "FixedEta",
    "Shrinkage",
    "alpha_comparison_risk",
    "alpha_comparison_size",
    "alpha_log_t",
    "alpha_polling_risk",
    "alpha_polling_size",
    "alpha_risk",
    "comparison_estimator",
    "comparison_upper",
    "comparison_value",
    "first_crossing",
    "looks_like",
    "polling_estimator",
    "reported_mean",
    "shrinkage",
]

EPSILON = Fraction(1, 10**6)  # η ≤ u·(1 − ε): the paper's interval [μ_j + ε_j, u) is open at u
MAX_DRAWS = 2_000_000  # a planned sample that does not finish by then is a full count
_SLACK = 1e-12  # lowered from each factor's logarithm: the computed T is never above the exact one
_NUDGE = 1e-9
_HALF = Fraction(1, 2)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class FixedEta:
    """η_j = η for every draw: no learning (with replacement, Wald's SPRT: BRAVO)."""

    eta: Fraction


@dataclass(frozen=True, slots=True)
class Shrinkage:
    """The paper's truncated shrinkage estimator (§2.5.2): the sample mean shrunk towards ``eta0`` with the
    weight of ``d`` draws, kept at least ``c/√(d + j − 1)`` above μ_j and at most ``u·(1 − eps)``."""

    eta0: Fraction
    c: Fraction
    d: int
    eps: Fraction = EPSILON


Estimator = FixedEta | Shrinkage


def shrinkage(eta0: Fraction, d: int, c: Fraction | None = None, eps: Fraction = EPSILON) -> Shrinkage:
    """The estimator with the paper's suggested ``c = (η₀ − 1/2)/2`` unless ``c`` is given."""
    if eta0 <= _HALF or d < 0 or not 0 < eps < 1 or (c is not None and c < 0):
        raise AuditError(
            f"ALPHA's estimator needs η₀ > 1/2, d ≥ 0, c ≥ 0 and 0 < ε < 1 (η₀ {eta0}, d {d}, c {c}, ε {eps})",
            code=AuditCode.BAD_PARAMETER,
            details={"eta0": str(eta0), "d": d},
        )
    return Shrinkage(eta0, (eta0 - _HALF) / 2 if c is None else c, d, eps)


class _Mart:
    """T_j draw by draw; ``log_max`` is log max(1, T_1, …, T_j)."""

    def __init__(self, upper: Fraction, estimator: Estimator, population: int | None) -> None:
        if upper <= _HALF:
            raise AuditError(f"ALPHA needs an upper bound above 1/2, not {upper}", code=AuditCode.BAD_PARAMETER)
        match estimator:
            case FixedEta(eta=eta) if not 0 <= eta <= upper:
                raise AuditError(f"a fixed η is in [0, u], not {eta}", code=AuditCode.BAD_PARAMETER)
            case Shrinkage(eta0=eta0) if eta0 > upper:
                raise AuditError(f"η₀ {eta0} is above the upper bound {upper}", code=AuditCode.BAD_PARAMETER)
        self.u, self.uf, self.n = upper, float(upper), population
        self.j, self.s, self.sf = 0, Fraction(0), 0.0
        self.log_t, self.log_max, self.dead = 0.0, 0.0, False
        self.gap = float(upper - _HALF)
        match estimator:  # as floats once: any predictable η in [0, u] keeps T a test supermartingale
            case FixedEta(eta=eta):
                self.fixed, self.eta0, self.c, self.d, self.cap = True, float(eta), 0.0, 0, float(upper)
            case Shrinkage(eta0=eta0, c=c, d=d, eps=eps):
                self.fixed, self.eta0, self.c, self.d = False, float(eta0), float(c), d
                self.cap = float(upper) * (1 - float(eps))
            case _:
                assert_never(estimator)
        self.cache: dict[tuple[int, int], tuple[float, float]] = {}

    def _eta(self, mu: float) -> float:
        if self.fixed:
            return self.eta0
        weight = self.d + self.j - 1
        if weight <= 0:
            return min(max(self.eta0, mu), self.cap)
        mean = (self.d * self.eta0 + self.sf) / weight
        return min(max(mean, mu + self.c / math.sqrt(weight)), self.cap)

    def step(self, x: Fraction) -> None:
        self.j += 1
        if self.n is None:
            self._with_replacement(x)
            return
        self._check(x)
        if self.j > self.n:
            raise AuditError("more draws without replacement than the population holds", code=AuditCode.BAD_PARAMETER)
        mu = (self.n * _HALF - self.s) / (self.n - self.j + 1)  # exact: the decisions below are exact
        if self.dead or self.log_max == math.inf:
            pass
        elif mu < 0:
            self.log_t = self.log_max = math.inf  # the null is impossible: rejected
        elif mu >= self.u:
            self.dead = True  # the null is certain: no further evidence
        elif mu > 0:
            self._grow(float(mu), float(self.u - mu), float(x / mu))
        self.s += x  # S_j: η and μ of draw j used S_{j−1} only (predictable)
        self.sf += float(x)
        if 2 * self.s > self.n and not self.dead:
            self.log_t = self.log_max = math.inf  # μ_{j+1} < 0: the drawn values alone exceed N/2

    def _check(self, x: Fraction) -> None:
        if not 0 <= x <= self.u:
            raise AuditError(f"an ALPHA value is in [0, {self.u}], not {x}", code=AuditCode.BAD_PARAMETER)

    def _with_replacement(self, x: Fraction) -> None:
        key = (x.numerator, x.denominator)  # Fraction's own hash is slow
        known = self.cache.get(key)
        if known is None:
            self._check(x)
            known = self.cache[key] = (float(2 * x), float(x))  # x/μ with μ = 1/2, and x
        if not self.dead:
            self._grow(0.5, self.gap, known[0])
        self.sf += known[1]

    def _grow(self, mu: float, gap: float, ratio: float) -> None:
        """One factor ``q + (1 − q)·x/μ``; ``gap`` = u − μ, ``ratio`` = x/μ (each rounded once)."""
        q = min(1.0, max(0.0, (self.uf - self._eta(mu)) / gap))
        factor = q + (1 - q) * ratio
        if factor <= 0:
            self.dead = True  # T = 0: no later draw can raise it
            return
        self.log_t += math.log(factor) - _SLACK
        self.log_max = max(self.log_max, self.log_t)


def alpha_log_t(
    values: Iterable[Fraction], upper: Fraction, estimator: Estimator, population: int | None = None
) -> float:
    """log max(1, T_1, …, T_n) over ``values`` in draw order (math.inf: the null is impossible)."""
    mart = _Mart(upper, estimator, population)
    for x in values:
        mart.step(x)
    return mart.log_max


def alpha_risk(
    values: Iterable[Fraction], upper: Fraction, estimator: Estimator, population: int | None = None
) -> float:
    """The risk after ``values``: min(1, 1/max_j T_j)."""
    log_max = alpha_log_t(values, upper, estimator, population)
    return min(1.0, math.exp(-log_max) * (1 + _NUDGE))


def first_crossing(
    values: Iterable[Fraction],
    upper: Fraction,
    estimator: Estimator,
    risk_limit: Fraction,
    population: int | None = None,
    limit: int = MAX_DRAWS,
) -> int | None:
    """The first n at which the risk is at most ``risk_limit`` (None: not within ``limit`` draws)."""
    check_risk_limit(risk_limit)
    target = -math.log(risk_limit) + math.log1p(_NUDGE)
    mart = _Mart(upper, estimator, population)
    for x in values:
        if mart.j >= limit:
            return None
        mart.step(x)
        if mart.log_max >= target:
            return mart.j
        if mart.dead:
            return None
    return None


def _vdc(j: int) -> tuple[int, int]:
    """The j-th point of the base-2 van der Corput sequence as (numerator, 2^bits): 1/2, 1/4, 3/4, 1/8, …"""
    num, bits = 0, 0
    while j:
        num = (num << 1) | (j & 1)
        j >>= 1
        bits += 1
    return num, bits


def _itself(value: Any) -> Any:
    return value


def looks_like(atoms: Sequence[tuple[T, int]], key: Callable[[T], Any] = _itself) -> Iterator[T]:
    """An endless sample that looks like the population: draw j is the population's quantile at the j-th
    van der Corput point (atoms: (value, how many ballots have it), sorted here by ``key`` of the value,
    or the value itself, lowest first)."""
    ordered = sorted(((v, w) for v, w in atoms if w > 0), key=lambda vw: key(vw[0]))
    if not ordered:
        raise AuditError("a population of no ballots", code=AuditCode.BAD_PARAMETER)
    cumulative: list[int] = []
    total = 0
    for _, w in ordered:
        total += w
        cumulative.append(total)
    j = 0
    while True:
        j += 1
        num, bits = _vdc(j)
        point = num * total  # the point times 2^bits: the atom i with C_{i−1} ≤ point/2^bits < C_i
        lo, hi = 0, len(cumulative) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if cumulative[mid] << bits > point:
                hi = mid
            else:
                lo = mid + 1
        yield ordered[lo][0]


# ---- ballot polling and ballot-level comparison with ALPHA (spec/audit.md §16)

POLLING_D = 100  # the paper's simulations and SHANGRLA's default
COMPARISON_D = 1_000  # ours: comparison values sit at one point when the CVRs are right (spec/audit.md §16)


def reported_mean(assertion: Assertion) -> Fraction:
    """The reported mean of the assertion's assorter: ``(1 + u·margin)/2`` (margin = v/u, §2)."""
    return (1 + _assorter(assertion).upper * assertion.margin) / 2


def polling_estimator(assertion: Assertion) -> Shrinkage:
    """The default for polling: η₀ the reported assorter mean, c = (η₀ − 1/2)/2, d = 100, ε = 10⁻⁶."""
    return shrinkage(reported_mean(assertion), POLLING_D)


def alpha_polling_risk(
    assertion: Assertion,
    audited: Sequence[Category],
    population: int | None = None,
    estimator: Estimator | None = None,
) -> float:
    """The risk after polling ``audited`` ballots (draw order) for ``assertion``; ``population``: the
    number of ballots when drawn without replacement (None: with replacement)."""
    a = _assorter(assertion)
    est = estimator if estimator is not None else polling_estimator(assertion)
    return alpha_risk((a.value(c) for c in audited), a.upper, est, population)


def comparison_upper(margin: Fraction) -> Fraction:
    """The overstatement assorter's upper bound ``2/(2 − μ)`` (a two-vote understatement)."""
    _check_margin(margin)
    return 2 / (2 - margin)


def comparison_value(margin: Fraction, e: Fraction) -> Fraction:
    """The overstatement assorter ``B = (1 − ω/u)/(2 − v/u)`` of a ballot overstated by ``e`` votes
    (``ω/u = e/2``; §5's votes): ``1/(2 − μ)`` with no discrepancy, 0 for a two-vote overstatement."""
    if not -2 <= e <= 2:
        raise AuditError("an overstatement is between −2 and 2 votes", code=AuditCode.BAD_PARAMETER)
    return (1 - e / 2) / (2 - margin)


def comparison_estimator(margin: Fraction, gamma: Fraction = GAMMA) -> Shrinkage:
    """The default for comparison: η₀ the alternative at which ALPHA's factors are super-simple's (§5) for
    this γ, ``η₀ = u − (u − 1/2)(1 − 1/γ)/(1 − μ/(2γ))``; c = (η₀ − 1/2)/2, d = 1,000, ε = 10⁻⁶."""
    u = comparison_upper(margin)
    if gamma <= 1:
        raise AuditError(f"γ is above 1, not {gamma}", code=AuditCode.BAD_PARAMETER)
    eta0 = u - (u - _HALF) * (1 - 1 / gamma) / (1 - margin / (2 * gamma))
    return shrinkage(eta0, COMPARISON_D)


def alpha_comparison_risk(
    margin: Fraction,
    overstatements: Sequence[Fraction],
    population: int | None = None,
    estimator: Estimator | None = None,
) -> float:
    """The risk after comparing ``len(overstatements)`` ballots, each overstated by e votes (−2..2; §5's
    ``overstatement``); understatements count (unlike super-simple's, which Arlo counts as 0)."""
    est = estimator if estimator is not None else comparison_estimator(margin)
    values = [comparison_value(margin, e) for e in overstatements]
    return alpha_risk(values, comparison_upper(margin), est, population)


def alpha_polling_size(
    assertion: Assertion, counts: BallotCounts, risk_limit: Fraction, estimator: Estimator | None = None
) -> int:
    """Ballots to poll (with replacement) when the sample looks like the reported results (``looks_like``);
    the population's ballots when the audit would not finish before (a full count)."""
    a = _assorter(assertion)
    est = estimator if estimator is not None else polling_estimator(assertion)
    atoms = [(a.value(c), counts.get(c)) for c in CATEGORIES]
    n = first_crossing(looks_like(atoms), a.upper, est, risk_limit, limit=min(counts.ballots, MAX_DRAWS))
    return counts.ballots if n is None else n


def alpha_comparison_size(
    margin: Fraction,
    risk_limit: Fraction,
    ballots: int,
    rates: Rates | None = None,
    estimator: Estimator | None = None,
) -> int:
    """Ballots to compare with no discrepancies (``rates`` None) or with discrepancies at these rates, as
    early as their expected counts rounded as §5 rounds them (one-vote up, two-vote half up)."""
    est = estimator if estimator is not None else comparison_estimator(margin)
    values = (comparison_value(margin, e) for e in _discrepancies(rates))
    n = first_crossing(values, comparison_upper(margin), est, risk_limit, limit=min(ballots, MAX_DRAWS))
    return ballots if n is None else n


def _discrepancies(rates: Rates | None) -> Iterator[Fraction]:
    """Draw j's overstatement in votes: each kind is due once its expected count at j, rounded, exceeds
    the ones already drawn; overstatements first (2-vote, 1-vote), then understatements."""
    kinds = [] if rates is None else [
        (Fraction(2), rates.o2, True), (Fraction(1), rates.o1, False),
        (Fraction(-2), rates.u2, True), (Fraction(-1), rates.u1, False),
    ]  # fmt: skip
    drawn = [0] * len(kinds)
    j = 0
    while True:
        j += 1
        e = Fraction(0)
        for i, (votes, rate, half_up) in enumerate(kinds):
            due = math.floor(rate * j + _HALF) if half_up else math.ceil(rate * j)
            if due > drawn[i]:
                drawn[i] += 1
                e = votes
                break
        yield e


def _assorter(assertion: Assertion) -> Assorter:
    if assertion.assorter is None or assertion.margin <= 0:
        raise AuditError(f"{assertion.id} is not audited by a sample", code=AuditCode.BAD_PARAMETER)
    return assertion.assorter


def _check_margin(margin: Fraction) -> None:
    if not 0 < margin < 2:
        raise AuditError(f"ALPHA comparison needs 0 < margin < 2, not {margin}", code=AuditCode.BAD_PARAMETER)
