"""A petition's verification end to end, in the core (spec/petitions.md §8-§9): the rule's check, the escalation
to a full count in the grey zone, the outcome in figures and words, and for a qualified recall the recall vote
the service is to create.

Pure: the service loads the signatures, withdrawals and register, passes the seed published for the petition,
and persists what comes back.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, assert_never

from saylau.crypto.sampler import Seed
from saylau.petitions.codes import PetitionsCode
from saylau.petitions.errors import PetitionError
from saylau.petitions.matching import Matching, MatchStatus, Register, match_signatures
from saylau.petitions.model import (
    FullCheck,
    Petition,
    PetitionKind,
    RandomSample,
    Sequential,
    Signature,
    Withdrawal,
    required_signatures,
)
from saylau.petitions.sampling import (
    Estimate,
    SequentialResult,
    SequentialState,
    Zone,
    california_estimate,
    california_zone,
    draw_sample,
    pct,
    sample_size,
    sequential_test,
)

__all__ = ["RECALL_PRESET", "Outcome", "RecallVote", "Verification", "recall_vote", "verify_petition"]

RECALL_PRESET = "kz-recall"


@dataclass(frozen=True, slots=True)
class Outcome:
    """Qualified or not, how it was decided, the figures, and the same in words."""

    qualified: bool
    decided_by: Literal["full_count", "random_sample", "sequential"]
    required: int
    raw: int
    valid: int  # counted (full count) or projected (sample)
    words: str


@dataclass(frozen=True, slots=True)
class Verification:
    """Everything the report shows: the sample's verdicts and estimate, the zone, the full count if one was
    made (the rule's, or the escalation), and the outcome."""

    petition: str
    outcome: Outcome
    sample: Matching | None = None
    estimate: Estimate | None = None
    zone: Zone | None = None
    sequential: SequentialResult | None = None
    full: Matching | None = None


def verify_petition(
    petition: Petition,
    signatures: Sequence[Signature],
    withdrawals: Sequence[Withdrawal],
    register: Register,
    name_key: Callable[[str], str],
    scope_precincts: Collection[str],
    registered: int,
    seed: Seed | None,
) -> Verification:
    """Check ``petition`` by its rule; ``registered`` is the scope's register count at the threshold's date."""
    required = required_signatures(petition.threshold, registered)
    raw = len(signatures)

    known = {s.id for s in signatures}
    unknown = sorted({w.signature for w in withdrawals} - known)
    if unknown:
        raise PetitionError(
            f"withdrawals of signatures that were not given: {unknown[:5]}",
            code=PetitionsCode.PETITION_BAD_SIGNATURE,
            details={"unknown": unknown[:20]},
        )

    def match(chosen: Sequence[Signature]) -> Matching:
        """The verdicts of ``chosen`` (all, or a sample: then only the sample's withdrawals apply)."""
        ids = {s.id for s in chosen}
        mine = withdrawals if len(ids) == len(known) else [w for w in withdrawals if w.signature in ids]
        return match_signatures(petition, chosen, mine, register, name_key, scope_precincts)

    rule = petition.rule
    match rule:
        case FullCheck():
            return _full(petition, match(signatures), required, raw)
        case RandomSample() | Sequential():
            if seed is None:
                raise PetitionError(
                    f"petition {petition.code}: a sample needs the published seed",
                    code=PetitionsCode.PETITION_BAD_SAMPLE,
                )
            if raw == 0:
                return _full(petition, match(signatures), required, raw)
            return _sampled(petition, rule, signatures, match, required, seed)
        case _:
            assert_never(rule)


def _sampled(
    petition: Petition,
    rule: RandomSample | Sequential,
    signatures: Sequence[Signature],
    match: Callable[[Sequence[Signature]], Matching],
    required: int,
    seed: Seed,
) -> Verification:
    """Draw the sample (§6), match it, and decide by the rule or escalate to the full count."""
    raw = len(signatures)
    by_id = {s.id: s for s in signatures}
    n = sample_size(rule, raw) if isinstance(rule, RandomSample) else min(raw, rule.max_sample)
    sample = match([by_id[i] for i in draw_sample(seed, list(by_id), n)])
    if isinstance(rule, Sequential):
        return _sequential(petition, rule, signatures, match, required, sample)
    estimate = california_estimate(raw, sample)
    zone = california_zone(estimate, required, rule)
    if zone is Zone.FULL_COUNT:
        why = (
            f"projected {estimate.projected} valid, between {pct(rule.fail_below)} and "
            f"{pct(rule.qualify_above)} of {required}: every signature checked; "
        )
        full = _full(petition, match(signatures), required, raw, why)
        return Verification(petition.code, full.outcome, sample, estimate, zone, full=full.full)
    ok = zone is Zone.QUALIFIED
    words = (
        f"{'qualified' if ok else 'not qualified'} by random sample: {estimate.valid} valid of {estimate.sample} "
        f"sampled ({pct(estimate.rate)}), {estimate.duplicates} duplicates found; projected "
        f"{estimate.uncorrected} − {estimate.estimated_duplicates} = {estimate.projected} valid of {raw} "
        f"(95% interval {estimate.ci_low}..{estimate.ci_high}), "
        + (f"more than {pct(rule.qualify_above)}" if ok else f"less than {pct(rule.fail_below)}")
        + f" of the {required} required"
    )
    outcome = Outcome(ok, "random_sample", required, raw, estimate.projected, words)
    return Verification(petition.code, outcome, sample, estimate, zone)


def _sequential(
    petition: Petition,
    rule: Sequential,
    signatures: Sequence[Signature],
    match: Callable[[Sequence[Signature]], Matching],
    required: int,
    sample: Matching,
) -> Verification:
    """Wald's test on the sample in draw order (§7); undecided: the full count."""
    raw = len(signatures)
    seq = sequential_test(rule, raw, required, [m.status is MatchStatus.MATCHED for m in sample.matches])
    if seq.state not in (SequentialState.QUALIFIED, SequentialState.FAILED):
        full = _full(petition, match(signatures), required, raw, "the sequential test was undecided: ")
        return Verification(petition.code, full.outcome, sample=sample, sequential=seq, full=full.full)
    ok = seq.state is SequentialState.QUALIFIED
    bound = f"≥ (1 − β)/α = {seq.accept_above}" if ok else f"≤ β/(1 − α) = {seq.reject_below}"
    words = (
        f"{'qualified' if ok else 'not qualified'} by the sequential test: {seq.valid} of the first "
        f"{seq.examined} sampled signatures valid; the likelihood ratio of a valid rate of {pct(seq.p1)} "
        f"against {pct(seq.p0)} reached {bound}; {required} valid signatures required of {raw}"
    )
    outcome = Outcome(ok, "sequential", required, raw, seq.valid, words)
    examined = Matching(sample.matches[: seq.examined])
    return Verification(petition.code, outcome, sample=examined, sequential=seq)


def _full(petition: Petition, full: Matching, required: int, raw: int, prefix: str = "") -> Verification:
    valid = full.valid
    ok = valid >= required
    counts = ", ".join(f"{n} {s.value}" for s, n in full.counts.items() if n and s is not MatchStatus.MATCHED)
    words = (
        f"{prefix}{'qualified' if ok else 'not qualified'} by a full count: {valid} valid of {raw} signatures"
        + (f" ({counts})" if counts else "")
        + f"; {required} required"
    )
    return Verification(petition.code, Outcome(ok, "full_count", required, raw, valid, words), full=full)


@dataclass(frozen=True, slots=True)
class RecallVote:
    """The recall vote a qualified recall petition calls for: the service creates the event."""

    event_code: str
    preset: str
    district: str
    vote_on: date
    petition: str


def recall_vote(petition: Petition, verification: Verification, decided_on: date, vote_after_days: int) -> RecallVote:
    """The recall vote of a qualified recall petition, ``vote_after_days`` after the decision (the preset's
    setting; the law gives no number: spec/petitions.md §9)."""
    if petition.kind is not PetitionKind.RECALL or not verification.outcome.qualified:
        raise PetitionError(
            f"petition {petition.code} is not a qualified recall: no recall vote",
            code=PetitionsCode.PETITION_NOT_QUALIFIED,
            details={"kind": petition.kind.value, "qualified": verification.outcome.qualified},
        )
    if not 1 <= vote_after_days <= 366:
        raise PetitionError(
            f"a recall vote {vote_after_days} days after the decision (1..366)",
            code=PetitionsCode.PETITION_BAD_DEFINITION,
        )
    code = f"recall-{petition.code}"[:64]
    return RecallVote(code, RECALL_PRESET, petition.scope, decided_on + timedelta(days=vote_after_days), petition.code)
