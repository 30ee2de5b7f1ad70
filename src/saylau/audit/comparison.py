"""Ballot-level comparison: Stark's super-simple simultaneous audit (spec/audit.md §5).

Stark, "Super-Simple Simultaneous Single-Ballot Risk-Limiting Audits", EVT/WOTE 2010. With diluted margin
``μ`` (an assertion's ``v/u``) and error inflation ``γ > 1`` (1.03905, as in Stark's tool, Arlo and
ColoradoRLA), each ballot's overstatement is measured in "votes" ``e`` (1-vote: the assorter overstated by
``u/2``; 2-vote: by ``u``); then

- risk after ``n`` ballots = ``∏ (1 − μ/(2γ)) / (1 − e_i/(2γ))`` (Kaplan–Markov), capped at 1;
  understatements (``e < 0``) are counted as 0, as Arlo does: never less risk than the evidence shows;
- ``n_min = max(o₁+o₂+u₁+u₂, ⌈−2γ (ln α + o₁ ln(1 − 1/(2γ)) + o₂ ln(1 − 1/γ) + u₁ ln(1 + 1/(2γ))
  + u₂ ln(1 + 1/γ)) / μ⌉)`` (the paper's eq. for the sample size with expected discrepancies);
- the planner with expected rates (Arlo's defaults: 1-vote 1/1000, 2-vote 1/10000, both ways) first takes
  ``n₀ = ⌈ln α / (ln(1 − μ/(2γ)) − Σ r ln(…))⌉``, then rounds the expected counts at ``n₀`` (one-vote up,
  two-vote to nearest) and applies ``n_min``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from saylau.audit.assertions import Assertion
from saylau.audit.assorters import Category
from saylau.audit.codes import AuditCode
from saylau.audit.errors import AuditError
from saylau.audit.plan import check_risk_limit

__all__ = ["GAMMA", "Rates", "comparison_risk", "comparison_sample_size", "n_min", "overstatement"]

GAMMA = Fraction(103905, 100000)
_NUDGE = 1e-9


@dataclass(frozen=True, slots=True)
class Rates:
    """Expected discrepancy rates per ballot: o1/o2 over-, u1/u2 understatements of 1 and 2 votes."""

    o1: Fraction = Fraction(1, 1000)
    o2: Fraction = Fraction(1, 10000)
    u1: Fraction = Fraction(1, 1000)
    u2: Fraction = Fraction(1, 10000)


def _check(margin: Fraction, gamma: Fraction) -> None:
    if not 0 < margin <= 2 or gamma <= 1:
        raise AuditError(
            f"comparison needs 0 < margin ≤ 2 and γ > 1 (margin {margin}, γ {gamma})",
            code=AuditCode.BAD_PARAMETER,
            details={"margin": str(margin), "gamma": str(gamma)},
        )


def n_min(
    risk_limit: Fraction, margin: Fraction, o1: int = 0, o2: int = 0, u1: int = 0, u2: int = 0,
    gamma: Fraction = GAMMA,
) -> int:  # fmt: skip
    """Stark's sample size for these discrepancy counts (module docstring)."""
    check_risk_limit(risk_limit)
    _check(margin, gamma)
    g = float(gamma)
    total = (
        math.log(risk_limit)
        + o1 * math.log(1 - 1 / (2 * g))
        + o2 * math.log(1 - 1 / g)
        + u1 * math.log(1 + 1 / (2 * g))
        + u2 * math.log(1 + 1 / g)
    )
    return max(o1 + o2 + u1 + u2, math.ceil(-2 * g * total / float(margin)))


def comparison_sample_size(
    risk_limit: Fraction, margin: Fraction, ballots: int, rates: Rates | None = None, gamma: Fraction = GAMMA
) -> int:
    """Ballots to sample before any is looked at; ``rates`` None: no discrepancies expected."""
    check_risk_limit(risk_limit)
    _check(margin, gamma)
    if rates is None:
        return min(n_min(risk_limit, margin, gamma=gamma), ballots)
    g = float(gamma)
    denom = (
        math.log(1 - float(margin) / (2 * g))
        - float(rates.o1) * math.log(1 - 1 / (2 * g))
        - float(rates.o2) * math.log(1 - 1 / g)
        - float(rates.u1) * math.log(1 + 1 / (2 * g))
        - float(rates.u2) * math.log(1 + 1 / g)
    )
    if denom >= 0:
        return ballots
    n0 = math.ceil(math.log(risk_limit) / denom)
    o1, u1 = math.ceil(rates.o1 * n0), math.ceil(rates.u1 * n0)
    o2, u2 = _half_up(rates.o2 * n0), _half_up(rates.u2 * n0)
    return min(n_min(risk_limit, margin, o1, o2, u1, u2, gamma), ballots)


def _half_up(x: Fraction) -> int:
    return math.floor(x + Fraction(1, 2))


def comparison_risk(margin: Fraction, overstatements: Sequence[Fraction], gamma: Fraction = GAMMA) -> float:
    """The risk after sampling ``len(overstatements)`` ballots, each with its overstatement in votes (−2..2)."""
    _check(margin, gamma)
    if any(not -2 <= e <= 2 for e in overstatements):
        raise AuditError("an overstatement is between −2 and 2 votes", code=AuditCode.BAD_PARAMETER)
    step = math.log1p(-float(margin / (2 * gamma)))
    log_risk = 0.0
    for e in overstatements:
        shown = max(e, Fraction(0))
        if shown >= 2 * gamma:
            return 1.0
        log_risk += step - math.log1p(-float(shown / (2 * gamma)))
    return min(1.0, math.exp(log_risk) * (1 + _NUDGE))


def overstatement(assertion: Assertion, reported: Category, audited: Category | None) -> Fraction:
    """A ballot's overstatement in votes for ``assertion``: ``2·(a(reported) − a(audited)) / u``, in [−2, 2].

    ``audited`` None: the paper ballot was not found, counted at assorter 0 (the worst case; Arlo counts a
    missing ballot as a two-vote overstatement)."""
    if assertion.assorter is None:
        raise AuditError(f"{assertion.id} is not audited by a sample", code=AuditCode.BAD_PARAMETER)
    a = assertion.assorter
    found = a.value(audited) if audited is not None else Fraction(0)
    return 2 * (a.value(reported) - found) / a.upper
