"""Length-prefixed hash encoding (spec/crypto.md §2), written from the spec text alone."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from typing import Union

from saylau_verify.crypto.group import ELL

__all__ = ["DOMAIN", "Element", "Part", "Scalar", "enc", "h_hex", "h_scalar", "hash_input", "short_code"]

DOMAIN = "saylau-crypto-v1"


class Element(bytes):
    """Marks 32 bytes as a group element for the encoding (type 0x04)."""

    __slots__ = ()


class Scalar(int):
    """Marks an int as a scalar for the encoding (type 0x05, 32 bytes little-endian)."""

    __slots__ = ()


Part = Union[bytes, str, int, Sequence["Part"]]  # noqa: UP007  (recursive alias)


def _frame(kind: int, payload: bytes) -> bytes:
    return bytes((kind,)) + len(payload).to_bytes(8, "big") + payload


def enc(part: Part) -> bytes:
    """Spec 2.1: type ‖ u64be(len(payload)) ‖ payload."""
    if isinstance(part, Element):
        if len(part) != 32:
            raise ValueError("an element is 32 bytes")
        return _frame(0x04, bytes(part))
    if isinstance(part, bytes):
        return _frame(0x01, part)
    if isinstance(part, str):
        return _frame(0x02, part.encode("utf-8"))
    if isinstance(part, bool):
        raise TypeError("booleans are not encodable")
    if isinstance(part, Scalar):
        if not 0 <= part < ELL:
            raise ValueError("scalar out of range")
        return _frame(0x05, int(part).to_bytes(32, "little"))
    if isinstance(part, int):
        if part < 0:
            raise ValueError("negative integers are not encodable")
        return _frame(0x03, part.to_bytes((part.bit_length() + 7) // 8, "big"))
    if isinstance(part, (list, tuple)):
        return _frame(0x06, b"".join(enc(item) for item in part))
    raise TypeError(f"not encodable: {type(part).__name__}")


def hash_input(purpose: str, parts: Sequence[Part]) -> bytes:
    """Spec 2.2: enc(("saylau-crypto-v1", purpose, part₁, …))."""
    return enc((DOMAIN, purpose, *parts))


def h_scalar(purpose: str, *parts: Part) -> int:
    """Spec 2.3: SHA-512 of the input, little-endian, mod ℓ."""
    return int.from_bytes(hashlib.sha512(hash_input(purpose, parts)).digest(), "little") % ELL


def h_hex(purpose: str, *parts: Part) -> str:
    """Spec 2.3: SHA-256 of the input, lowercase hex."""
    return hashlib.sha256(hash_input(purpose, parts)).hexdigest()


def short_code(full_hex: str) -> str:
    """Spec 9.1: base32 of the first 10 bytes, 16 characters in 4 groups of 4."""
    text = base64.b32encode(bytes.fromhex(full_hex)[:10]).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, 16, 4))
