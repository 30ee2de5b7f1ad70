"""Unambiguous, purpose-tagged hashing (spec/crypto.md §2).

A value is encoded as ``type byte ‖ u64be(length of payload) ‖ payload``:

==========  ====  =====================================================================
type        byte  payload
==========  ====  =====================================================================
bytes       0x01  the bytes
str         0x02  UTF-8
int (≥ 0)   0x03  minimal big-endian (zero is the empty payload)
Element     0x04  the 32-byte canonical encoding
Scalar      0x05  the 32-byte little-endian encoding
sequence    0x06  the concatenated encodings of the items (tuple or list)
==========  ====  =====================================================================

A hash input is the encoding of the sequence ``(DOMAIN, purpose, *parts)``, so ``("a|b",)`` and
``("a", "b")`` differ in both the sequence length and the item types/lengths. Booleans, floats, negative
integers and other types are refused rather than guessed at.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence

from saylau.crypto.errors import EncodingError
from saylau.crypto.group import Element, Scalar

__all__ = [
    "DOMAIN",
    "Part",
    "encode_part",
    "hash_bytes",
    "hash_hex",
    "hash_to_scalar",
    "short_code",
]

DOMAIN = "saylau-crypto-v1"

Part = bytes | str | int | Element | Scalar | Sequence["Part"]
"""What may go into a hash: bytes, text, non-negative integers, group values and nested sequences."""


def _frame(kind: int, payload: bytes) -> bytes:
    return bytes((kind,)) + len(payload).to_bytes(8, "big") + payload


def encode_part(part: Part) -> bytes:
    """The canonical, self-delimiting encoding of one part (see the module table)."""
    if isinstance(part, bytes):
        return _frame(0x01, part)
    if isinstance(part, str):
        return _frame(0x02, part.encode("utf-8"))
    if isinstance(part, bool):
        raise EncodingError("booleans are not hashable parts; encode them as 0/1", code="crypto_hash_part")
    if isinstance(part, int):
        if part < 0:
            raise EncodingError("negative integers are not hashable parts", code="crypto_hash_part")
        return _frame(0x03, part.to_bytes((part.bit_length() + 7) // 8, "big"))
    if isinstance(part, Element):
        return _frame(0x04, part.data)
    if isinstance(part, Scalar):
        return _frame(0x05, part.encode())
    if isinstance(part, (tuple, list)):
        return _frame(0x06, b"".join(encode_part(item) for item in part))
    raise EncodingError(f"unsupported hash part of type {type(part).__name__}", code="crypto_hash_part")


def _input(purpose: str, parts: Sequence[Part]) -> bytes:
    return encode_part((DOMAIN, purpose, *parts))


def hash_bytes(purpose: str, *parts: Part) -> bytes:
    """SHA-512 of the encoded ``(DOMAIN, purpose, *parts)`` (64 bytes)."""
    return hashlib.sha512(_input(purpose, parts)).digest()


def hash_to_scalar(purpose: str, *parts: Part) -> Scalar:
    """A Fiat–Shamir challenge: :func:`hash_bytes` reduced modulo ℓ (little-endian, as libsodium)."""
    return Scalar.from_digest(hash_bytes(purpose, *parts))


def hash_hex(purpose: str, *parts: Part) -> str:
    """A fingerprint: SHA-256 of the encoded ``(DOMAIN, purpose, *parts)`` as 64 lowercase hex digits."""
    return hashlib.sha256(_input(purpose, parts)).hexdigest()


def short_code(hex_digest: str, groups: int = 4) -> str:
    """A human form of a hex digest: RFC 4648 base32 of its leading bytes, in groups of 4 characters."""
    raw = bytes.fromhex(hex_digest)[: (groups * 4 * 5 + 7) // 8]
    text = base64.b32encode(raw).decode("ascii").rstrip("=")[: groups * 4]
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))
