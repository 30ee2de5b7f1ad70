"""Threshold key and decryption maths of spec/crypto.md §5 and the discrete log of §3.2."""

from __future__ import annotations

from collections.abc import Sequence

from saylau_verify.crypto.group import ELL, IDENTITY, add, base_mul, mul, sub, sum_elements
from saylau_verify.crypto.proofs import verify_schnorr
from saylau_verify.model import GuardianCommitment

__all__ = ["combine", "dlog_equals", "lagrange", "share_key", "verify_commitment"]


def verify_commitment(commitment: GuardianCommitment, guardians: int, quorum: int, election: str) -> list[str]:
    """Spec 5.1–5.2: 1 ≤ i ≤ n, exactly t commitments and proofs, every Schnorr proof valid."""
    i = commitment.index
    if not 1 <= i <= guardians:
        return [f"index {i} outside 1..{guardians}"]
    if len(commitment.commitments) != quorum or len(commitment.proofs) != quorum:
        return [f"{len(commitment.commitments)} commitments and {len(commitment.proofs)} proofs, expected {quorum}"]
    problems: list[str] = []
    for k, (c_ik, proof) in enumerate(zip(commitment.commitments, commitment.proofs, strict=True)):
        context = (election, ("guardian-coefficient", i, k))
        if not verify_schnorr(c_ik, proof.challenge, proof.response, context):
            problems.append(f"coefficient proof {k} fails")
    auth = commitment.auth_proof
    if not verify_schnorr(commitment.auth_key, auth.challenge, auth.response, (election, ("guardian-auth", i))):
        problems.append("auth key proof fails")
    return problems


def share_key(commitments: Sequence[Sequence[bytes]], j: int) -> bytes:
    """Spec 5.5: K_j = Σ_i Σ_k j^k·C_{i,k}."""
    terms = [mul(pow(j, k, ELL), c_ik) for coefficients in commitments for k, c_ik in enumerate(coefficients)]
    return sum_elements(terms)


def lagrange(present: Sequence[int], j: int) -> int:
    """Spec 5.6: λ_j = Π_{m∈S, m≠j} m/(m − j) mod ℓ."""
    numerator, denominator = 1, 1
    for m in present:
        if m != j:
            numerator = numerator * m % ELL
            denominator = denominator * (m - j) % ELL
    return numerator * pow(denominator, -1, ELL) % ELL


def combine(beta: bytes, images: Sequence[tuple[int, bytes]]) -> bytes:
    """Spec 5.6: m·G = β − Σ_{j∈S} λ_j·M_j."""
    present = [j for j, _ in images]
    total = IDENTITY
    for j, image in images:
        total = add(total, mul(lagrange(present, j), image))
    return sub(beta, total)


def dlog_equals(point: bytes, count: int) -> bool:
    """Spec 3.2 inverted: the claimed count m satisfies m·G = point (no search needed when m is published)."""
    return base_mul(count) == point if count else point == IDENTITY
