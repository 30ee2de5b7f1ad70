"""Round sizes, draws and the risk measured after a round (spec/audit.md §13), from the pure core.

- MACRO (batch comparison, the default): batches drawn with replacement by ``draw_pps`` with the MACRO
  weights; a round's size is ``macro_sample_size`` (the first round from risk 1, a later one from the
  largest measured risk of an assertion not yet confirmed); the risk is ``macro_risk`` over every draw
  so far and each drawn batch's accepted hand count.
- BRAVO (ballot polling): ballots drawn with replacement by ``draw_ballots``; a round's size is the
  largest over the assertions of ``bravo_round_size`` at a 90% chance, scaled from the assertion's
  population to all ballots; the hand count of a batch lists the drawn ballots by category; the risk is
  ``bravo_risk`` over the drawn ballots of the assertion's population.
- Comparison (§18): ballots drawn as for polling; each drawn ballot's hand reading against its precinct's
  cast-vote record or ONE CVR, the risk ALPHA's (``services.audit.compare``).
- After a round: every assertion confirmed → the audit confirms the outcome; an assertion at risk 1 (the
  hand counts give no evidence for it: they contradict the reported outcome) or a round after the last
  (``MAX_ROUNDS``) → a full hand count of the failing assertions' scope; else another round.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from saylau.audit import (
    CATEGORIES,
    Assertion,
    AuditPlan,
    BallotCounts,
    Seed,
    Shares,
    bravo_risk,
    bravo_round_size,
    draw_ballots,
    draw_pps,
    macro_plan,
    macro_risk,
    macro_sample_size,
    polling_shares,
)
from saylau.model import Conflict
from saylau.services.audit.codes import AuditFlowCode
from saylau.services.audit.compare import comparison_risks, comparison_size
from saylau.services.audit.reported import Published, totals
from saylau.services.audit.state import Loaded, RoundDraws, counts_by_batch

__all__ = [
    "MAX_ROUNDS",
    "POLLING_CHANCE",
    "Measured",
    "Risk",
    "draw",
    "first_size",
    "hand_count_payload",
    "measure",
    "overturning",
    "to_count",
]

MAX_ROUNDS = 3  # after the third round without confirmation, the failing scope is hand counted in full
POLLING_CHANCE = Fraction(9, 10)  # a BRAVO round is sized for a 90% chance of finishing in it
Decision = Literal["confirmed", "next_round", "escalate"]


@dataclass(frozen=True, slots=True)
class Risk:
    assertion: str
    risk: float
    confirmed: bool


@dataclass(frozen=True, slots=True)
class Measured:
    risks: tuple[Risk, ...]
    decision: Decision
    next_size: int  # draws of the next round (0 unless ``next_round``)
    failing: tuple[str, ...]  # assertions not confirmed
    scopes: tuple[str, ...]  # their populations ("nation" or a unit) when escalated
    batches: tuple[str, ...]  # the batches of those scopes, to hand count in full when escalated
    targeted: tuple[tuple[str, bool], ...] = ()  # (batch, its hand count differs from the manifest), §13a
    overturning: tuple[str, ...] = ()  # assertions the targeted hand counts contradict (§13a)


def _sampled(plan: AuditPlan) -> list[Assertion]:
    return [a for a in plan.assertions if a.method == "sample" and not a.trivial]


def _population(published: Published, unit: str | None) -> BallotCounts:
    return totals([f for f in published.figures if unit is None or f.unit == unit])


def _shares(published: Published, a: Assertion) -> Shares:
    shares = polling_shares(a, _population(published, a.unit))
    if shares is None:
        raise Conflict(
            f"{a.id} ({a.statement}) is not a two-sided share: ballot polling cannot test it; use batch comparison",
            code=AuditFlowCode.NOT_POLLABLE,
            details={"assertion": a.id},
        )
    return shares


def first_size(method: str, published: Published, plan: AuditPlan, etas: Mapping[str, Fraction] | None = None) -> int:
    """The draws of round 1 (MACRO: batches; BRAVO and comparison: ballots; ``etas``: comparison's estimators,
    from the manifest event)."""
    if method == "comparison":
        return comparison_size(published, plan, etas or {})
    if method == "macro":
        mplan = macro_plan(published.manifest, plan.assertions)
        if mplan.full_count:  # no sample confirms those (they escalate after the round): size for the others
            mplan = macro_plan(published.manifest, [a for a in plan.assertions if a.id not in mplan.full_count])
        return macro_sample_size(mplan, plan.risk_limit)
    total = sum(f.counts.ballots for f in published.figures)
    sizes = [0]
    for a in _sampled(plan):
        if a.assorter is None:
            continue  # no sample tests it: it is escalated after the round
        n = bravo_round_size(_shares(published, a), plan.risk_limit, POLLING_CHANCE)
        sizes.append(math.ceil(Fraction(n * total, _population(published, a.unit).ballots)))
    return max(sizes)


def draw(method: str, seed: Seed, published: Published, plan: AuditPlan, n: int, start: int) -> RoundDraws:
    """Draws ``start .. start + n − 1`` (a prefix-stable extension of the earlier rounds)."""
    ids = [b.id for b in published.manifest.batches]
    if n == 0:
        return RoundDraws(0, start, (), ())
    if method == "macro":
        weights = macro_plan(published.manifest, plan.assertions).weights
        return RoundDraws(0, start, draw_pps(seed, ids, weights, n, start), ())
    ballots = [b.ballots for b in published.manifest.batches]
    drawn = draw_ballots(seed, ids, ballots, n, start)
    return RoundDraws(0, start, tuple(b for b, _ in drawn), tuple(p for _, p in drawn))


def to_count(loaded: Loaded, current: RoundDraws) -> list[str]:
    """The batches of the open round still waiting for an accepted hand count (MACRO: a batch counted in
    an earlier round is not counted again, round 1 also counts the targeted batches; BRAVO: each round's
    drawn ballots are counted; the full hand count: every batch of the finish, counted again)."""
    accepted = loaded.state.accepted_keys()  # a question's or an election contest's hand counts
    if current.round > len(loaded.state.rounds):  # the full hand count (§13b)
        return sorted(b for b in set(current.batches) if (current.round, b) not in accepted)
    if loaded.audit.method == "macro":
        done = {b for _, b in accepted}
        targeted = set(loaded.state.targeted) if current.round == 1 else set()
        return sorted((set(current.batches) | targeted) - done)
    return sorted(b for b in set(current.batches) if (current.round, b) not in accepted)


def measure(loaded: Loaded) -> Measured:
    """The risk of every assertion after the rounds drawn so far, and what comes next."""
    published, plan = loaded.require_published()
    alpha = loaded.risk_limit
    rounds = loaded.state.rounds
    if loaded.audit.method == "macro":
        mplan = macro_plan(published.manifest, plan.assertions)
        draws = [b for r in rounds for b in r.batches]
        hand = counts_by_batch(loaded.state.accepted)
        m = macro_risk(mplan, draws, {b: hand[b] for b in set(draws)}, alpha)
        risks = tuple(Risk(x.assertion, x.risk, x.confirmed) for x in m.measurements)
    elif loaded.audit.method == "comparison":
        risks = _comparison_risks(loaded, published, plan)
    else:
        risks = _bravo_risks(loaded, published, plan)
    # §13a: the targeted batches are reported beside the sample, never part of its risk
    hand = counts_by_batch(loaded.state.accepted)
    reported = {f.batch: f.counts for f in published.figures}
    targeted = tuple((b, hand[b] != reported[b]) for b in loaded.state.targeted if b in hand)
    against = overturning(plan, published, {b: hand[b] for b, _ in targeted})
    unconfirmed = {r.assertion for r in risks if not r.confirmed} | set(against)
    failing = tuple(a.id for a in plan.assertions if a.id in unconfirmed)
    if not failing:
        return Measured(risks, "confirmed", 0, (), (), (), targeted, against)
    worst = max((r.risk for r in risks if not r.confirmed), default=0.0)
    # ALPHA's risk 1 (§18) says only that T has not passed 1 yet (a bet lost so far), not that the hand counts
    # contradict the outcome: a comparison round escalates after MAX_ROUNDS, not at risk 1
    hopeless = worst >= 1 and loaded.audit.method != "comparison"
    if against or hopeless or len(rounds) >= MAX_ROUNDS:
        return _escalate(risks, failing, published, plan, targeted, against)
    if loaded.audit.method == "macro":
        size = macro_sample_size(macro_plan(published.manifest, plan.assertions), alpha, worst)
    else:  # polling and comparison: every round has round 1's size (§13, §18)
        size = first_size(loaded.audit.method, published, plan, loaded.state.estimators)
    return Measured(risks, "next_round", max(size, 1), failing, (), (), targeted, against)


def _escalate(
    risks: tuple[Risk, ...],
    failing: Sequence[str],
    published: Published,
    plan: AuditPlan,
    targeted: tuple[tuple[str, bool], ...],
    against: tuple[str, ...],
) -> Measured:
    units = {a.id: a.unit for a in plan.assertions}
    scopes = sorted({units.get(f) or "nation" for f in failing})
    everything = "nation" in scopes
    batches = tuple(f.batch for f in published.figures if everything or f.unit in scopes)
    return Measured(risks, "escalate", 0, tuple(failing), tuple(scopes), batches, targeted, against)


def _holding(plan: AuditPlan, published: Published, hand: Mapping[str, BallotCounts]) -> list[tuple[str, bool]]:
    """Each plan assertion's claim over its population, with ``hand``'s counts in place of those batches'
    reported figures (the others as reported): does it hold (Σ coefficient · ballots > k, §2)?"""
    figures = [dataclasses.replace(f, counts=hand[f.batch]) if f.batch in hand else f for f in published.figures]
    out = []
    for a in plan.assertions:
        population = totals([f for f in figures if a.unit is None or f.unit == a.unit])
        out.append((a.id, a.claim.total(population) > a.claim.k))
    return out


def overturning(plan: AuditPlan, published: Published, hand: Mapping[str, BallotCounts]) -> tuple[str, ...]:
    """The assertions whose claim fails when ``hand``'s counts replace those batches' reported figures."""
    if not hand:
        return ()
    return tuple(a for a, holds in _holding(plan, published, hand) if not holds)


def hand_count_payload(loaded: Loaded) -> dict[str, object]:
    """The ``hand_count`` event (§13b): every batch of the finish hand counted in full and accepted."""
    published, plan = loaded.require_published()
    current = loaded.state.full_count
    finish = loaded.state.finish
    if current is None or finish is None:
        raise Conflict("no full hand count is open", code=AuditFlowCode.AUDIT_STEP)
    hand = {b: c for (r, b), (c, _) in loaded.state.accepted.items() if r == current.round}
    units = {f.batch: f.unit for f in published.figures}
    tally = []
    for scope in finish["scopes"]:
        s = _sum_counts([c for b, c in hand.items() if scope == "nation" or units[b] == scope])
        tally.append({"scope": scope, "yes": s.yes, "no": s.no, "invalid": s.invalid, "not_counted": s.not_counted})
    holding = _holding(plan, published, hand)
    return {
        "scopes": list(finish["scopes"]),
        "tally": tally,
        "assertions": [{"assertion": a, "holds": "yes" if h else "no"} for a, h in holding],
        "outcome": "stands" if all(h for _, h in holding) else "overturned",
    }


def _sum_counts(counts: Sequence[BallotCounts]) -> BallotCounts:
    return BallotCounts(
        sum(c.yes for c in counts),
        sum(c.no for c in counts),
        sum(c.invalid for c in counts),
        sum(c.not_counted for c in counts),
    )


def _bravo_risks(loaded: Loaded, published: Published, plan: AuditPlan) -> tuple[Risk, ...]:
    units = {f.batch: f.unit for f in published.figures}
    out = []
    for a in _sampled(plan):
        if a.assorter is None:
            out.append(Risk(a.id, 1.0, False))
            continue
        shares = _shares(published, a)
        plus = [c for c in CATEGORIES if a.claim.coefficient(c) > 0]
        minus = [c for c in CATEGORIES if a.claim.coefficient(c) < 0]
        winner = loser = 0
        for (_, batch), (counts, _) in loaded.state.accepted.items():
            if a.unit is None or units[batch] == a.unit:
                winner += sum(counts.get(c) for c in plus)
                loser += sum(counts.get(c) for c in minus)
        risk = bravo_risk(shares, winner, loser)
        out.append(Risk(a.id, risk, risk <= loaded.risk_limit))
    return tuple(out)


def _comparison_risks(loaded: Loaded, published: Published, plan: AuditPlan) -> tuple[Risk, ...]:
    """§18: each sampled assertion's ALPHA risk over the drawn ballots of its population, in draw order; one
    no sample can test is at risk 1."""
    s = loaded.state
    draws = [(r.round, b, p) for r in s.rounds for b, p in zip(r.batches, r.positions, strict=True)]
    measured = dict(comparison_risks(published, plan, s.estimators, draws, s.accepted_readings, loaded.cvrs))
    out = []
    for a in _sampled(plan):
        risk = measured.get(a.id, 1.0)
        out.append(Risk(a.id, risk, risk <= loaded.risk_limit))
    return tuple(out)


def drawn_ballots(current: RoundDraws) -> Counter[str]:
    """BRAVO: how many ballots of each batch the round drew (its hand count lists that many)."""
    return Counter(current.batches)
