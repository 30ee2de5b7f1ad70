"""Threshold key generation by Feldman verifiable secret sharing (spec/crypto.md §5).

n guardians, indexed 1..n, quorum t. Guardian i draws a polynomial ``P_i(x) = Σ_{k<t} a_{i,k} x^k``, publishes
``C_{i,k} = a_{i,k}·G`` with a Schnorr proof of knowledge of every ``a_{i,k}`` (bound to i and k, so nobody
can copy or cancel another guardian's commitments) and an authentication key, and sends guardian j the
signed share ``P_i(j)``. Guardian j checks ``P_i(j)·G = Σ_k j^k·C_{i,k}``; if the check fails, j publishes a
:class:`Complaint` that reveals the signed share, and anyone can decide it with :func:`check_complaint`.
The joint key is ``K = Σ_i C_{i,0}``; guardian j's key share is ``s_j = Σ_i P_i(j)`` and its public
share key ``s_j·G = Σ_i Σ_k j^k·C_{i,k}`` is computable by anyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from saylau.crypto.credentials import Signature, SigningKey, generate_signing_key, sign, verify_signature
from saylau.crypto.errors import VALID, CryptoError, FailureCode, Invalid, Verdict
from saylau.crypto.group import Element, Rng, Scalar, base_mul, random_scalar, sum_elements
from saylau.crypto.proofs import ProofContext, SchnorrProof, prove_schnorr, verify_schnorr

__all__ = [
    "CeremonyParams",
    "Complaint",
    "ComplaintOutcome",
    "GuardianCommitment",
    "GuardianSecrets",
    "KeyShare",
    "SignedShare",
    "check_complaint",
    "combine_key_shares",
    "evaluate_commitments",
    "generate_guardian",
    "joint_public_key",
    "make_complaint",
    "share_for",
    "share_public_key",
    "verify_guardian_commitment",
    "verify_share",
]

SHARE_PURPOSE = "key-share"


@dataclass(frozen=True, slots=True)
class CeremonyParams:
    guardians: int  # n
    quorum: int  # t

    def __post_init__(self) -> None:
        if not 1 <= self.quorum <= self.guardians:
            raise CryptoError(
                "need 1 <= quorum <= guardians",
                code="crypto_bad_quorum",
                details={"guardians": self.guardians, "quorum": self.quorum},
            )


@dataclass(frozen=True, slots=True)
class GuardianCommitment:
    """Guardian ``index``'s public contribution: coefficient commitments, their proofs and an auth key."""

    index: int
    commitments: tuple[Element, ...]
    proofs: tuple[SchnorrProof, ...]
    auth_key: Element
    auth_proof: SchnorrProof


@dataclass(frozen=True, slots=True, repr=False)
class GuardianSecrets:
    """Guardian ``index``'s polynomial coefficients and authentication key. Never published."""

    index: int
    coefficients: tuple[Scalar, ...]
    auth: SigningKey

    def __repr__(self) -> str:
        return f"GuardianSecrets(index={self.index}, <hidden>)"


@dataclass(frozen=True, slots=True, repr=False)
class SignedShare:
    """``P_sender(recipient)`` signed by the sender; sent privately, revealed only in a complaint."""

    sender: int
    recipient: int
    share: Scalar
    signature: Signature

    def __repr__(self) -> str:
        return f"SignedShare({self.sender}->{self.recipient}, <hidden>)"


@dataclass(frozen=True, slots=True)
class Complaint:
    """Public: ``complainant`` says the share below, signed by ``accused``, fails the Feldman check."""

    accused: int
    complainant: int
    share: Scalar
    signature: Signature


class ComplaintOutcome(StrEnum):
    UPHELD = "upheld"  # the accused signed a bad share: the accused is disqualified
    DISMISSED_UNSIGNED = "dismissed_unsigned"  # the accused never signed this share: the complainant lies
    DISMISSED_SHARE_VALID = "dismissed_share_valid"  # the share is fine: the complainant lies


@dataclass(frozen=True, slots=True, repr=False)
class KeyShare:
    """Guardian ``index``'s share ``s_j`` of the joint secret. Never published."""

    index: int
    secret: Scalar

    def __repr__(self) -> str:
        return f"KeyShare(index={self.index}, <hidden>)"


def _coefficient_context(context: ProofContext, index: int, k: int) -> ProofContext:
    return context.bind("guardian-coefficient", index, k)


def generate_guardian(
    index: int, params: CeremonyParams, context: ProofContext, rng: Rng
) -> tuple[GuardianSecrets, GuardianCommitment]:
    if not 1 <= index <= params.guardians:
        raise CryptoError("guardian index out of range", code="crypto_bad_guardian", details={"index": index})
    coefficients = tuple(random_scalar(rng) for _ in range(params.quorum))
    commitments = tuple(base_mul(a) for a in coefficients)
    proofs = tuple(
        prove_schnorr(a, c, _coefficient_context(context, index, k), rng)
        for k, (a, c) in enumerate(zip(coefficients, commitments, strict=True))
    )
    auth = generate_signing_key(rng)
    auth_proof = prove_schnorr(auth.secret, auth.public, context.bind("guardian-auth", index), rng)
    secrets_ = GuardianSecrets(index, coefficients, auth)
    return secrets_, GuardianCommitment(index, commitments, proofs, auth.public, auth_proof)


def verify_guardian_commitment(
    commitment: GuardianCommitment, params: CeremonyParams, context: ProofContext
) -> Verdict:
    """t commitments, none the identity, each with a valid proof bound to (index, k); a proven auth key."""
    where = f"guardian[{commitment.index}]"
    if not 1 <= commitment.index <= params.guardians:
        return Invalid(FailureCode.UNKNOWN_GUARDIAN, where)
    if len(commitment.commitments) != params.quorum or len(commitment.proofs) != params.quorum:
        return Invalid(FailureCode.BAD_SHAPE, where)
    for k, (c, proof) in enumerate(zip(commitment.commitments, commitment.proofs, strict=True)):
        verdict = verify_schnorr(c, proof, _coefficient_context(context, commitment.index, k))
        if isinstance(verdict, Invalid):
            return verdict.at(f"{where}.coefficient[{k}]")
    verdict = verify_schnorr(
        commitment.auth_key, commitment.auth_proof, context.bind("guardian-auth", commitment.index)
    )
    return verdict.at(f"{where}.auth") if isinstance(verdict, Invalid) else VALID


def _evaluate(coefficients: Sequence[Scalar], x: int) -> Scalar:
    result = Scalar(0)
    for a in reversed(coefficients):
        result = result * Scalar.of(x) + a
    return result


def evaluate_commitments(commitments: Sequence[Element], x: int) -> Element:
    """``Σ_k x^k·C_k``, the public image of ``P(x)``."""
    total = commitments[0]
    power = Scalar(1)
    for c in commitments[1:]:
        power = power * Scalar.of(x)
        total = total + power * c
    return total


def _share_message(sender: GuardianCommitment | int, recipient: int, share: Scalar) -> tuple[int, int, Scalar]:
    index = sender if isinstance(sender, int) else sender.index
    return (index, recipient, share)


def share_for(secrets_: GuardianSecrets, recipient: int, context: ProofContext, rng: Rng) -> SignedShare:
    """``P_i(recipient)``, signed with the sender's auth key over (sender, recipient, share) and the context."""
    share = _evaluate(secrets_.coefficients, recipient)
    message = _share_message(secrets_.index, recipient, share)
    return SignedShare(secrets_.index, recipient, share, sign(secrets_.auth, SHARE_PURPOSE, message, context, rng))


def _feldman_ok(share: Scalar, recipient: int, sender: GuardianCommitment) -> bool:
    return base_mul(share) == evaluate_commitments(sender.commitments, recipient)


def verify_share(share: SignedShare, sender: GuardianCommitment, context: ProofContext) -> Verdict:
    """Recipient's check: signed by the sender, and ``share·G = Σ_k j^k·C_{i,k}``."""
    if share.sender != sender.index:
        return Invalid(FailureCode.UNKNOWN_GUARDIAN, "share.sender")
    message = _share_message(share.sender, share.recipient, share.share)
    verdict = verify_signature(sender.auth_key, SHARE_PURPOSE, message, share.signature, context)
    if isinstance(verdict, Invalid):
        return verdict.at("share")
    return VALID if _feldman_ok(share.share, share.recipient, sender) else Invalid(FailureCode.BAD_SHARE, "share")


def make_complaint(share: SignedShare) -> Complaint:
    return Complaint(share.sender, share.recipient, share.share, share.signature)


def check_complaint(complaint: Complaint, accused: GuardianCommitment, context: ProofContext) -> ComplaintOutcome:
    """Anyone's decision on a complaint: upheld only if the accused signed a share that fails the check."""
    message = _share_message(complaint.accused, complaint.complainant, complaint.share)
    if complaint.accused != accused.index or not verify_signature(
        accused.auth_key, SHARE_PURPOSE, message, complaint.signature, context
    ):
        return ComplaintOutcome.DISMISSED_UNSIGNED
    if _feldman_ok(complaint.share, complaint.complainant, accused):
        return ComplaintOutcome.DISMISSED_SHARE_VALID
    return ComplaintOutcome.UPHELD


def joint_public_key(commitments: Iterable[GuardianCommitment]) -> Element:
    """``K = Σ_i C_{i,0}``."""
    return sum_elements(c.commitments[0] for c in commitments)


def share_public_key(commitments: Iterable[GuardianCommitment], index: int) -> Element:
    """``s_j·G = Σ_i Σ_k j^k·C_{i,k}`` for guardian j = ``index``."""
    return sum_elements(evaluate_commitments(c.commitments, index) for c in commitments)


def combine_key_shares(index: int, received: Iterable[SignedShare]) -> KeyShare:
    """Guardian j's key share ``s_j = Σ_i P_i(j)`` from the verified shares of every guardian (own included)."""
    shares = list(received)
    if any(s.recipient != index for s in shares) or len({s.sender for s in shares}) != len(shares):
        raise CryptoError("shares for another guardian or duplicated", code="crypto_bad_share_set")
    total = Scalar(0)
    for s in shares:
        total = total + s.share
    return KeyShare(index, total)
