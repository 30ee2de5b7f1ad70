"""Group, encodings and hashing: canonical forms, identity handling, unambiguous hash encoding."""

from __future__ import annotations

import hashlib

import pytest
import rbcl  # type: ignore[import-untyped]
from tests.unit.test_crypto_support import Drbg

from saylau.crypto.errors import EncodingError
from saylau.crypto.group import (
    GENERATOR,
    GROUP_ORDER,
    IDENTITY,
    PEDERSEN_H,
    Element,
    Scalar,
    base_mul,
    derive_generator,
    random_scalar,
)
from saylau.crypto.hashing import encode_part, hash_hex, hash_to_scalar, short_code

# RFC 9496 appendix A.1: multiples of the generator (0·G … 3·G) and a non-canonical encoding (A.2).
RFC_MULTIPLES = [
    "0000000000000000000000000000000000000000000000000000000000000000",
    "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76",
    "6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919",
    "94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259",
]
NON_CANONICAL = [
    "00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",  # non-canonical field element
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0100000000000000000000000000000000000000000000000000000000000000",  # negative field element
    "26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371",  # not square
]


def test_rfc9496_multiples_of_the_generator() -> None:
    for k, hex_ in enumerate(RFC_MULTIPLES):
        assert base_mul(Scalar(k)).hex() == hex_
        assert (Scalar(k) * GENERATOR).hex() == hex_


@pytest.mark.parametrize("hex_", NON_CANONICAL)
def test_non_canonical_elements_are_rejected(hex_: str) -> None:
    with pytest.raises(EncodingError) as info:
        Element.decode(bytes.fromhex(hex_))
    assert info.value.code == "crypto_element_invalid"


def test_identity_is_rejected_unless_allowed() -> None:
    with pytest.raises(EncodingError) as info:
        Element.decode(bytes(32))
    assert info.value.code == "crypto_element_identity"
    assert Element.decode(bytes(32), allow_identity=True) == IDENTITY


def test_scalar_canonical_encoding() -> None:
    assert Scalar.decode((GROUP_ORDER - 1).to_bytes(32, "little")) == Scalar(GROUP_ORDER - 1)
    for bad in (GROUP_ORDER, GROUP_ORDER + 1, 2**256 - 1):
        with pytest.raises(EncodingError):
            Scalar.decode(bad.to_bytes(32, "little"))
    with pytest.raises(EncodingError):
        Scalar.decode(b"\x00" * 31)
    with pytest.raises(EncodingError):
        Scalar(-1)


def test_zero_scalar_and_identity_results() -> None:
    assert base_mul(Scalar(0)) == IDENTITY
    assert Scalar(0) * PEDERSEN_H == IDENTITY
    assert Scalar(3) * IDENTITY == IDENTITY
    assert Scalar(GROUP_ORDER - 1) * PEDERSEN_H + PEDERSEN_H == IDENTITY
    assert -PEDERSEN_H + PEDERSEN_H == IDENTITY


def test_reduction_matches_libsodium() -> None:
    rng = Drbg("reduce")
    for _ in range(20):
        digest = rng(64)
        assert Scalar.from_digest(digest).encode() == rbcl.crypto_core_ristretto255_scalar_reduce(digest)


def test_generator_h_is_derived_from_a_public_seed() -> None:
    tag = b"saylau-crypto-v1/generator"
    seed = len(tag).to_bytes(8, "big") + tag + (1).to_bytes(8, "big") + b"H"
    expected = rbcl.crypto_core_ristretto255_from_hash(hashlib.sha512(seed).digest())
    assert PEDERSEN_H.data == expected
    assert derive_generator("H") == PEDERSEN_H != derive_generator("H2")
    assert PEDERSEN_H not in (GENERATOR, IDENTITY)


def test_hash_encoding_is_unambiguous() -> None:
    assert encode_part(("a|b",)) != encode_part(("a", "b"))
    assert hash_hex("p", "a|b") != hash_hex("p", "a", "b")
    assert hash_hex("p", "ab", "c") != hash_hex("p", "a", "bc")
    assert hash_hex("p", b"1") != hash_hex("p", "1") != hash_hex("p", 0x31)
    assert hash_hex("p", ("a", "b")) != hash_hex("p", "a", "b")
    assert hash_hex("p", 0) != hash_hex("p", b"")
    assert hash_hex("p", "x") != hash_hex("q", "x")
    assert hash_to_scalar("p", "x") != hash_to_scalar("p", "y")
    assert encode_part(5) == b"\x03" + (1).to_bytes(8, "big") + b"\x05"
    assert encode_part(0) == b"\x03" + bytes(8)


@pytest.mark.parametrize("bad", [True, -1, 1.5, None, {"a": 1}])
def test_hash_refuses_ambiguous_parts(bad: object) -> None:
    with pytest.raises(EncodingError):
        encode_part(bad)  # type: ignore[arg-type]


def test_short_code_form() -> None:
    code = short_code(hash_hex("p", "x"))
    assert len(code) == 19
    assert code.count("-") == 3


def test_random_scalar_uses_the_injected_rng() -> None:
    assert random_scalar(Drbg(1)) == random_scalar(Drbg(1)) != random_scalar(Drbg(2))
