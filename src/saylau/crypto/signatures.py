"""Verification of the standard signatures a browser makes with WebCrypto: Ed25519 and ECDSA P-256 (SHA-256).

Used by the petitions' online channel (spec/petitions.md §3). Verification only: the server never holds a
signer's private key.

- Ed25519 (RFC 8032) through libsodium's ``crypto_sign_verify_detached``, from the libsodium that the pinned
  ``rbcl`` bundles (the library saylau.crypto.group already loads; rbcl's Python surface wraps only
  ristretto255, so the one symbol is called through its ``ctypes`` handle). libsodium rejects non-canonical
  and small-order keys and non-canonical ``S`` (its documented strict verification).
- ECDSA over P-256 with SHA-256 (FIPS 186-5; WebCrypto's ``{name: "ECDSA", hash: "SHA-256"}``) through the
  ``cryptography`` package. WebCrypto gives the signature as the raw 64 bytes ``r || s`` (IEEE P1363), not
  DER; the public key as the 65-byte uncompressed point ``0x04 || x || y`` (``exportKey("raw")``).

Each function returns a verdict (``VALID`` or ``Invalid(BAD_SIGNATURE | BAD_SHAPE, where)``), never raises on
bad input: a forged or malformed signature is an expected answer, not an error.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Literal, assert_never

import rbcl  # type: ignore[import-untyped]  # loads the bundled libsodium (rbcl._sodium)
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from saylau.crypto.errors import VALID, FailureCode, Invalid, Verdict

__all__ = [
    "ED25519_KEY_BYTES",
    "ED25519_SIGNATURE_BYTES",
    "P256_KEY_BYTES",
    "P256_SIGNATURE_BYTES",
    "SignatureAlgorithm",
    "verify_ed25519",
    "verify_p256",
    "verify_signature",
]

SignatureAlgorithm = Literal["ed25519", "ecdsa-p256"]
ED25519_KEY_BYTES = 32
ED25519_SIGNATURE_BYTES = 64
P256_KEY_BYTES = 65  # 0x04 || x || y
P256_SIGNATURE_BYTES = 64  # r || s, 32 bytes each, big-endian

_ = rbcl  # imported for its side effect: the library below
_SODIUM = sys.modules["rbcl._sodium"]._sodium
_VERIFY = _SODIUM.crypto_sign_ed25519_verify_detached
_VERIFY.argtypes = (ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulonglong, ctypes.c_char_p)
_VERIFY.restype = ctypes.c_int


def verify_ed25519(public_key: bytes, message: bytes, signature: bytes) -> Verdict:
    """Ed25519 (RFC 8032 §5.1.7) by libsodium: 0 from ``crypto_sign_ed25519_verify_detached`` is valid."""
    if len(public_key) != ED25519_KEY_BYTES:
        return Invalid(FailureCode.BAD_SHAPE, "public_key")
    if len(signature) != ED25519_SIGNATURE_BYTES:
        return Invalid(FailureCode.BAD_SHAPE, "signature")
    ok = _VERIFY(signature, message, len(message), public_key) == 0
    return VALID if ok else Invalid(FailureCode.BAD_SIGNATURE, "signature")


def verify_p256(public_key: bytes, message: bytes, signature: bytes) -> Verdict:
    """ECDSA P-256 / SHA-256 over ``message``; the key uncompressed (65 bytes), the signature raw ``r || s``."""
    if len(public_key) != P256_KEY_BYTES or public_key[0] != 4:
        return Invalid(FailureCode.BAD_SHAPE, "public_key")
    if len(signature) != P256_SIGNATURE_BYTES:
        return Invalid(FailureCode.BAD_SHAPE, "signature")
    try:
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public_key)
    except ValueError:  # not a point on the curve
        return Invalid(FailureCode.BAD_SHAPE, "public_key")
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    try:
        key.verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return Invalid(FailureCode.BAD_SIGNATURE, "signature")
    return VALID


def verify_signature(algorithm: SignatureAlgorithm, public_key: bytes, message: bytes, signature: bytes) -> Verdict:
    """Dispatch on the algorithm's name (spec/petitions.md §3)."""
    match algorithm:
        case "ed25519":
            return verify_ed25519(public_key, message, signature)
        case "ecdsa-p256":
            return verify_p256(public_key, message, signature)
        case _:
            assert_never(algorithm)
