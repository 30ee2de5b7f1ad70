"""The ristretto255 group (RFC 9496) through libsodium, as bundled by the pinned ``rbcl`` package.

:class:`Scalar` is an integer modulo the group order ℓ with a canonical 32-byte little-endian encoding;
scalar arithmetic is done on Python integers (exact, fast). :class:`Element` is a group element held in its
canonical 32-byte encoding; every operation calls libsodium. Identity handling (spec/crypto.md §1.3):
libsodium's ``crypto_scalarmult_ristretto255*`` return -1 when the result is the identity; we call the
``allow_scalar_zero`` wrappers, which return the all-zero encoding (the identity) in that case, and
``crypto_core_ristretto255_is_valid_point`` accepts the all-zero encoding, so :meth:`Element.decode`
rejects the identity itself unless the caller allows it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import overload

import rbcl  # type: ignore[import-untyped]  # no stubs; wrapped and typed here

from saylau.crypto.errors import EncodingError


def _forget_rbcl_library_file() -> None:
    """Delete the copy of libsodium that rbcl wrote to the temporary directory when it was imported.

    rbcl 1.1.2 (``rbcl/_sodium.py``) writes its bundled libsodium to ``tempfile.NamedTemporaryFile(delete=False)``
    in every process that imports it and never removes it, so each process (each worker of a pool, each CLI run)
    left ~2.7 MB in $TMPDIR. The library is mapped by then; on POSIX an unlinked file stays alive while mapped
    (unlink(2)), so removing the name right after the load is safe. Where removal fails (Windows keeps a loaded
    DLL locked) the file is left as before.
    """
    module = sys.modules.get("rbcl._sodium")
    path = getattr(module, "lib_path", None)
    if isinstance(path, str):
        with contextlib.suppress(OSError):
            os.unlink(path)


_forget_rbcl_library_file()

__all__ = [
    "ELEMENT_BYTES",
    "GENERATOR",
    "GROUP_ORDER",
    "IDENTITY",
    "PEDERSEN_H",
    "SCALAR_BYTES",
    "Element",
    "Rng",
    "Scalar",
    "base_mul",
    "derive_generator",
    "random_scalar",
    "sum_elements",
]

GROUP_ORDER = 2**252 + 27742317777372353535851937790883648493
"""ℓ, the prime order of ristretto255."""
SCALAR_BYTES = 32
ELEMENT_BYTES = 32

Rng = Callable[[int], bytes]
"""Randomness source: ``rng(n)`` returns n uniformly random bytes. Production passes ``secrets.token_bytes``."""


@dataclass(frozen=True, slots=True, order=True)
class Scalar:
    """An integer modulo ℓ. Construction rejects values outside [0, ℓ)."""

    value: int

    def __post_init__(self) -> None:
        if isinstance(self.value, bool) or not isinstance(self.value, int) or not 0 <= self.value < GROUP_ORDER:
            raise EncodingError("scalar out of range [0, l)", code="crypto_scalar_range")

    @staticmethod
    def of(n: int) -> Scalar:
        """``n mod ℓ`` for any integer n (negative allowed)."""
        return Scalar(n % GROUP_ORDER)

    @staticmethod
    def decode(data: bytes) -> Scalar:
        """Parse the canonical 32-byte little-endian encoding; values ≥ ℓ are refused."""
        if len(data) != SCALAR_BYTES:
            raise EncodingError("a scalar is 32 bytes", code="crypto_scalar_length")
        value = int.from_bytes(data, "little")
        if value >= GROUP_ORDER:
            raise EncodingError("non-canonical scalar (>= l)", code="crypto_scalar_noncanonical")
        return Scalar(value)

    @staticmethod
    def from_digest(digest: bytes) -> Scalar:
        """Reduce a 64-byte digest (little-endian) modulo ℓ, as ``crypto_core_ristretto255_scalar_reduce``."""
        if len(digest) != 64:
            raise EncodingError("scalar reduction takes 64 bytes", code="crypto_digest_length")
        return Scalar(int.from_bytes(digest, "little") % GROUP_ORDER)

    def encode(self) -> bytes:
        return self.value.to_bytes(SCALAR_BYTES, "little")

    def hex(self) -> str:
        return self.encode().hex()

    def __add__(self, other: Scalar) -> Scalar:
        return Scalar((self.value + other.value) % GROUP_ORDER)

    def __sub__(self, other: Scalar) -> Scalar:
        return Scalar((self.value - other.value) % GROUP_ORDER)

    @overload
    def __mul__(self, other: Scalar) -> Scalar: ...
    @overload
    def __mul__(self, other: Element) -> Element: ...
    def __mul__(self, other: Scalar | Element) -> Scalar | Element:
        if isinstance(other, Element):
            return other.multiply(self)
        return Scalar((self.value * other.value) % GROUP_ORDER)

    def __neg__(self) -> Scalar:
        return Scalar((-self.value) % GROUP_ORDER)

    def inverse(self) -> Scalar:
        if self.value == 0:
            raise EncodingError("zero has no inverse", code="crypto_scalar_zero")
        return Scalar(pow(self.value, -1, GROUP_ORDER))

    def __repr__(self) -> str:
        return f"Scalar({self.hex()})"


@dataclass(frozen=True, slots=True)
class Element:
    """A ristretto255 element in its canonical encoding. Build with :meth:`decode` (validating)."""

    data: bytes

    def __post_init__(self) -> None:
        if not isinstance(self.data, bytes) or len(self.data) != ELEMENT_BYTES:
            raise EncodingError("an element is 32 bytes", code="crypto_element_length")
        if not rbcl.crypto_core_ristretto255_is_valid_point(self.data):
            raise EncodingError("not a canonical ristretto255 encoding", code="crypto_element_invalid")

    @staticmethod
    def decode(data: bytes, *, allow_identity: bool = False) -> Element:
        """Validate with ``crypto_core_ristretto255_is_valid_point``; refuse the identity unless allowed."""
        element = Element(bytes(data))
        if not allow_identity and element.is_identity():
            raise EncodingError("the identity element is not allowed here", code="crypto_element_identity")
        return element

    @staticmethod
    def _trusted(data: bytes) -> Element:
        """Wrap bytes that libsodium just produced (already canonical); skips re-validation."""
        element = object.__new__(Element)
        object.__setattr__(element, "data", data)
        return element

    def is_identity(self) -> bool:
        return self.data == _ZERO

    def hex(self) -> str:
        return self.data.hex()

    def __add__(self, other: Element) -> Element:
        return Element._trusted(rbcl.crypto_core_ristretto255_add(self.data, other.data))

    def __sub__(self, other: Element) -> Element:
        return Element._trusted(rbcl.crypto_core_ristretto255_sub(self.data, other.data))

    def __neg__(self) -> Element:
        return IDENTITY - self

    def multiply(self, scalar: Scalar) -> Element:
        """``s * P``: variable-base multiplication; returns the identity for s = 0."""
        if self.data == GENERATOR.data:
            return base_mul(scalar)
        return Element._trusted(rbcl.crypto_scalarmult_ristretto255_allow_scalar_zero(scalar.encode(), self.data))

    def __repr__(self) -> str:
        return f"Element({self.hex()})"


_ZERO = bytes(ELEMENT_BYTES)
IDENTITY = Element(_ZERO)
GENERATOR = Element(bytes.fromhex("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76"))
"""G, the standard ristretto255 base point (RFC 9496 §4.4)."""


def base_mul(scalar: Scalar) -> Element:
    """``s·G`` with libsodium's fixed-base table; the identity for s = 0."""
    return Element._trusted(rbcl.crypto_scalarmult_ristretto255_base_allow_scalar_zero(scalar.encode()))


def sum_elements(elements: Iterable[Element]) -> Element:
    """Σ elements (the identity for an empty sum)."""
    total = IDENTITY
    for element in elements:
        total = total + element
    return total


def random_scalar(rng: Rng) -> Scalar:
    """A uniform scalar: 64 random bytes reduced modulo ℓ (bias < 2^-250)."""
    data = rng(64)
    if len(data) != 64:
        raise EncodingError("the rng returned the wrong number of bytes", code="crypto_rng")
    return Scalar.from_digest(data)


GENERATOR_SEED_TAG = b"saylau-crypto-v1/generator"


def derive_generator(label: str) -> Element:
    """A generator nobody knows the discrete log of: ``from_hash(SHA-512(len-prefixed tag ‖ label))``.

    Exactly (spec/crypto.md §1.4): SHA-512 over ``u64be(len(tag)) ‖ tag ‖ u64be(len(label)) ‖ label`` with
    tag = ``saylau-crypto-v1/generator`` and label UTF-8, then ``crypto_core_ristretto255_from_hash``.
    """
    raw = label.encode("utf-8")
    seed = len(GENERATOR_SEED_TAG).to_bytes(8, "big") + GENERATOR_SEED_TAG + len(raw).to_bytes(8, "big") + raw
    return Element.decode(rbcl.crypto_core_ristretto255_from_hash(hashlib.sha512(seed).digest()))


PEDERSEN_H = derive_generator("H")
"""H, a second generator for Pedersen-style commitments (reserved; derived verifiably, §1.4)."""
