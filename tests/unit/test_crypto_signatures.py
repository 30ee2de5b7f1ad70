"""Ed25519 (libsodium through rbcl) and ECDSA P-256 (cryptography) verification of WebCrypto-shaped signatures
(saylau.crypto.signatures; spec/petitions.md §3), against RFC 8032's first test vector and fresh keys."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from saylau.crypto.errors import FailureCode, Invalid
from saylau.crypto.signatures import verify_ed25519, verify_p256, verify_signature

# RFC 8032 §7.1, TEST 1: the empty message
RFC_KEY = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
RFC_SIG = bytes.fromhex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
)


def test_ed25519_accepts_the_rfc_vector_and_refuses_any_change() -> None:
    assert verify_ed25519(RFC_KEY, b"", RFC_SIG)
    assert verify_ed25519(RFC_KEY, b"x", RFC_SIG) == Invalid(FailureCode.BAD_SIGNATURE, "signature")
    flipped = RFC_SIG[:10] + bytes([RFC_SIG[10] ^ 1]) + RFC_SIG[11:]
    assert not verify_signature("ed25519", RFC_KEY, b"", flipped)
    assert verify_ed25519(RFC_KEY[:31], b"", RFC_SIG) == Invalid(FailureCode.BAD_SHAPE, "public_key")
    assert verify_ed25519(RFC_KEY, b"", RFC_SIG[:63]) == Invalid(FailureCode.BAD_SHAPE, "signature")


def test_p256_accepts_webcrypto_raw_signatures_and_refuses_forgeries() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    r, s = decode_dss_signature(key.sign(b"statement", ec.ECDSA(hashes.SHA256())))
    raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    assert verify_p256(public, b"statement", raw)
    assert verify_signature("ecdsa-p256", public, b"statement", raw)
    assert verify_p256(public, b"statemenT", raw) == Invalid(FailureCode.BAD_SIGNATURE, "signature")
    other = ec.generate_private_key(ec.SECP256R1()).public_key()
    other_raw = other.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    assert not verify_p256(other_raw, b"statement", raw)
    assert verify_p256(b"\x04" + b"\x01" * 64, b"m", raw) == Invalid(FailureCode.BAD_SHAPE, "public_key")
    assert verify_p256(public[1:] + b"\x00", b"m", raw) == Invalid(FailureCode.BAD_SHAPE, "public_key")
    assert verify_p256(public, b"m", raw[:63]) == Invalid(FailureCode.BAD_SHAPE, "signature")
