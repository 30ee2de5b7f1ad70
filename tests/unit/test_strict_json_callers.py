"""Every strict reader is the one strict profile (model.strict.strict_json): the crypto codec, a ballot or
spoiled-ballot body, a secret file and an exchange file all refuse the same floats, constants and
duplicate keys at depth, each with its own stable code (spec/record.md §2, spec/crypto.md §10.1)."""

from __future__ import annotations

import json

import pytest

from saylau.crypto import codec
from saylau.crypto.ballot import EncryptedBallot, encrypt_ballot
from saylau.crypto.credentials import issue_credential, signing_key
from saylau.crypto.errors import EncodingError
from saylau.crypto.group import GENERATOR
from saylau.io.ballot_body import parse_ballot, parse_spoiled
from saylau.io.exchange_files import COMMITMENT, EXCHANGE_FILES, ExchangeFileError
from saylau.io.secret_files import CREDENTIAL, SECRET_FILES, SecretFileError
from saylau.io.strict_json import Envelope
from saylau.model import InputError
from saylau.services.e2e.demo import YES_NO

FP = "e" * 64


def _ballot_text() -> str:
    secret, _ = issue_credential(FP, lambda n: b"\x01" * n)
    key = signing_key(secret, FP)
    ballot, _ = encrypt_ballot(YES_NO, [[1, 0]], GENERATOR, FP, "ok-1", key, lambda n: b"\x02" * n)
    return codec.dumps(ballot)


def _deep_duplicate(text: str) -> str:
    """The ballot with one key of its first question's range proof written twice."""
    old = '"range_proof":{"challenges":'
    assert old in text
    return text.replace(old, '"range_proof":{"challenges":[],"challenges":', 1)


def test_the_codec_refuses_floats_constants_and_duplicates_with_its_codes() -> None:
    text = _ballot_text()
    assert codec.loads(EncryptedBallot, text).ballot_id == "ok-1"
    cases = {
        text.replace('"ballot_id":"ok-1"', '"ballot_id":1.0'): "crypto_json_float",
        text.replace('"ballot_id":"ok-1"', '"ballot_id":NaN'): "crypto_json_float",
        _deep_duplicate(text): "crypto_json_duplicate",
        text[:-1]: "crypto_json_syntax",
    }
    for bad, code in cases.items():
        assert bad != text
        with pytest.raises(EncodingError) as refused:
            codec.loads(EncryptedBallot, bad)
        assert refused.value.code == code
    with pytest.raises(EncodingError) as refused:
        codec.loads(EncryptedBallot, _deep_duplicate(text))
    assert refused.value.details["path"] == "$.questions[0].range_proof"


def test_ballot_bodies_refuse_a_duplicate_at_depth() -> None:
    bad = _deep_duplicate(_ballot_text())
    with pytest.raises(InputError) as refused:
        parse_ballot(bad.encode())
    assert refused.value.problems[0].rule == "crypto_json_duplicate"
    body = '{"ballot": ' + bad + ', "opening": {}}'
    with pytest.raises(InputError) as refused:
        parse_spoiled(body.encode())
    assert refused.value.problems[0].rule == "json"
    with pytest.raises(InputError):
        parse_spoiled(b'{"ballot": {}, "opening": {"nonces": 1.5}}')


@pytest.mark.parametrize(
    ("envelope", "purpose", "error"),
    [(SECRET_FILES, CREDENTIAL, SecretFileError), (EXCHANGE_FILES, COMMITMENT, ExchangeFileError)],
)
def test_both_file_families_refuse_a_duplicate_at_depth(envelope: Envelope, purpose: str, error: type) -> None:
    key = next(iter(envelope.bodies[purpose]))
    good = envelope.encode(purpose, "e1", FP, {key: {"a": 1}})
    assert envelope.decode(good, "f", purpose, FP)[key] == {"a": 1}
    bad = good.replace(b'{"a":1}', b'{"a":1,"a":1}')
    with pytest.raises(error) as refused:
        envelope.decode(bad, "f", purpose, FP)
    assert refused.value.code == envelope.codes.syntax
    assert refused.value.details == {"json": "json_duplicate"}
    assert json.loads(bad) == json.loads(good)  # plain json would not have noticed
