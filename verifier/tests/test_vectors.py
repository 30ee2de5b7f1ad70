"""The committed crypto vectors (spec/vectors/crypto/*.json) check out with the verifier's own code."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import vector
from saylau_verify.crypto.ballot import (
    ballot_hash,
    derive_option,
    is_compact,
    next_tracking_code,
    option_ciphertexts,
    tracking_genesis,
    verify_ballot,
)
from saylau_verify.crypto.group import ELL, GENERATOR, IDENTITY, PEDERSEN_H, add
from saylau_verify.crypto.hashing import Element, h_hex, h_scalar, hash_input, short_code
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
    wider = (questions[0], dataclasses.replace(questions[1], max_selections=3))
    assert verify_ballot(ballot, wider, key, election) == ["range proof fails at question[1]"]
    assert verify_ballot(ballot, questions + questions, key, election)[0].startswith("has 2 questions")
    assert ballot_hash(renamed, election) != d["ballot_hash"]
    # q1 (exactly 1 of 2) is compact: under a 0..1 spec it is a general question and has the wrong shape.
    general = (dataclasses.replace(questions[0], min_selections=0), questions[1])
    (problem,) = verify_ballot(ballot, general, key, election)
    assert problem.startswith("question[0]: question id or ciphertext count differs")
    # The compact proof is bound to its purpose: relabelled as a general 0/1 proof it fails.
    sel = ballot.questions[0].selections[0]
    ctx = (election, ("ballot", ballot.ballot_id, Element(ballot.credential), 0, "q1", 0))
    args = (key, sel.ciphertext.alpha, sel.ciphertext.beta, 0, 1, sel.proof.challenges, sel.proof.responses, ctx)
    assert verify_range("compact-0-1", *args)
    assert not verify_range("selection-0-1", *args)


def test_ballot_vector_compact_and_general_forms() -> None:
    """Spec 7.2: q1 is sent as one ciphertext with an empty range proof; 7.8: the derived option matches."""
    d, ballot, questions, _key = _ballot_fixture()
    assert [is_compact(q) for q in questions] == [True, False]
    q1, q2 = ballot.questions
    assert (len(q1.selections), q1.range_proof.challenges, q1.range_proof.responses) == (1, (), ())
    assert len(q2.selections) == 3
    assert len(q2.range_proof.challenges) == 3
    expected = [
        [(element(c["alpha"], "a", True), element(c["beta"], "b", True)) for c in row]
        for row in d["option_ciphertexts"]
    ]
    assert [option_ciphertexts(spec, q) for spec, q in zip(questions, ballot.questions, strict=True)] == expected
    y = q1.selections[0].ciphertext
    n_alpha, n_beta = derive_option(y.alpha, y.beta)
    assert add(y.alpha, n_alpha) == IDENTITY
    assert add(y.beta, n_beta) == GENERATOR


@pytest.mark.parametrize("name", ["ballot.json", "hashing.json", "range.json", "schnorr.json"])
def test_vectors_present(name: str) -> None:
    assert vector(name)
