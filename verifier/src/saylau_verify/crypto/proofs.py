"""Proof checks of spec/crypto.md §4 and §6.2, compact form (challenge, response); commitments recomputed.

Each check returns True or False; inputs are already-decoded elements (bytes) and scalars (ints).
"""

from __future__ import annotations

from collections.abc import Sequence

from saylau_verify.crypto.group import ELL, GENERATOR, IDENTITY, base_mul, mul, sub
from saylau_verify.crypto.hashing import Element, Part, Scalar, h_scalar

__all__ = [
    "SCHNORR",
    "Context",
    "verify_chaum_pedersen",
    "verify_range",
    "verify_schnorr",
    "verify_signature",
]

SCHNORR = "schnorr-pok"
CHAUM_PEDERSEN = "chaum-pedersen"
SIGNATURE = "schnorr-signature"

Context = tuple[str, tuple[Part, ...]]
"""A proof context (spec 2.4): election fingerprint E and binding tuple B."""

_G = Element(GENERATOR)


def _challenge(purpose: str, context: Context, *parts: Part) -> int:
    election, binding = context
    return h_scalar(purpose, election, binding, *parts)


def _lincomb(response: int, challenge: int, base: bytes, public: bytes) -> bytes:
    """response·base − challenge·public (base = G uses the fixed-base routine)."""
    first = base_mul(response) if base == GENERATOR else mul(response, base)
    return sub(first, mul(challenge, public))


def verify_schnorr(public: bytes, challenge: int, response: int, context: Context) -> bool:
    """Spec 4.1: X ≠ identity and c = H_ℓ("schnorr-pok", E, B, G, X, u·G − c·X)."""
    if public == IDENTITY:
        return False
    commitment = _lincomb(response, challenge, GENERATOR, public)
    return _challenge(SCHNORR, context, _G, Element(public), Element(commitment)) == challenge


def verify_chaum_pedersen(
    public: bytes, base: bytes, image: bytes, challenge: int, response: int, context: Context
) -> bool:
    """Spec 4.2: a = u·G − c·X, b = u·A − c·M, c = H_ℓ("chaum-pedersen", E, B, G, X, A, M, a, b)."""
    a = _lincomb(response, challenge, GENERATOR, public)
    b = _lincomb(response, challenge, base, image)
    parts = (_G, Element(public), Element(base), Element(image), Element(a), Element(b))
    return _challenge(CHAUM_PEDERSEN, context, *parts) == challenge


def verify_range(
    purpose: str,
    key: bytes,
    alpha: bytes,
    beta: bytes,
    low: int,
    high: int,
    challenges: Sequence[int],
    responses: Sequence[int],
    context: Context,
) -> bool:
    """Spec 4.3: lengths hi − lo + 1, a_v = u_v·G − c_v·α, b_v = u_v·K − c_v·(β − v·G), Σ c_v = c."""
    count = high - low + 1
    if low < 0 or count < 1 or len(challenges) != count or len(responses) != count:
        return False
    commitments: list[Part] = []
    shifted = beta if low == 0 else sub(beta, base_mul(low))
    for index in range(count):
        if index:
            shifted = sub(shifted, GENERATOR)
        c_v, u_v = challenges[index], responses[index]
        commitments.append(Element(sub(base_mul(u_v), mul(c_v, alpha))))
        commitments.append(Element(sub(mul(u_v, key), mul(c_v, shifted))))
    total = _challenge(purpose, context, _G, Element(key), Element(alpha), Element(beta), low, high, commitments)
    return sum(challenges) % ELL == total


def verify_signature(
    public: bytes, purpose: str, message: Sequence[Part], challenge: int, response: int, context: Context
) -> bool:
    """Spec 6.2: R = s·G − c·X, c = H_ℓ("schnorr-signature", E, B, p, G, X, μ, R)."""
    if public == IDENTITY:
        return False
    commitment = _lincomb(response, challenge, GENERATOR, public)
    parts = (purpose, _G, Element(public), tuple(message), Element(commitment))
    return _challenge(SIGNATURE, context, *parts) == challenge


def scalars(values: Sequence[int]) -> tuple[Scalar, ...]:
    """Mark ints as scalars for hashing."""
    return tuple(Scalar(v) for v in values)
