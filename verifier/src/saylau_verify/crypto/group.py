"""ristretto255 through the libsodium that rbcl bundles, bound directly with ctypes (spec/crypto.md §1).

Elements are plain 32-byte ``bytes`` (canonical encodings); scalars are Python ints in [0, ℓ).
Only rbcl's loaded shared object is used: none of rbcl's Python wrappers, none of saylau.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import importlib
import os
import sys
from typing import Any

__all__ = [
    "ELL",
    "GENERATOR",
    "IDENTITY",
    "PEDERSEN_H",
    "GroupError",
    "add",
    "base_mul",
    "decode_element",
    "decode_scalar",
    "derive_generator",
    "is_valid",
    "mul",
    "sub",
    "sum_elements",
]

ELL = 2**252 + 27742317777372353535851937790883648493
"""ℓ, the prime order of ristretto255 (spec 1.1)."""

IDENTITY = bytes(32)
GENERATOR = bytes.fromhex("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76")


class GroupError(ValueError):
    """A byte string is not a canonical scalar or element."""


def _load() -> Any:
    """rbcl's loaded libsodium; the temporary copy rbcl 1.1.2 writes at import (``rbcl/_sodium.py``:
    ``NamedTemporaryFile(delete=False)``, never removed) is deleted once loaded. On POSIX a mapped library
    outlives its name (unlink(2)); where deletion fails (a loaded DLL on Windows) the file stays."""
    importlib.import_module("rbcl")
    module = sys.modules["rbcl._sodium"]
    path = getattr(module, "lib_path", None)
    if isinstance(path, str):
        with contextlib.suppress(OSError):
            os.unlink(path)
    return module._sodium


_lib = _load()
_mul = _lib.crypto_scalarmult_ristretto255
_base = _lib.crypto_scalarmult_ristretto255_base
_add = _lib.crypto_core_ristretto255_add
_sub = _lib.crypto_core_ristretto255_sub
_valid = _lib.crypto_core_ristretto255_is_valid_point
_from_hash = _lib.crypto_core_ristretto255_from_hash
_buf = ctypes.create_string_buffer


def decode_scalar(data: bytes) -> int:
    """Spec 1.1: exactly 32 bytes little-endian, value < ℓ."""
    if len(data) != 32:
        raise GroupError(f"a scalar is 32 bytes, got {len(data)}")
    value = int.from_bytes(data, "little")
    if value >= ELL:
        raise GroupError("non-canonical scalar (>= l)")
    return value


def is_valid(data: bytes) -> bool:
    """libsodium's canonical-encoding check (accepts the identity)."""
    return len(data) == 32 and _valid(data) == 1


def decode_element(data: bytes, allow_identity: bool = False) -> bytes:
    """Spec 1.2: a canonical ristretto255 encoding; the identity only where allowed."""
    if len(data) != 32:
        raise GroupError(f"an element is 32 bytes, got {len(data)}")
    if _valid(data) != 1:
        raise GroupError("not a canonical ristretto255 encoding")
    if not allow_identity and data == IDENTITY:
        raise GroupError("identity element not allowed here")
    return bytes(data)


def mul(scalar: int, point: bytes) -> bytes:
    """scalar·point (spec 1.3: a zero product is the identity; libsodium wrote it before returning -1)."""
    out = _buf(32)
    _mul(out, (scalar % ELL).to_bytes(32, "little"), point)
    return out.raw


def base_mul(scalar: int) -> bytes:
    """scalar·G."""
    out = _buf(32)
    _base(out, (scalar % ELL).to_bytes(32, "little"))
    return out.raw


def add(p: bytes, q: bytes) -> bytes:
    out = _buf(32)
    if _add(out, p, q) != 0:
        raise GroupError("addition of invalid elements")
    return out.raw


def sub(p: bytes, q: bytes) -> bytes:
    out = _buf(32)
    if _sub(out, p, q) != 0:
        raise GroupError("subtraction of invalid elements")
    return out.raw


def sum_elements(points: list[bytes]) -> bytes:
    total = IDENTITY
    for point in points:
        total = add(total, point)
    return total


def derive_generator(label: str) -> bytes:
    """Spec 1.4: from_hash(SHA-512(u64be(26) ‖ "saylau-crypto-v1/generator" ‖ u64be(len) ‖ label))."""
    tag = b"saylau-crypto-v1/generator"
    raw = label.encode()
    digest = hashlib.sha512(len(tag).to_bytes(8, "big") + tag + len(raw).to_bytes(8, "big") + raw).digest()
    out = _buf(32)
    _from_hash(out, digest)
    return out.raw


PEDERSEN_H = derive_generator("H")
