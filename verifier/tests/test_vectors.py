"""The committed crypto vectors (spec/vectors/crypto/*.json) check out with the verifier's own code."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import vector
from saylau_verify.crypto.ballot import ballot_hash, next_tracking_code, tracking_genesis, verify_ballot
from saylau_verify.crypto.group import ELL, PEDERSEN_H
from saylau_verify.crypto.hashing import h_hex, h_scalar, hash_input, short_code
from saylau_verify.crypto.proofs import verify_range, verify_schnorr
from saylau_verify.jsonread import element, scalar
from saylau_verify.model import Proof, QuestionSpec
from saylau_verify.parse import parse_ballot

PARTS = {
    "[]": [],
    "['a|b']": ["a|b"],
    "['a', 'b']": ["a", "b"],
    "[b'\\x00\\x01', 0, 255, 18446744073709551616]": [b"\x00\x01", 0, 255, 2**64],
    "[['nested', [1, 2]], 'x']": [["nested", [1, 2]], "x"],
}


def test_hashing_vectors() -> None:
    data = vector("hashing.json")
    assert PEDERSEN_H.hex() == data["generator_H"]
    for case in data["cases"]:
        parts = PARTS[case["parts"]]
        assert hash_input(case["purpose"], parts).hex() == case["encoding"]
        assert h_hex(case["purpose"], *parts) == case["sha256"]
        assert h_scalar(case["purpose"], *parts).to_bytes(32, "little").hex() == case["challenge"]


def test_schnorr_vector_and_tamper() -> None:
    d = vector("schnorr.json")
    ctx = (d["election"], tuple(d["binding"]))
    public = element(d["public"], "public")
    c, u = scalar(d["proof"]["challenge"], "c"), scalar(d["proof"]["response"], "u")
    assert verify_schnorr(public, c, u, ctx)
    assert not verify_schnorr(public, c, (u + 1) % ELL, ctx)
    assert not verify_schnorr(public, c, u, (d["election"], ("other",)))
    assert not verify_schnorr(bytes(32), c, u, ctx)


def _range_args(d: dict) -> tuple:
    return (
        element(d["public_key"], "k"),
        element(d["ciphertext"]["alpha"], "a"),
        element(d["ciphertext"]["beta"], "b"),
        d["low"],
        d["high"],
        [scalar(x, "c") for x in d["proof"]["challenges"]],
        [scalar(x, "u") for x in d["proof"]["responses"]],
    )


def test_range_vector_and_tamper() -> None:
    d = vector("range.json")
    ctx = (d["election"], tuple(d["binding"]))
    key, alpha, beta, low, high, cs, us = _range_args(d)
    assert verify_range("elgamal-range", key, alpha, beta, low, high, cs, us, ctx)
    assert not verify_range("selection-0-1", key, alpha, beta, low, high, cs, us, ctx)  # purpose is bound
    assert not verify_range("elgamal-range", key, beta, alpha, low, high, cs, us, ctx)
    assert not verify_range("elgamal-range", key, alpha, beta, low, high + 1, cs, us, ctx)  # lengths
    assert not verify_range("elgamal-range", key, alpha, beta, low, high, cs[::-1], us[::-1], ctx)
    assert not verify_range("elgamal-range", key, alpha, beta, low, high, cs, [us[0], (us[1] + 1) % ELL], ctx)


def _ballot_fixture() -> tuple:
    d = vector("ballot.json")
    ballot = parse_ballot(d["ballot"], "$")
    questions = tuple(
        QuestionSpec(q["question_id"], tuple(q["options"]), q["min_selections"], q["max_selections"])
        for q in d["questions"]
    )
    return d, ballot, questions, element(d["public_key"], "K")


def test_ballot_vector() -> None:
    d, ballot, questions, key = _ballot_fixture()
    assert verify_ballot(ballot, questions, key, d["election"]) == []
    digest = ballot_hash(ballot, d["election"])
    assert digest == d["ballot_hash"]
    code = next_tracking_code(d["election"], tracking_genesis(d["election"]), digest)
    assert code == d["tracking_code"]["full"]
    assert short_code(code) == d["tracking_code"]["short"]


def test_ballot_vector_tampered() -> None:
    d, ballot, questions, key = _ballot_fixture()
    election = d["election"]
    renamed = dataclasses.replace(ballot, ballot_id="ballot-2")
    assert "signature fails" in verify_ballot(renamed, questions, key, election)
    assert any("selection proof fails" in p for p in verify_ballot(renamed, questions, key, election))
    sig = ballot.signature
    resigned = dataclasses.replace(ballot, signature=Proof(sig.challenge, (sig.response + 1) % ELL))
    assert verify_ballot(resigned, questions, key, election) == ["signature fails"]
    assert verify_ballot(ballot, questions, key, "0" * 64) != []
    wider = (dataclasses.replace(questions[0], min_selections=0),)
    assert verify_ballot(ballot, wider, key, election) == ["range proof fails at question[0]"]
    assert verify_ballot(ballot, questions + questions, key, election)[0].startswith("has 1 questions")
    assert ballot_hash(renamed, election) != d["ballot_hash"]


@pytest.mark.parametrize("name", ["ballot.json", "hashing.json", "range.json", "schnorr.json"])
def test_vectors_present(name: str) -> None:
    assert vector(name)
