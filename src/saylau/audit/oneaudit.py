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

import math
from collections.abc import Iterator, Sequence
from fractions import Fraction

from saylau.audit.alpha import (
    COMPARISON_D,
    MAX_DRAWS,
    Estimator,
    Shrinkage,
    alpha_comparison_risk,
    comparison_estimator,
    comparison_upper,
    first_crossing,
    looks_like,
    shrinkage,
)
from saylau.audit.assertions import Assertion
from saylau.audit.assorters import Assorter, BallotCounts, Category
from saylau.audit.codes import AuditCode
from saylau.audit.errors import AuditError

__all__ = [
    "Cvr",
    "mixed_estimator",
    "mixed_size",
    "one_cvr",
    "one_overstatement",
    "oneaudit_atoms",
    "oneaudit_estimator",
    "oneaudit_risk",
    "oneaudit_size",
]

_BINS = 1 << 16  # planning (the Kelly bet, the size) over B in bins of 2⁻¹⁶: an estimate, fast for 10⁶ batches

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
    estimator: Estimator,
    population: int | None = None,
) -> float:
    """The risk after hand reading ``draws`` (each: the ballot's CVR or its batch's tally, and what the
    paper shows), in draw order: ALPHA on the overstatement assorter at the assertion's margin (§16), with
    ``estimator`` fixed before the sample (``oneaudit_estimator`` of the manifest's batches)."""
    overstatements = [one_overstatement(assertion, cvr, audited) for cvr, audited in draws]
    return alpha_comparison_risk(assertion.margin, overstatements, population, estimator)


def _checked(assertion: Assertion, batches: Sequence[BallotCounts]) -> tuple[Assorter, Fraction]:
    """The assorter and ``scale = u(2 − μ)·d``: a ballot of batch b in category c has ``B = (u − Ā_b + a_c)/(u(2 − μ))``
    = ``(top·n_b − Σ_c v_c·k_c + v_c·n_b) / (n_b·scale)`` in the assorter's integers (``Assorter.scaled``). The
    batches must be the assertion's population (their tallies give its margin)."""
    a = _assorter(assertion)
    d, ints = a.scaled()
    columns = [sum(b.yes for b in batches), sum(b.no for b in batches)]
    columns += [sum(b.invalid for b in batches), sum(b.not_counted for b in batches)]
    ballots = sum(columns)
    scaled = sum(v * k for v, k in zip(ints, columns, strict=True))  # A·d
    if ballots != assertion.claim.ballots or 2 * Fraction(scaled, d * ballots) - 1 != assertion.margin * a.upper:
        raise AuditError(
            f"the batches are not the population of {assertion.id}: their tallies do not give its margin",
            code=AuditCode.BAD_PARAMETER,
        )
    return a, a.upper * (2 - assertion.margin) * d


def _parts(a: Assorter, batches: Sequence[BallotCounts]) -> Iterator[tuple[int, int, int]]:
    """(numerator, n_b, ballots) for each batch and category with ballots: B = numerator/(n_b·scale)."""
    ints = a.scaled()[1]
    top = max(ints)
    for b in batches:
        n, counts = b.ballots, (b.yes, b.no, b.invalid, b.not_counted)
        mean_dn = sum(v * k for v, k in zip(ints, counts, strict=True))  # Ā_b·d·n_b
        for v, k in zip(ints, counts, strict=True):
            if k:
                yield top * n - mean_dn + v * n, n, k


def oneaudit_atoms(assertion: Assertion, batches: Sequence[BallotCounts]) -> list[tuple[Fraction, int]]:
    """The overstatement-assorter values of every ballot when each batch's ballots are as it reported
    (no discrepancies, no CVRs), exact, with how many ballots have each."""
    a, scale = _checked(assertion, batches)
    return [(Fraction(p, n) / scale, k) for p, n, k in _parts(a, batches)]


def _bins(
    assertion: Assertion,
    batches: Sequence[BallotCounts],
    with_cvrs: Sequence[bool] | None = None,
    *,
    skip_cvrs: bool = False,
) -> dict[int, int]:
    """The same population in bins of 2⁻¹⁶: bin i holds the ballots with ``i/2¹⁶ ≤ B < (i + 1)/2¹⁶`` (float).
    A batch with cast-vote records (``with_cvrs``) as reported has every ballot at ``B = 1/(2 − μ)``, i.e.
    ``top/scale`` (its own CVR, no discrepancy: spec/audit.md §18); ``skip_cvrs``: leave those out."""
    a, scale = _checked(assertion, batches)
    ints = a.scaled()[1]
    top, unit = max(ints), _BINS / float(scale)
    bins: dict[int, int] = {}
    v0, v1, v2, v3 = ints
    flags = with_cvrs if with_cvrs is not None else [False] * len(batches)
    for b, has_cvrs in zip(batches, flags, strict=True):
        counts = (b.yes, b.no, b.invalid, b.not_counted)
        n = counts[0] + counts[1] + counts[2] + counts[3]
        if not n:
            continue
        if has_cvrs and skip_cvrs:
            continue
        if has_cvrs:
            key = math.floor(top * unit)
            bins[key] = bins.get(key, 0) + n
            continue
        base = top * n - (v0 * counts[0] + v1 * counts[1] + v2 * counts[2] + v3 * counts[3])
        step = unit / n
        for v, k in zip(ints, counts, strict=True):
            if k:
                key = math.floor((base + v * n) * step)
                bins[key] = bins.get(key, 0) + k
    return bins


def oneaudit_estimator(assertion: Assertion, batches: Sequence[BallotCounts]) -> Shrinkage:
    """The default estimator (§17): η₀ the smaller of the comparison default's (super-simple's bet, §16)
    and the bet that makes T grow fastest if the batches are as reported (Kelly: the λ maximising the mean
    of ``log(1 + λ(B − 1/2))``, B at its bin's lower edge), d = 1,000, c = (η₀ − 1/2)/2."""
    return _estimator(assertion, _bins(assertion, batches))


def _estimator(assertion: Assertion, bins: dict[int, int]) -> Shrinkage:
    points = [(key / _BINS - 0.5, k) for key, k in bins.items()]
    lo, hi = 0.0, 2 * (1 - 1e-6)  # λ < 1/μ = 2 keeps every factor positive
    for _ in range(30):  # the slope falls with λ (the mean log is concave): bisection to 2⁻²⁹
        mid = (lo + hi) / 2
        slope = sum(k * x / (1 + mid * x) for x, k in points)
        lo, hi = (mid, hi) if slope > 0 else (lo, mid)
    gamma = comparison_estimator(assertion.margin)
    kelly = Fraction(0.5 + lo * (float(comparison_upper(assertion.margin)) - 0.5) / 2)  # η = μ + λμ(u − μ)
    if kelly <= Fraction(1, 2) or kelly >= gamma.eta0:
        return gamma
    return shrinkage(kelly, COMPARISON_D)


def oneaudit_size(
    assertion: Assertion,
    batches: Sequence[BallotCounts],
    risk_limit: Fraction,
    estimator: Estimator | None = None,
) -> int:
    """Ballots to draw (uniformly, with replacement) when every batch is as reported and the sample looks
    like the population (``looks_like``), each B at its bin's lower edge (never above it: an estimate, fast
    for a million batches); all the ballots when the audit would not finish before."""
    bins = _bins(assertion, batches)
    est = estimator if estimator is not None else _estimator(assertion, bins)
    edges: dict[int, Fraction] = {}
    draws = (edges.setdefault(key, Fraction(key, _BINS)) for key in looks_like(list(bins.items())))
    ballots = assertion.claim.ballots
    upper = comparison_upper(assertion.margin)
    n = first_crossing(draws, upper, est, risk_limit, limit=min(ballots, MAX_DRAWS))
    return ballots if n is None else n


# ---- comparison where some batches have cast-vote records and the others a ONE CVR (spec/audit.md §18)


def mixed_estimator(assertion: Assertion, batches: Sequence[BallotCounts], with_cvrs: Sequence[bool]) -> Shrinkage:
    """§17's default estimator over a population where the batches flagged in ``with_cvrs`` have cast-vote
    records (their ballots at ``B = 1/(2 − μ)`` as reported) and the others their ONE CVR: with every batch
    flagged it is §16's comparison default, with none ``oneaudit_estimator``."""
    return _estimator(assertion, _bins(assertion, batches, with_cvrs))


def mixed_size(
    assertion: Assertion,
    batches: Sequence[BallotCounts],
    with_cvrs: Sequence[bool],
    risk_limit: Fraction,
    estimator: Estimator | None = None,
) -> int:
    """Ballots to draw (uniformly, with replacement) when every batch is as reported: the ballots of a batch
    with CVRs at exactly ``1/(2 − μ)``, the others at their bin's lower edge (§17), the sample looking like
    the population (``looks_like``). With every batch flagged this is ``alpha_comparison_size`` with no
    discrepancies, with none ``oneaudit_size``."""
    est = estimator if estimator is not None else _estimator(assertion, _bins(assertion, batches, with_cvrs))
    own = sum(b.ballots for b, f in zip(batches, with_cvrs, strict=True) if f)
    rest = _bins(assertion, batches, with_cvrs, skip_cvrs=True)  # the ONE-CVR ballots only
    atoms: list[tuple[Fraction, int]] = [(Fraction(key, _BINS), k) for key, k in rest.items()]
    upper = comparison_upper(assertion.margin)
    if own:
        atoms.append((1 / (2 - assertion.margin), own))
    ballots = assertion.claim.ballots
    n = first_crossing(looks_like(atoms), upper, est, risk_limit, limit=min(ballots, MAX_DRAWS))
    return ballots if n is None else n
