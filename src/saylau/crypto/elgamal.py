"""Exponential ElGamal over ristretto255 and the bounded discrete logarithm (spec/crypto.md §3).

``Enc_K(m; r) = (r·G, m·G + r·K)``. Ciphertexts add component-wise, so the sum of encryptions of
``m₁, m₂`` encrypts ``m₁ + m₂``. Decryption yields ``m·G``; :func:`discrete_log` recovers m by
baby-step giant-step with a table of ⌈√bound⌉ entries (10 000 entries for the default bound of 10^8).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from saylau.crypto.errors import DlogNotFound, EncodingError
from saylau.crypto.group import GENERATOR, IDENTITY, Element, Rng, Scalar, base_mul, random_scalar

__all__ = [
    "DEFAULT_DLOG_BOUND",
    "Ciphertext",
    "add_ciphertexts",
    "decrypt_to_element",
    "discrete_log",
    "encrypt",
    "encrypt_with_nonce",
    "trivial_encryption",
]

DEFAULT_DLOG_BOUND = 10**8
"""Plaintexts (counts) are searched in [0, DEFAULT_DLOG_BOUND] unless the caller gives another bound."""


@dataclass(frozen=True, slots=True)
class Ciphertext:
    """An ElGamal pair ``(alpha, beta) = (r·G, m·G + r·K)``. Holds no nonce and no plaintext."""

    alpha: Element
    beta: Element

    def __add__(self, other: Ciphertext) -> Ciphertext:
        return Ciphertext(self.alpha + other.alpha, self.beta + other.beta)

    def __sub__(self, other: Ciphertext) -> Ciphertext:
        return Ciphertext(self.alpha - other.alpha, self.beta - other.beta)


def encrypt_with_nonce(message: int, nonce: Scalar, public_key: Element) -> Ciphertext:
    """``(r·G, m·G + r·K)``: deterministic in the nonce (used to re-check a Benaloh opening)."""
    if message < 0:
        raise EncodingError("plaintexts are non-negative integers", code="crypto_plaintext_range")
    pad = nonce * public_key
    beta = pad if message == 0 else base_mul(Scalar.of(message)) + pad
    return Ciphertext(base_mul(nonce), beta)


def encrypt(message: int, public_key: Element, rng: Rng) -> tuple[Ciphertext, Scalar]:
    """Encrypt ``message`` with a fresh nonce; returns the ciphertext and the (secret) nonce."""
    nonce = random_scalar(rng)
    return encrypt_with_nonce(message, nonce, public_key), nonce


def trivial_encryption(message: int) -> Ciphertext:
    """``Enc(m; 0) = (identity, m·G)``, a public constant used in homomorphic differences."""
    return Ciphertext(IDENTITY, base_mul(Scalar.of(message)))


def add_ciphertexts(ciphertexts: Iterable[Ciphertext]) -> Ciphertext:
    """The homomorphic sum (``Enc(0; 0)`` for an empty input)."""
    total = Ciphertext(IDENTITY, IDENTITY)
    for ciphertext in ciphertexts:
        total = total + ciphertext
    return total


def decrypt_to_element(ciphertext: Ciphertext, secret_key: Scalar) -> Element:
    """``beta − s·alpha = m·G`` with a single secret key (tests and single-authority use)."""
    return ciphertext.beta - secret_key * ciphertext.alpha


@lru_cache(maxsize=4)
def _baby_steps(size: int) -> dict[bytes, int]:
    table: dict[bytes, int] = {}
    point = IDENTITY
    for j in range(size):
        table[point.data] = j
        point = point + GENERATOR
    return table


def discrete_log(element: Element, bound: int = DEFAULT_DLOG_BOUND) -> int:
    """The m in [0, bound] with ``m·G = element``, by baby-step giant-step; raises :class:`DlogNotFound`.

    Cost: ⌈√(bound+1)⌉ additions to build the (cached) table and at most as many subtractions per search.
    """
    if bound < 0:
        raise DlogNotFound("negative bound", details={"bound": bound})
    size = max(1, math.isqrt(bound) + 1)
    table = _baby_steps(size)
    giant = base_mul(Scalar(size))
    point = element
    for i in range(bound // size + 1):
        j = table.get(point.data)
        if j is not None and i * size + j <= bound:
            return i * size + j
        point = point - giant
    raise DlogNotFound("no plaintext in range", details={"bound": bound})
