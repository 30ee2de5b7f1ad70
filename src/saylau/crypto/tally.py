"""Homomorphic tally of accepted ballots and its threshold decryption (spec/crypto.md §8).

Per question and option, the ciphertexts of the accepted ballots are summed; each present guardian
publishes one :class:`~saylau.crypto.threshold.DecryptionShare` per sum; any quorum combines them and the
counts are recovered by the bounded discrete logarithm.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from saylau.crypto.ballot import EncryptedBallot, QuestionSpec, ballot_ciphertexts
from saylau.crypto.elgamal import DEFAULT_DLOG_BOUND, Ciphertext, add_ciphertexts, discrete_log
from saylau.crypto.errors import VALID, CryptoError, FailureCode, Invalid, Verdict
from saylau.crypto.group import Element, Rng
from saylau.crypto.keys import KeyShare
from saylau.crypto.proofs import ProofContext
from saylau.crypto.threshold import DecryptionShare, combine_decryption, partial_decrypt, verify_decryption_share

__all__ = [
    "EncryptedTally",
    "TallyShare",
    "aggregate",
    "combine_tally",
    "decrypt_tally_share",
    "verify_tally_share",
]


@dataclass(frozen=True, slots=True)
class EncryptedTally:
    ballots: int
    questions: tuple[tuple[Ciphertext, ...], ...]  # [question][option]


@dataclass(frozen=True, slots=True)
class TallyShare:
    guardian: int
    shares: tuple[tuple[DecryptionShare, ...], ...]  # [question][option]


def aggregate(questions: Sequence[QuestionSpec], ballots: Iterable[EncryptedBallot]) -> EncryptedTally:
    """Σ over ballots of each (question, option) ciphertext, derived ones included. Ballots must be verified."""
    rows = [ballot_ciphertexts(questions, ballot) for ballot in ballots]  # derived options included (§7.8)
    sums = tuple(
        tuple(add_ciphertexts(row[qi][oi] for row in rows) for oi in range(len(q.options)))
        for qi, q in enumerate(questions)
    )
    return EncryptedTally(len(rows), sums)


def _context(context: ProofContext, qi: int, oi: int) -> ProofContext:
    return context.bind("tally", qi, oi)


def decrypt_tally_share(
    tally: EncryptedTally, key: KeyShare, share_public: Element, context: ProofContext, rng: Rng
) -> TallyShare:
    shares = tuple(
        tuple(partial_decrypt(ct, key, share_public, _context(context, qi, oi), rng) for oi, ct in enumerate(row))
        for qi, row in enumerate(tally.questions)
    )
    return TallyShare(key.index, shares)


def verify_tally_share(
    tally: EncryptedTally, share: TallyShare, share_public: Element, context: ProofContext
) -> Verdict:
    where = f"guardian[{share.guardian}]"
    if [len(r) for r in share.shares] != [len(r) for r in tally.questions]:
        return Invalid(FailureCode.BAD_SHAPE, where)
    for qi, (row, shares) in enumerate(zip(tally.questions, share.shares, strict=True)):
        for oi, (ct, ds) in enumerate(zip(row, shares, strict=True)):
            if ds.guardian != share.guardian:
                return Invalid(FailureCode.UNKNOWN_GUARDIAN, f"{where}.question[{qi}].option[{oi}]")
            verdict = verify_decryption_share(ct, ds, share_public, _context(context, qi, oi))
            if isinstance(verdict, Invalid):
                return verdict.at(f"{where}.question[{qi}].option[{oi}]")
    return VALID


def combine_tally(
    tally: EncryptedTally,
    shares: Sequence[TallyShare],
    share_publics: Mapping[int, Element],
    quorum: int,
    context: ProofContext,
    bound: int = DEFAULT_DLOG_BOUND,
) -> tuple[tuple[int, ...], ...]:
    """Verify every share, combine any quorum, and return the counts per question and option."""
    for share in shares:
        public = share_publics.get(share.guardian)
        verdict = (
            Invalid(FailureCode.UNKNOWN_GUARDIAN, f"guardian[{share.guardian}]")
            if public is None
            else verify_tally_share(tally, share, public, context)
        )
        if isinstance(verdict, Invalid):
            raise CryptoError(
                "invalid decryption share",
                code=f"crypto_{verdict.code.value}",
                details={"where": verdict.where},
            )
    limit = min(bound, tally.ballots)
    return tuple(
        tuple(
            discrete_log(combine_decryption(ct, [s.shares[qi][oi] for s in shares], quorum), limit)
            for oi, ct in enumerate(row)
        )
        for qi, row in enumerate(tally.questions)
    )
