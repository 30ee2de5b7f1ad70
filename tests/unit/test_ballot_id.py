"""The ballot id format (spec/crypto.md §7.9): refused where a ballot is built or parsed, with one code."""

from __future__ import annotations

import json

import pytest

from saylau.crypto import codec
from saylau.crypto.ballot import BALLOT_ID_PATTERN, EncryptedBallot, SpoiledOpening, check_ballot_id, encrypt_ballot
from saylau.crypto.credentials import issue_credential, signing_key
from saylau.crypto.errors import EncodingError
from saylau.crypto.group import GENERATOR
from saylau.io.ballot_body import BadBallotId, parse_ballot, parse_spoiled
from saylau.model import InputError
from saylau.services.e2e.demo import YES_NO

MALFORMED = ["", "a" * 65, "a" * 129, "a\x00b", "\ud800", "bülletin", "A1", "a b", "a_1", "a/1", "١٢"]
WELL_FORMED = ["a", "0", "-", "ballot-1", "a" * 64, "0123456789abcdef0123456789abcdef"]


def _ballot(ballot_id: str = "ok-1") -> EncryptedBallot:
    fingerprint = "e" * 64
    secret, _ = issue_credential(fingerprint, lambda n: b"\x01" * n)
    key = signing_key(secret, fingerprint)
    ballot, _ = encrypt_ballot(YES_NO, [[1, 0]], GENERATOR, fingerprint, ballot_id, key, lambda n: b"\x02" * n)
    return ballot


def test_the_pattern_is_the_spec_s() -> None:
    assert BALLOT_ID_PATTERN == "[0-9a-z-]{1,64}"


@pytest.mark.parametrize("ballot_id", WELL_FORMED)
def test_well_formed_ids_pass(ballot_id: str) -> None:
    check_ballot_id(ballot_id)
    assert codec.loads(EncryptedBallot, codec.dumps(_ballot(ballot_id))).ballot_id == ballot_id


@pytest.mark.parametrize("ballot_id", MALFORMED)
def test_malformed_ids_cannot_be_built(ballot_id: str) -> None:
    with pytest.raises(EncodingError) as err:
        _ballot(ballot_id)
    assert err.value.code == "bad_ballot_id"
    with pytest.raises(EncodingError) as err:
        SpoiledOpening(ballot_id, ((1, 0),), ())
    assert err.value.code == "bad_ballot_id"


@pytest.mark.parametrize("ballot_id", [b for b in MALFORMED if b != "\ud800"])
def test_malformed_ids_are_refused_when_parsed(ballot_id: str) -> None:
    plain = json.loads(codec.dumps(_ballot()))
    plain["ballot_id"] = ballot_id
    text = json.dumps(plain)  # ASCII: a lone surrogate is the escape \ud800
    with pytest.raises(EncodingError) as err:
        codec.loads(EncryptedBallot, text)
    assert (err.value.code, err.value.details["path"]) == ("bad_ballot_id", ".ballot_id")
    with pytest.raises(BadBallotId) as refused:
        parse_ballot(text.encode())
    assert refused.value.code == "bad_ballot_id"
    assert [p.rule for p in refused.value.problems] == ["bad_ballot_id"]
    body = json.dumps({"ballot": plain, "opening": {"ballot_id": ballot_id, "choices": [[1, 0]], "nonces": [[]]}})
    with pytest.raises(BadBallotId):
        parse_spoiled(body.encode())


def test_a_ballot_id_of_another_type_is_refused() -> None:
    plain = json.loads(codec.dumps(_ballot()))
    for value in (1, None, ["a"], {"a": 1}):
        with pytest.raises(BadBallotId):
            parse_ballot(json.dumps(plain | {"ballot_id": value}).encode())


def test_lone_surrogates_elsewhere_are_refused_by_the_strict_reader() -> None:
    plain = json.loads(codec.dumps(_ballot()))
    plain["questions"][0]["question_id"] = "\udfff"
    with pytest.raises(InputError) as err:
        parse_ballot(json.dumps(plain).encode())
    assert err.value.problems[0].rule == "crypto_json_syntax"  # the strict JSON reader refuses it anywhere


def test_ballot_size_is_bounded_before_decoding() -> None:
    plain = json.loads(codec.dumps(_ballot()))
    many = plain | {"questions": plain["questions"] * 300}
    with pytest.raises(InputError) as err:
        parse_ballot(json.dumps(many).encode())
    assert err.value.problems[0].rule == "ballot_too_large"
    two = plain | {"questions": plain["questions"] * 2}  # the election has one question
    with pytest.raises(InputError) as err:
        parse_ballot(json.dumps(two).encode(), YES_NO)
    assert err.value.problems[0].rule == "ballot_too_large"
    wide = json.loads(json.dumps(plain))
    wide["questions"][0]["selections"] *= 3  # a compact question sends one ciphertext
    with pytest.raises(InputError) as err:
        parse_ballot(json.dumps(wide).encode(), YES_NO)
    assert err.value.problems[0].rule == "ballot_too_large"
    assert parse_ballot(json.dumps(plain).encode(), YES_NO).ballot_id == "ok-1"


def test_deep_nesting_and_huge_integers_are_bad_input() -> None:
    for body in (b"[" * 100_000 + b"]" * 100_000, b'{"ballot_id": 1' + b"1" * 5000 + b"}"):
        with pytest.raises(InputError):
            parse_ballot(body)
        with pytest.raises(InputError):
            parse_spoiled(body)


def test_a_lone_surrogate_is_refused_by_the_strict_json_reader_before_the_id_is_read() -> None:
    plain = json.loads(codec.dumps(_ballot()))
    plain["ballot_id"] = "\ud800"
    text = json.dumps(plain)  # ASCII: the escape \ud800
    with pytest.raises(EncodingError) as err:
        codec.loads(EncryptedBallot, text)
    assert err.value.code == "crypto_json_syntax"
    with pytest.raises(InputError) as refused:
        parse_ballot(text.encode())
    assert refused.value.code == "bad_input"
