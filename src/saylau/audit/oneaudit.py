"""ONEAudit: ballot-level comparison where batches have no cast-vote records (spec/audit.md §17).

Stark, "Overstatement-Net-Equivalent Risk-Limiting Audit: ONEAudit", 2023 (arXiv 2303.03335); Spertus and
Stark on its efficiency. A batch whose ballots have no CVRs (a precinct protocol gives only its tally)
gives each of its ballots the same "ONE CVR": the batch's mean assorter value ``Ā_b = A(batch)/n_b``.
The reported assorter mean over all CVRs, ONE or real, is then the reported mean, so the margin is the
assertion's (§2); a hand-read ballot of the batch is overstated by ``ω = Ā_b − a(ballot)``, in votes
``e = 2ω/u`` (from ``2(Ā_b − u)/u`` to ``2Ā_b/u``), and the audit is ALPHA on the overstatement assorter
``B = (1 − e/2)/(2 − μ)`` (§16). A ballot with a real CVR is compared with it (§5's ``overstatement``).
Ballots are drawn uniformly (``draw_ballots``, §7, with replacement) from the whole population.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from saylau.audit.alpha import (
    MAX_DRAWS,
    Estimator,
    alpha_comparison_risk,
    comparison_estimator,
    comparison_upper,
    first_crossing,
    looks_like,
)
from saylau.audit.assertions import Assertion
from saylau.audit.assorters import CATEGORIES, Assorter, BallotCounts, Category
from saylau.audit.codes import AuditCode
from saylau.audit.errors import AuditError

__all__ = ["Cvr", "one_cvr", "one_overstatement", "oneaudit_atoms", "oneaudit_risk", "oneaudit_size"]

Cvr = Category | BallotCounts  # a ballot's own CVR, or the reported tally of its batch (no CVRs)


def _assorter(assertion: Assertion) -> Assorter:
    if assertion.assorter is None or assertion.margin <= 0:
        raise AuditError(f"{assertion.id} is not audited by a sample", code=AuditCode.BAD_PARAMETER)
    return assertion.assorter


def one_cvr(assertion: Assertion, batch: BallotCounts) -> Fraction:
    """The ONE CVR of a batch: its reported mean assorter value ``A(batch)/n_b``."""
    if batch.ballots <= 0:
        raise AuditError("a batch of no ballots has no ONE CVR", code=AuditCode.BAD_PARAMETER)
    return _assorter(assertion).total(batch) / batch.ballots


def one_overstatement(assertion: Assertion, cvr: Cvr, audited: Category | None) -> Fraction:
    """A hand-read ballot's overstatement in votes against its CVR: ``2·(reported − a(audited))/u``, the
    reported value a(CVR) or, for a batch without CVRs, its ONE CVR. ``audited`` None: the paper ballot
    was not found (assorter 0, as §5)."""
    a = _assorter(assertion)
    reported = one_cvr(assertion, cvr) if isinstance(cvr, BallotCounts) else a.value(cvr)
    found = a.value(audited) if audited is not None else Fraction(0)
    return 2 * (reported - found) / a.upper


def oneaudit_risk(
    assertion: Assertion,
    draws: Sequence[tuple[Cvr, Category | None]],
    population: int | None = None,
    estimator: Estimator | None = None,
) -> float:
    """The risk after hand reading ``draws`` (each: the ballot's CVR or its batch's tally, and what the
    paper shows), in draw order: ALPHA on the overstatement assorter at the assertion's margin (§16)."""
    overstatements = [one_overstatement(assertion, cvr, audited) for cvr, audited in draws]
    return alpha_comparison_risk(assertion.margin, overstatements, population, estimator)


def oneaudit_atoms(assertion: Assertion, batches: Sequence[BallotCounts]) -> list[tuple[Fraction, int]]:
    """The overstatement-assorter values of every ballot when each batch's ballots are as it reported
    (no discrepancies, no CVRs), with how many ballots have each. The batches must be the assertion's
    population (their tallies sum to it: the margin is theirs)."""
    a = _assorter(assertion)
    total = sum((b for b in batches), BallotCounts(0, 0))
    if total.ballots != assertion.claim.ballots or 2 * a.total(total) / total.ballots - 1 != assertion.margin * a.upper:
        raise AuditError(
            f"the batches are not the population of {assertion.id}: their tallies do not give its margin",
            code=AuditCode.BAD_PARAMETER,
        )
    d, ints = a.scaled()
    top = max(ints)
    scale = a.upper * (2 - assertion.margin) * d  # B = (u − Ā_b + a_c)/(u(2 − μ)), everything times d·n_b
    atoms: list[tuple[Fraction, int]] = []
    for b in batches:
        n = b.ballots
        if n == 0:
            continue
        mean_dn = sum(v * b.get(c) for v, c in zip(ints, CATEGORIES, strict=True))  # Ā_b·d·n_b
        for v, c in zip(ints, CATEGORIES, strict=True):
            if b.get(c):
                atoms.append((Fraction(top * n - mean_dn + v * n, n) / scale, b.get(c)))
    return atoms


def oneaudit_size(
    assertion: Assertion,
    batches: Sequence[BallotCounts],
    risk_limit: Fraction,
    estimator: Estimator | None = None,
) -> int:
    """Ballots to draw (uniformly, with replacement) when every batch is as reported and the sample looks
    like the population (``looks_like``); all the ballots when the audit would not finish before."""
    atoms = oneaudit_atoms(assertion, batches)
    ballots = assertion.claim.ballots
    est = estimator if estimator is not None else comparison_estimator(assertion.margin)
    upper = comparison_upper(assertion.margin)
    n = first_crossing(looks_like(atoms), upper, est, risk_limit, limit=min(ballots, MAX_DRAWS))
    return ballots if n is None else n
