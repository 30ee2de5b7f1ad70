"""Distributed key ceremony: shares encrypted to their recipient, complaints, confirmations (spec/crypto.md §5.7–5.9).

Guardian i sends guardian j the share ``s = P_i(j)`` over any channel, encrypted with hashed ElGamal to j's
authentication key ``A_j`` (already in j's public commitment): ``R = r·G``, ``S = r·A_j``,
``pad = H_ℓ("key-share-pad", E, B, i, j, A_j, R, S)``, ``masked = s + pad mod ℓ``; i signs ``(i, j, R, masked)``
with its own authentication key. j computes ``S = a_j·R``, ``s = masked − pad`` and checks
``s·G = Σ_k j^k·C_{i,k}`` (Feldman). Because the pad is a hash of the Diffie–Hellman value, the share stays
hidden from everyone but j (CDH in the random-oracle model); because i signed the ciphertext, j can prove a bad
share to anyone without i's help: a :class:`ShareComplaint` reveals ``S`` with a Chaum–Pedersen proof that
``log_G A_j = log_R S``, so anyone recomputes the share and its Feldman check (:func:`check_share_complaint`).
A complaint cannot frame an honest sender: a forged ``S`` has no valid proof, and an altered ciphertext carries no
valid signature of i.

Once j has checked every share it signs a :class:`CeremonyConfirmation` over the digest of all n commitments and
its public share key; the server records the ceremony only with n valid confirmations over the same commitments.
No I/O here; randomness is injected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from saylau.crypto.credentials import Signature, SigningKey, sign, verify_signature
from saylau.crypto.errors import VALID, CryptoError, FailureCode, Invalid, Verdict
from saylau.crypto.group import Element, Rng, Scalar, base_mul, random_scalar
from saylau.crypto.hashing import Part, hash_hex
from saylau.crypto.keys import (
    GuardianCommitment,
    GuardianSecrets,
    KeyShare,
    evaluate_commitments,
    share_public_key,
)
from saylau.crypto.proofs import ChaumPedersenProof, ProofContext, prove_chaum_pedersen, verify_chaum_pedersen

__all__ = [
    "CONFIRMATION_PURPOSE",
    "ENCRYPTED_SHARE_PURPOSE",
    "CeremonyConfirmation",
    "ComplaintVerdict",
    "EncryptedShare",
    "ReceivedShare",
    "ShareComplaint",
    "check_share_complaint",
    "commitments_digest",
    "confirm_ceremony",
    "encrypt_share",
    "encrypt_share_value",
    "evaluate_polynomial",
    "key_share_from",
    "receive_share",
    "verify_confirmation",
]

ENCRYPTED_SHARE_PURPOSE = "encrypted-key-share"
CONFIRMATION_PURPOSE = "ceremony-confirmation"
_PAD = "key-share-pad"


@dataclass(frozen=True, slots=True)
class EncryptedShare:
    """Public: ``P_sender(recipient)`` hidden under a pad only the recipient can compute; signed by the sender."""

    sender: int
    recipient: int
    ephemeral: Element  # R = r·G
    masked: Scalar  # P_sender(recipient) + pad mod ℓ
    signature: Signature  # by the sender's auth key over (sender, recipient, R, masked)


@dataclass(frozen=True, slots=True, repr=False)
class ReceivedShare:
    """A decrypted share that passed the signature and Feldman checks. Never published."""

    sender: int
    recipient: int
    share: Scalar

    def __repr__(self) -> str:
        return f"ReceivedShare({self.sender}->{self.recipient}, <hidden>)"


@dataclass(frozen=True, slots=True)
class ShareComplaint:
    """Public: the recipient reveals the Diffie–Hellman value of a signed share, with a proof it is the right one."""

    share: EncryptedShare
    secret: Element  # S = a_recipient·R
    proof: ChaumPedersenProof  # log_G A_recipient = log_R S


@dataclass(frozen=True, slots=True)
class CeremonyConfirmation:
    """Public: guardian ``guardian`` checked every share it received against the commitments of digest ``digest``."""

    guardian: int
    digest: str  # commitments_digest of all n commitments
    share_key: Element  # s_j·G = Σ_i Σ_k j^k·C_{i,k}
    signature: Signature


class ComplaintVerdict(StrEnum):
    UPHELD = "upheld"  # the accused signed a share that fails the Feldman check: the accused is at fault
    DISMISSED_UNSIGNED = "dismissed_unsigned"  # the accused never signed this ciphertext
    DISMISSED_BAD_DECRYPTION = "dismissed_bad_decryption"  # the revealed S is not a_j·R (no valid proof)
    DISMISSED_SHARE_VALID = "dismissed_share_valid"  # the share decrypts to a valid share: the complainant lies
    DISMISSED_WRONG_PARTIES = "dismissed_wrong_parties"  # the commitments given are not the share's parties'


def evaluate_polynomial(coefficients: Sequence[Scalar], x: int) -> Scalar:
    """``P(x) = Σ_k a_k x^k mod ℓ`` (Horner)."""
    result = Scalar(0)
    for a in reversed(coefficients):
        result = result * Scalar.of(x) + a
    return result


def _message(sender: int, recipient: int, ephemeral: Element, masked: Scalar) -> tuple[Part, ...]:
    return (sender, recipient, ephemeral, masked)


def _pad(context: ProofContext, sender: int, recipient: GuardianCommitment, ephemeral: Element, dh: Element) -> Scalar:
    return context.challenge(_PAD, sender, recipient.index, recipient.auth_key, ephemeral, dh)


def _decryption_context(context: ProofContext, share: EncryptedShare) -> ProofContext:
    return context.bind("key-share-decryption", share.sender, share.recipient, share.ephemeral)


def encrypt_share_value(
    sender: int, sender_auth: SigningKey, recipient: GuardianCommitment, value: Scalar, context: ProofContext, rng: Rng
) -> EncryptedShare:
    """Encrypt ``value`` to ``recipient`` and sign it as ``sender`` (the honest path is :func:`encrypt_share`)."""
    if sender == recipient.index:
        raise CryptoError("a guardian keeps its own share", code="crypto_bad_share_set")
    r = random_scalar(rng)
    ephemeral = base_mul(r)
    masked = value + _pad(context, sender, recipient, ephemeral, r * recipient.auth_key)
    signature = sign(
        sender_auth, ENCRYPTED_SHARE_PURPOSE, _message(sender, recipient.index, ephemeral, masked), context, rng
    )
    return EncryptedShare(sender, recipient.index, ephemeral, masked, signature)


def encrypt_share(
    secrets_: GuardianSecrets, recipient: GuardianCommitment, context: ProofContext, rng: Rng
) -> EncryptedShare:
    """Guardian i's share ``P_i(j)`` for guardian j = ``recipient.index``, encrypted to j and signed by i."""
    value = evaluate_polynomial(secrets_.coefficients, recipient.index)
    return encrypt_share_value(secrets_.index, secrets_.auth, recipient, value, context, rng)


def _signed(share: EncryptedShare, sender: GuardianCommitment, context: ProofContext) -> Verdict:
    if share.sender != sender.index:
        return Invalid(FailureCode.UNKNOWN_GUARDIAN, "share.sender")
    message = _message(share.sender, share.recipient, share.ephemeral, share.masked)
    return verify_signature(sender.auth_key, ENCRYPTED_SHARE_PURPOSE, message, share.signature, context)


def _feldman_ok(value: Scalar, recipient: int, sender: GuardianCommitment) -> bool:
    return base_mul(value) == evaluate_commitments(sender.commitments, recipient)


def receive_share(
    share: EncryptedShare,
    sender: GuardianCommitment,
    recipient: GuardianCommitment,
    recipient_auth: SigningKey,
    context: ProofContext,
    rng: Rng,
) -> ReceivedShare | ShareComplaint:
    """Recipient j's step: a verified share, or a complaint when the sender signed a share that fails the check.

    An unsigned or misaddressed ciphertext cannot be blamed on anyone (it may have been altered in transit):
    it raises ``CryptoError(code="crypto_share_unsigned")`` and the sender must send it again.
    """
    if share.recipient != recipient.index or recipient_auth.public != recipient.auth_key:
        raise CryptoError(
            f"share {share.sender}->{share.recipient} is not addressed to guardian {recipient.index}",
            code="crypto_share_misaddressed",
        )
    if not _signed(share, sender, context):
        raise CryptoError(
            f"share {share.sender}->{share.recipient} does not carry guardian {sender.index}'s signature",
            code="crypto_share_unsigned",
        )
    dh = recipient_auth.secret * share.ephemeral
    value = share.masked - _pad(context, share.sender, recipient, share.ephemeral, dh)
    if _feldman_ok(value, recipient.index, sender):
        return ReceivedShare(share.sender, share.recipient, value)
    proof = prove_chaum_pedersen(
        recipient_auth.secret, share.ephemeral, recipient.auth_key, dh, _decryption_context(context, share), rng
    )
    return ShareComplaint(share, dh, proof)


def check_share_complaint(
    complaint: ShareComplaint, accused: GuardianCommitment, complainant: GuardianCommitment, context: ProofContext
) -> ComplaintVerdict:
    """Anyone's decision: upheld only if the accused signed a ciphertext that provably decrypts to a bad share."""
    share = complaint.share
    if share.sender != accused.index or share.recipient != complainant.index or accused.index == complainant.index:
        return ComplaintVerdict.DISMISSED_WRONG_PARTIES
    if not _signed(share, accused, context):
        return ComplaintVerdict.DISMISSED_UNSIGNED
    if share.ephemeral.is_identity() or not verify_chaum_pedersen(
        share.ephemeral, complainant.auth_key, complaint.secret, complaint.proof, _decryption_context(context, share)
    ):
        return ComplaintVerdict.DISMISSED_BAD_DECRYPTION
    value = share.masked - _pad(context, share.sender, complainant, share.ephemeral, complaint.secret)
    if _feldman_ok(value, complainant.index, accused):
        return ComplaintVerdict.DISMISSED_SHARE_VALID
    return ComplaintVerdict.UPHELD


def _commitment_parts(c: GuardianCommitment) -> Part:
    proofs = [(p.challenge, p.response) for p in c.proofs]
    return (c.index, c.commitments, proofs, c.auth_key, (c.auth_proof.challenge, c.auth_proof.response))


def commitments_digest(commitments: Sequence[GuardianCommitment], context: ProofContext) -> str:
    """``H_hex("ceremony-commitments", E, B, [commitment parts…])`` over the commitments sorted by index."""
    ordered = sorted(commitments, key=lambda c: c.index)
    return hash_hex("ceremony-commitments", context.election, context.binding, [_commitment_parts(c) for c in ordered])


def key_share_from(own: GuardianSecrets, received: Sequence[ReceivedShare]) -> KeyShare:
    """``s_j = P_j(j) + Σ_{i≠j} P_i(j)`` from the guardian's own polynomial and the verified shares sent to it."""
    senders = sorted(s.sender for s in received)
    if any(s.recipient != own.index for s in received) or len(set(senders)) != len(senders) or own.index in senders:
        raise CryptoError("shares for another guardian or duplicated", code="crypto_bad_share_set")
    total = evaluate_polynomial(own.coefficients, own.index)
    for s in received:
        total = total + s.share
    return KeyShare(own.index, total)


def confirm_ceremony(
    key_share: KeyShare, auth: SigningKey, commitments: Sequence[GuardianCommitment], context: ProofContext, rng: Rng
) -> CeremonyConfirmation:
    """Guardian j's signed statement; refuses if its key share does not match the commitments' share key."""
    share_key = share_public_key(commitments, key_share.index)
    if base_mul(key_share.secret) != share_key:
        raise CryptoError("the key share does not match the commitments", code="crypto_bad_share_set")
    digest = commitments_digest(commitments, context)
    message: tuple[Part, ...] = (key_share.index, digest, share_key)
    return CeremonyConfirmation(
        key_share.index, digest, share_key, sign(auth, CONFIRMATION_PURPOSE, message, context, rng)
    )


def verify_confirmation(
    confirmation: CeremonyConfirmation, commitments: Sequence[GuardianCommitment], context: ProofContext
) -> Verdict:
    """Signed by the guardian's auth key, over these very commitments, with the share key they imply."""
    by_index = {c.index: c for c in commitments}
    where = f"confirmation[{confirmation.guardian}]"
    if confirmation.guardian not in by_index:
        return Invalid(FailureCode.UNKNOWN_GUARDIAN, where)
    if confirmation.digest != commitments_digest(commitments, context):
        return Invalid(FailureCode.MISMATCH, f"{where}.digest")
    if confirmation.share_key != share_public_key(commitments, confirmation.guardian):
        return Invalid(FailureCode.MISMATCH, f"{where}.share_key")
    message: tuple[Part, ...] = (confirmation.guardian, confirmation.digest, confirmation.share_key)
    auth = by_index[confirmation.guardian].auth_key
    verdict = verify_signature(auth, CONFIRMATION_PURPOSE, message, confirmation.signature, context)
    return verdict.at(where) if isinstance(verdict, Invalid) else VALID
