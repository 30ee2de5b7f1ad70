"""Rounds, draws and risk of an election contest's audit (spec/audit.md §13, §13b), MACRO only.

As for a question (``measure``): round 1 has ``contest_sample_size`` draws by ``draw_pps`` over the manifest's
batches with the contest's MACRO weights; a batch drawn again is not counted again; after a round every
assertion confirmed → ``confirmed``; an assertion at risk 1 or a third round not confirmed → ``escalate``
(a full hand count of the contest's scope: every batch of the manifest); else ``next_round`` sized from the
largest risk not confirmed. Targeted batches (§13a): the batches of the contest's manifest where an observer's
copy differs from the official protocol on the contest's figures are hand counted in round 1 beside the
draw, never part of the risk; an assertion whose claim fails with their hand counts in place of their reported
figures is ``overturning``: not confirmed whatever its risk, and the round escalates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from saylau.audit import ContestBatch, Seed, contest_risk, contest_sample_size, draw_pps
from saylau.model import Conflict
from saylau.services.audit.codes import AuditFlowCode
from saylau.services.audit.contest_reported import ContestAudit, scope_of
from saylau.services.audit.measure import MAX_ROUNDS, Measured, Risk
from saylau.services.audit.state import Loaded, RoundDraws, votes_by_batch

__all__ = ["contest_draw", "contest_first_size", "contest_hand_count_payload", "contest_measure", "contest_overturning"]


def contest_first_size(audited: ContestAudit, risk_limit: Fraction) -> int:
    """The draws of round 1 (batches)."""
    return contest_sample_size(audited.macro, risk_limit)


def contest_draw(seed: Seed, audited: ContestAudit, n: int, start: int) -> RoundDraws:
    """Draws ``start .. start + n − 1`` of the contest's batches, proportional to MACRO's weights (§7)."""
    if n == 0:
        return RoundDraws(0, start, (), ())
    ids = [b.id for b in audited.macro.batches]
    return RoundDraws(0, start, draw_pps(seed, ids, audited.macro.weights, n, start), ())


def contest_measure(loaded: Loaded) -> Measured:
    """The risk of every assertion of the contest after the rounds drawn so far, and what comes next."""
    audited = loaded.require_contest()
    alpha = loaded.risk_limit
    rounds = loaded.state.rounds
    draws = [b for r in rounds for b in r.batches]
    hand = votes_by_batch(loaded.state.accepted_votes)
    m = contest_risk(audited.macro, draws, {b: hand[b] for b in set(draws)}, alpha)
    risks = tuple(Risk(x.assertion, x.risk, x.confirmed) for x in m.measurements)
    # §13a: the targeted batches are reported beside the sample, never part of its risk
    reported = {f.batch: f.counts for f in audited.figures}
    targeted = tuple((b, not _same(hand[b], reported[b])) for b in loaded.state.targeted if b in hand)
    against = contest_overturning(audited, {b: hand[b] for b, _ in targeted})
    unconfirmed = set(m.escalate) | set(against)
    failing = tuple(a.id for a in audited.plan.assertions if a.id in unconfirmed)
    if not failing:
        return Measured(risks, "confirmed", 0, (), (), (), targeted, against)
    worst = max((r.risk for r in risks if not r.confirmed), default=0.0)
    if against or worst >= 1 or len(rounds) >= MAX_ROUNDS:
        batches = tuple(f.batch for f in audited.figures)
        return Measured(risks, "escalate", 0, failing, (scope_of(audited.contest),), batches, targeted, against)
    size = contest_sample_size(audited.macro, alpha, worst)
    return Measured(risks, "next_round", max(size, 1), failing, (), (), targeted, against)


def _same(a: ContestBatch, b: ContestBatch) -> bool:
    """The same figures of the contest (each option's votes and ``invalid``), whatever their order."""
    return a.invalid == b.invalid and a.as_dict() == b.as_dict()


def contest_overturning(audited: ContestAudit, hand: Mapping[str, ContestBatch]) -> tuple[str, ...]:
    """The assertions (plan order) whose claim ``Σ c·v > k`` fails on the contest's sums when ``hand``'s
    counts replace those batches' reported figures (the others as reported; §13a)."""
    if not hand:
        return ()
    counts = [hand.get(f.batch, f.counts) for f in audited.figures]
    votes, _ = _sum(counts, audited.options)
    return tuple(a.id for a in audited.plan.assertions if not a.holds(votes))


def _sum(counts: Sequence[ContestBatch], options: Sequence[str]) -> tuple[dict[str, int], int]:
    votes = {o: sum(c.as_dict().get(o, 0) for c in counts) for o in options}
    return votes, sum(c.invalid for c in counts)


def contest_hand_count_payload(loaded: Loaded) -> dict[str, object]:
    """The ``hand_count`` event of a contest (§13b): every batch hand counted in full; each assertion's claim
    on the hand-counted totals; the outcome ``stands`` when all hold (the results are not changed)."""
    audited = loaded.require_contest()
    current, finish = loaded.state.full_count, loaded.state.finish
    if current is None or finish is None:
        raise Conflict("no full hand count is open", code=AuditFlowCode.AUDIT_STEP)
    hand: Mapping[str, ContestBatch] = {
        b: c for (r, b), (c, _) in loaded.state.accepted_votes.items() if r == current.round
    }
    votes, invalid = _sum(list(hand.values()), audited.options)
    holding = [(a.id, a.holds(votes)) for a in audited.plan.assertions]
    return {
        "scopes": list(finish["scopes"]),
        "tally": [{"scope": s, "votes": votes, "invalid": invalid} for s in finish["scopes"]],
        "assertions": [{"assertion": a, "holds": "yes" if h else "no"} for a, h in holding],
        "outcome": "stands" if all(h for _, h in holding) else "overturned",
    }
