"""Secret files (spec/record.md §8) are strict JSON: a key written twice is refused, as the exchange files and
the crypto codec always refused it (before, ``json.loads`` kept the last value without a word)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest

from saylau.crypto.keys import CeremonyParams, KeyShare, generate_guardian
from saylau.crypto.proofs import ProofContext
from saylau.io.secret_files import (
    CREDENTIAL,
    SecretFileError,
    key_share_bytes,
    parse_credential,
    parse_key_share,
    parse_polynomial,
    polynomial_bytes,
)
from saylau.services.e2e.files import read_credential, read_polynomial, write_credential_files, write_polynomial

FP = "ab" * 32
RNG = secrets.token_bytes


def _twice(data: bytes, key: str, value: bytes) -> bytes:
    """The file with ``"key": value`` written once more, as its last entry (still well-formed JSON)."""
    assert data.endswith(b"}\n")
    return data[:-2] + b',"' + key.encode() + b'":' + value + b"}\n"


def _rewrite(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    os.chmod(path, 0o600)


def test_a_credential_file_with_a_key_twice_is_refused(tmp_path: Path) -> None:
    write_credential_files("e1", FP, 1, tmp_path / "creds", RNG)
    path = next((tmp_path / "creds").iterdir())
    assert read_credential(path, FP).election == "e1"
    other = b'"' + secrets.token_hex(32).encode() + b'"'
    _rewrite(path, _twice(path.read_bytes(), "credential", other))
    with pytest.raises(SecretFileError) as refused:
        read_credential(path, FP)
    assert refused.value.code == "secret_file_syntax"
    assert other.decode().strip('"') not in refused.value.message  # the message never quotes a secret


def test_a_polynomial_file_with_the_envelope_twice_is_refused(tmp_path: Path) -> None:
    secrets_, commitment = generate_guardian(1, CeremonyParams(1, 1), ProofContext(FP), RNG)
    path = tmp_path / "g1.json"
    write_polynomial(path, "e1", FP, secrets_, commitment)
    assert read_polynomial(path, FP).secrets.index == 1
    _rewrite(path, _twice(path.read_bytes(), "fingerprint", b'"' + FP.encode() + b'"'))
    with pytest.raises(SecretFileError) as refused:
        read_polynomial(path, FP)
    assert refused.value.code == "secret_file_syntax"


def test_a_key_twice_deep_inside_is_refused_too() -> None:
    secrets_, commitment = generate_guardian(1, CeremonyParams(1, 1), ProofContext(FP), RNG)
    data = polynomial_bytes("e1", FP, secrets_, commitment)
    assert parse_polynomial(data, "g1.json", FP).commitment == commitment
    inner = data.replace(b'"index":1', b'"index":1,"index":1', 1)
    assert inner != data
    with pytest.raises(SecretFileError) as refused:
        parse_polynomial(inner, "g1.json", FP)
    assert (refused.value.code, refused.value.details["json"]) == ("secret_file_syntax", "json_duplicate")


def test_the_formats_round_trip_and_check_their_secrets() -> None:
    secrets_, commitment = generate_guardian(1, CeremonyParams(1, 1), ProofContext(FP), RNG)
    share_key = commitment.commitments[0]
    share = KeyShare(1, secrets_.coefficients[0])
    assert parse_key_share(key_share_bytes("e1", FP, share, share_key), "k.json", FP).share_key == share_key
    with pytest.raises(SecretFileError) as refused:
        parse_key_share(key_share_bytes("e1", FP, share, commitment.auth_key), "k.json", FP)
    assert refused.value.code == "secret_file_mismatch"
    with pytest.raises(SecretFileError) as refused:
        parse_credential(key_share_bytes("e1", FP, share, share_key), "k.json", FP)
    assert refused.value.code == "secret_file_purpose"
    assert CREDENTIAL in refused.value.message
