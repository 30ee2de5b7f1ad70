"""Threshold decryption by any quorum of guardians (spec/crypto.md §5.4).

Guardian j publishes ``M_j = s_j·alpha`` with a Chaum–Pedersen proof that ``log_G(s_j·G) = log_alpha(M_j)``.
With a set S of at least t present guardians, ``s·alpha = Σ_{j∈S} λ_j·M_j`` where
``λ_j = Π_{m∈S, m≠j} m / (m − j) mod ℓ``, and ``m·G = beta − s·alpha``: absent guardians are covered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from saylau.crypto.elgamal import Ciphertext
from saylau.crypto.errors import CryptoError, Verdict
from saylau.crypto.group import Element, Rng, Scalar, sum_elements
from saylau.crypto.keys import KeyShare
from saylau.crypto.proofs import ChaumPedersenProof, ProofContext, prove_chaum_pedersen, verify_chaum_pedersen

__all__ = [
    "DecryptionShare",
    "combine_decryption",
    "lagrange_coefficient",
    "partial_decrypt",
    "verify_decryption_share",
]


@dataclass(frozen=True, slots=True)
class DecryptionShare:
    guardian: int
    image: Element  # M_j = s_j·alpha
    proof: ChaumPedersenProof


def _context(context: ProofContext, guardian: int, ciphertext: Ciphertext) -> ProofContext:
    return context.bind("partial-decryption", guardian, ciphertext.beta)


def partial_decrypt(
    ciphertext: Ciphertext, key: KeyShare, share_public: Element, context: ProofContext, rng: Rng
) -> DecryptionShare:
    image = key.secret * ciphertext.alpha
    proof = prove_chaum_pedersen(
        key.secret, ciphertext.alpha, share_public, image, _context(context, key.index, ciphertext), rng
    )
    return DecryptionShare(key.index, image, proof)


def verify_decryption_share(
    ciphertext: Ciphertext, share: DecryptionShare, share_public: Element, context: ProofContext
) -> Verdict:
    """Check the Chaum–Pedersen proof against guardian j's public share key ``s_j·G``."""
    return verify_chaum_pedersen(
        ciphertext.alpha, share_public, share.image, share.proof, _context(context, share.guardian, ciphertext)
    )


def lagrange_coefficient(index: int, present: Sequence[int]) -> Scalar:
    """``λ_index = Π_{m ≠ index} m / (m − index)`` over the present guardian indices (all distinct, ≥ 1)."""
    if index not in present or len(set(present)) != len(present) or min(present) < 1:
        raise CryptoError("bad set of guardians", code="crypto_bad_guardian_set", details={"present": list(present)})
    numerator, denominator = Scalar(1), Scalar(1)
    for m in present:
        if m != index:
            numerator = numerator * Scalar.of(m)
            denominator = denominator * Scalar.of(m - index)
    return numerator * denominator.inverse()


def combine_decryption(ciphertext: Ciphertext, shares: Sequence[DecryptionShare], quorum: int) -> Element:
    """``m·G`` from at least ``quorum`` verified shares of distinct guardians."""
    present = [s.guardian for s in shares]
    if len(set(present)) < quorum:
        raise CryptoError(
            "not enough guardians present",
            code="crypto_quorum_not_met",
            details={"present": present, "quorum": quorum},
        )
    mask = sum_elements(lagrange_coefficient(s.guardian, present) * s.image for s in shares)
    return ciphertext.beta - mask
