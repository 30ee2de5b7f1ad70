"""Ballot polling for a two-sided question: BRAVO and Minerva (spec/audit.md §6).

Shares are of all ballots in the population: ``p_w`` for the reported winner, ``p_l`` for the loser, the
rest (invalid, blank) neither; ``s_w = p_w / (p_w + p_l)``.

- BRAVO (Lindeman, Stark, Yates, "BRAVO: Ballot-polling Risk-limiting Audits to Verify Outcomes",
  EVT/WOTE 2012): each winner ballot multiplies ``T`` by ``s_w/f``, each loser ballot by
  ``(1 − s_w)/(1 − f)`` (``f`` = 1/2 for a majority: 2s_w and 2(1 − s_w)); the risk is ``min(1, 1/T)``.
  Average sample number ``ASN = ⌈(ln(1/α) + z_w/2) / (p_w z_w + p_l z_l)⌉`` with ``z_w = ln(s_w/f)``,
  ``z_l = ln((1 − s_w)/(1 − f))``.
- Round size for a chance ``q`` of finishing in one round evaluated at its end (as Arlo's BRAVO planner,
  after Lindeman): the smallest ``n`` with ``P(T_n ≥ 1/α) ≥ q`` when the reported shares are true.
- Minerva (Zagórski, McClearn, Morin, Ottoboni, Stark, Vora, "Minerva – an Efficient Risk-Limiting
  Ballot-Polling Audit", USENIX Security 2021), first round: with ``k`` winner ballots among ``n``
  two-sided ballots, the round stops when ``P(K ≥ k | s_w) / P(K ≥ k | f) ≥ 1/α``; the first-round size
  for ``q`` is the smallest ``n`` whose stopping probability under ``s_w`` is at least ``q``.

Probabilities are floats from exact log-binomials (``math.lgamma``); no SciPy.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from saylau.audit.codes import AuditCode
from saylau.audit.errors import AuditError
from saylau.audit.plan import check_risk_limit

__all__ = ["Shares", "bravo_asn", "bravo_risk", "bravo_round_size", "minerva_first_round"]

_NUDGE = 1e-9
_MAX_ROUND = 2_000_000
_SCAN = 400  # rounds tried one by one (each costs O(n)); larger ones are searched


@dataclass(frozen=True, slots=True)
class Shares:
    """Reported shares of all ballots: winner, loser (the rest are neither); ``threshold``: the two-sided
    share the winner needs (1/2; 2/3 for a two-thirds majority: BRAVO's SPRT with ``f`` in place of 1/2)."""

    winner: Fraction
    loser: Fraction
    threshold: Fraction = Fraction(1, 2)

    def __post_init__(self) -> None:
        ok = self.loser >= 0 and self.winner > 0 and self.winner + self.loser <= 1 and 0 < self.threshold < 1
        if not (ok and self.s_w > self.threshold):
            raise AuditError(
                f"polling needs shares of at most 1 in all and the winner's two-sided share above {self.threshold} "
                f"({self.winner}, {self.loser})",
                code=AuditCode.BAD_PARAMETER,
                details={"winner": str(self.winner), "loser": str(self.loser)},
            )

    @property
    def s_w(self) -> Fraction:
        return self.winner / (self.winner + self.loser)

    def z(self) -> tuple[float, float]:
        """(ln(s_w/f), ln((1 − s_w)/(1 − f))): the log factor of a winner and of a loser ballot."""
        s, f = self.s_w, self.threshold
        return math.log(s / f), math.log((1 - s) / (1 - f)) if s < 1 else -math.inf

    @classmethod
    def of(cls, winner: int, loser: int, ballots: int) -> Shares:
        return cls(Fraction(winner, ballots), Fraction(loser, ballots))


def bravo_asn(shares: Shares, risk_limit: Fraction) -> int:
    check_risk_limit(risk_limit)
    z_w, z_l = shares.z()
    if z_l == -math.inf or shares.loser == 0:
        return math.ceil(-math.log(risk_limit) / z_w)
    drift = float(shares.winner) * z_w + float(shares.loser) * z_l
    return math.ceil((-math.log(risk_limit) + z_w / 2) / drift)


def bravo_risk(shares: Shares, winner_ballots: int, loser_ballots: int) -> float:
    """min(1, 1/T) after a sample with these counts (other ballots leave T unchanged)."""
    z_w, z_l = shares.z()
    if loser_ballots and z_l == -math.inf:
        return 1.0
    log_t = winner_ballots * z_w + (loser_ballots * z_l if loser_ballots else 0.0)
    return min(1.0, math.exp(-log_t) * (1 + _NUDGE))


def _log_pmf(n: int, k: int, p: float) -> float:
    if p <= 0:
        return 0.0 if k == 0 else -math.inf
    if p >= 1:
        return 0.0 if k == n else -math.inf
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * math.log(p) + (n - k) * math.log1p(-p)


def _tail(n: int, k: int, p: float) -> float:
    """P(Binomial(n, p) ≥ k), summed in log space."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    logs = [_log_pmf(n, j, p) for j in range(k, n + 1)]
    top = max(logs)
    return math.exp(top) * math.fsum(math.exp(x - top) for x in logs) if top > -math.inf else 0.0


def _bravo_k_min(m: int, z: tuple[float, float], risk_limit: float) -> int:
    """The fewest winner ballots among ``m`` two-sided ballots that make T ≥ 1/α."""
    z_w, z_l = z
    if z_l == -math.inf:
        return max(0, math.ceil(-math.log(risk_limit) / z_w - 1e-12))
    return max(0, math.ceil((-math.log(risk_limit) - m * z_l) / (z_w - z_l) - 1e-12))


def _bravo_stop(n: int, shares: Shares, risk_limit: float) -> float:
    p_two = float(shares.winner + shares.loser)
    s, z = float(shares.s_w), shares.z()
    if p_two >= 1:
        return _tail(n, _bravo_k_min(n, z, risk_limit), s)
    mean, sd = n * p_two, math.sqrt(n * p_two * (1 - p_two))
    low, high = max(0, math.floor(mean - 10 * sd)), min(n, math.ceil(mean + 10 * sd))
    # Two-sided counts outside ±10 sd are left out: the chance is underestimated, the round never too small.
    return math.fsum(
        math.exp(_log_pmf(n, m, p_two)) * _tail(m, _bravo_k_min(m, z, risk_limit), s) for m in range(low, high + 1)
    )


def bravo_round_size(shares: Shares, risk_limit: Fraction, chance: Fraction, *, stable: bool = False) -> int:
    """The smallest round with at least ``chance`` of finishing at its end (70%, 80%, 90% in the plan);
    ``stable``: the smallest from which every round up to twice as large also has that chance."""
    return _smallest(lambda n: _bravo_stop(n, shares, float(risk_limit)), risk_limit, chance, stable)


def _minerva_stop(n: int, s: float, f: float, risk_limit: float) -> float:
    alt = [0.0] * (n + 2)
    null = [0.0] * (n + 2)
    for k in range(n, -1, -1):
        alt[k] = alt[k + 1] + math.exp(_log_pmf(n, k, s))
        null[k] = null[k + 1] + math.exp(_log_pmf(n, k, f))
    for k in range(n + 1):
        if null[k] > 0 and alt[k] >= null[k] / risk_limit:
            return alt[k]
    return 0.0


def minerva_first_round(shares: Shares, risk_limit: Fraction, chance: Fraction, *, stable: bool = False) -> int:
    """The smallest first round (in ballots for either side) that stops with at least ``chance``;
    ``stable`` as for ``bravo_round_size``."""
    s, f = float(shares.s_w), float(shares.threshold)
    return _smallest(lambda n: _minerva_stop(n, s, f, float(risk_limit)), risk_limit, chance, stable)


def _smallest(stop: Callable[[int], float], risk_limit: Fraction, chance: Fraction, stable: bool) -> int:
    """The chance of stopping is a sawtooth in n: up to _SCAN every n is tried; beyond, a doubling and
    bisection search gives a round that reaches the chance (not always the smallest such)."""
    check_risk_limit(risk_limit)
    if not 0 < chance < 1:
        raise AuditError(f"a chance is strictly between 0 and 1, not {chance}", code=AuditCode.BAD_PARAMETER)
    want = float(chance)
    cache: dict[int, bool] = {}

    def reaches(n: int) -> bool:
        if n not in cache:
            cache[n] = stop(n) >= want
        return cache[n]

    for n in range(1, _SCAN + 1):
        if reaches(n) and (not stable or all(reaches(m) for m in range(n, 2 * n + 1))):
            return n
    lo, hi = _SCAN, 2 * _SCAN
    while not reaches(hi):
        lo, hi = hi, hi * 2
        if hi > _MAX_ROUND:
            raise AuditError("no round up to 2,000,000 ballots reaches that chance", code=AuditCode.BAD_PARAMETER)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if not reaches(mid) else (lo, mid)
    return hi
