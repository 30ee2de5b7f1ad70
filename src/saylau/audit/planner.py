"""The sample-size planner, before the seed is drawn (spec/audit.md §9): for each sampled assertion of a
plan, the expected sizes of each method, so that the commission can choose one.

- ballot comparison (super-simple): with no discrepancies and with Arlo's default rates;
- ballot polling (BRAVO: ASN and the rounds with a 70/80/90% chance of finishing in one round; Minerva's
  first round at the same chances), for a two-sided assertion only (a share of a ballot quantity: the
  winner's categories against the loser's, the threshold ``f``); an approval quorum over the register is
  not a two-sided contest and is planned by comparison;
- batch comparison (MACRO) over a manifest: the draws with no discrepancy, shared by all the assertions;
- ALPHA (spec/audit.md §16), for every sampled assertion with a margin: ballot comparison with no
  discrepancies and with the default rates, and ballot polling when the sample looks like the reported
  results (``reported_shares``); and over a manifest, ONEAudit (§17): ballot-level comparison against each
  batch's ONE CVR, every batch as reported. These rows come after the others, which they leave unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from saylau.audit.alpha import alpha_comparison_size, alpha_polling_size
from saylau.audit.assertions import Assertion
from saylau.audit.assorters import CATEGORIES, BallotCounts
from saylau.audit.comparison import Rates, comparison_sample_size
from saylau.audit.macro import Manifest, macro_plan, macro_sample_size
from saylau.audit.oneaudit import oneaudit_size
from saylau.audit.plan import AuditPlan
from saylau.audit.polling import Shares, bravo_asn, bravo_round_size, minerva_first_round

__all__ = ["CHANCES", "SizeEstimate", "SizeMethod", "SizeUnit", "estimate_sizes", "polling_shares"]

CHANCES: tuple[Fraction, ...] = (Fraction(7, 10), Fraction(8, 10), Fraction(9, 10))
SizeUnit = Literal["ballots", "batches"]
SizeMethod = Literal[
    "ballot_comparison", "bravo", "minerva", "batch_comparison", "alpha_comparison", "alpha_polling", "oneaudit"
]


@dataclass(frozen=True, slots=True)
class SizeEstimate:
    """``sizes``: (label, n); labels: ``no_discrepancies``, ``default_rates``, ``asn``, ``chance_70`` …"""

    assertion: str
    method: SizeMethod
    unit: SizeUnit
    sizes: tuple[tuple[str, int], ...]


def polling_shares(assertion: Assertion, counts: BallotCounts) -> Shares | None:
    """The two-sided form of a share assertion (``k = 0``: winner categories +, loser categories −), else None."""
    claim = assertion.claim
    if claim.k != 0 or assertion.assorter is None:
        return None
    plus = [c for c in CATEGORIES if claim.coefficient(c) > 0]
    minus = [c for c in CATEGORIES if claim.coefficient(c) < 0]
    if not plus or not minus:
        return None
    up, down = claim.coefficient(plus[0]), -claim.coefficient(minus[0])
    n = counts.ballots
    winner = Fraction(sum(counts.get(c) for c in plus), n)
    loser = Fraction(sum(counts.get(c) for c in minus), n)
    threshold = down / (up + down)
    if winner / (winner + loser) <= threshold:
        return None
    return Shares(winner, loser, threshold)


def _label(chance: Fraction) -> str:
    return f"chance_{int(chance * 100)}"


def estimate_sizes(
    plan: AuditPlan,
    counts: dict[str | None, BallotCounts],
    manifest: Manifest | None = None,
    *,
    rates: Rates | None = None,
) -> tuple[SizeEstimate, ...]:
    """The estimates for ``plan``; ``counts``: the reported ballots of each population (None: the nation)."""
    alpha = plan.risk_limit
    sampled = [a for a in plan.assertions if a.method == "sample" and not a.trivial]
    out: list[SizeEstimate] = []
    for a in sampled:
        population = counts[a.unit]
        sizes: tuple[tuple[str, int], ...]
        if a.margin > 0:
            sizes = (
                ("no_discrepancies", comparison_sample_size(alpha, a.margin, population.ballots)),
                ("default_rates", comparison_sample_size(alpha, a.margin, population.ballots, rates or Rates())),
            )
        else:
            sizes = (("full_count", population.ballots),)
        out.append(SizeEstimate(a.id, "ballot_comparison", "ballots", sizes))
        shares = polling_shares(a, population)
        if shares is not None:
            bravo = [("asn", bravo_asn(shares, alpha))]
            bravo += [(_label(q), bravo_round_size(shares, alpha, q)) for q in CHANCES]
            out.append(SizeEstimate(a.id, "bravo", "ballots", tuple(bravo)))
            minerva = tuple((_label(q), minerva_first_round(shares, alpha, q)) for q in CHANCES)
            out.append(SizeEstimate(a.id, "minerva", "ballots", minerva))
    if manifest is not None and sampled:
        macro = macro_plan(manifest, sampled)
        n = macro_sample_size(macro, alpha)
        out.append(SizeEstimate("all", "batch_comparison", "batches", (("no_discrepancies", n),)))
    for a in sampled:
        out.extend(_alpha_rows(a, counts[a.unit], alpha, manifest, rates or Rates()))
    return tuple(out)


def _alpha_rows(
    a: Assertion, population: BallotCounts, alpha: Fraction, manifest: Manifest | None, rates: Rates
) -> list[SizeEstimate]:
    """ALPHA's rows for one assertion (spec/audit.md §16-§17); a full count where no sample can confirm it.
    (A manifest that is not the assertions' populations is refused by ``macro_plan`` before.)"""
    batches = [] if manifest is None else [b.reported for b in manifest.batches if a.unit is None or b.unit == a.unit]
    one = bool(batches)
    if a.margin <= 0 or a.assorter is None:
        full = (("full_count", population.ballots),)
        methods: list[SizeMethod] = ["alpha_comparison", "alpha_polling"]
        methods += ["oneaudit"] if one else []
        return [SizeEstimate(a.id, m, "ballots", full) for m in methods]
    n = population.ballots
    comparison = (
        ("no_discrepancies", alpha_comparison_size(a.margin, alpha, n)),
        ("default_rates", alpha_comparison_size(a.margin, alpha, n, rates)),
    )
    polling = (("reported_shares", alpha_polling_size(a, population, alpha)),)
    rows = [SizeEstimate(a.id, "alpha_comparison", "ballots", comparison)]
    rows.append(SizeEstimate(a.id, "alpha_polling", "ballots", polling))
    if one:
        sized = (("no_discrepancies", oneaudit_size(a, batches, alpha)),)
        rows.append(SizeEstimate(a.id, "oneaudit", "ballots", sized))
    return rows
