"""The compact form of an exactly-one-of-two question (spec/crypto.md §7.2 (b)) against forged ballots.

The ballot vector publishes its credential, so these tests re-sign every tampered ballot (spec 6.1, 6.2):
only the proofs can catch the tamper. The small prover here follows spec 4.3 (tests only, never the verifier).
"""

from __future__ import annotations

import dataclasses
import hashlib

import pytest

from conftest import vector
from saylau_verify.crypto.ballot import ballot_content, derive_option, verify_ballot
from saylau_verify.crypto.group import ELL, GENERATOR, add, base_mul, mul, sub
from saylau_verify.crypto.hashing import Element, h_scalar
from saylau_verify.jsonread import element
from saylau_verify.model import Ballot, BallotQuestion, Ciphertext, Proof, QuestionSpec, RangeProof, Selection
from saylau_verify.parse import parse_ballot

_G = Element(GENERATOR)


def _random(label: str) -> int:
    return int.from_bytes(hashlib.sha512(label.encode()).digest(), "little") % ELL


def _fixture() -> tuple[str, Ballot, tuple[QuestionSpec, ...], bytes, int]:
    d = vector("ballot.json")
    questions = tuple(
        QuestionSpec(q["question_id"], tuple(q["options"]), q["min_selections"], q["max_selections"])
        for q in d["questions"]
    )
    secret = h_scalar("credential-key", d["election"], bytes.fromhex(d["credential_secret"]))
    return d["election"], parse_ballot(d["ballot"], "$"), questions, element(d["public_key"], "K"), secret


def _resign(ballot: Ballot, election: str, secret: int) -> Ballot:
    """Spec 6.2 with purpose "ballot", B = ()."""
    k = _random("k" + ballot.ballot_id)
    parts = ("ballot", _G, Element(ballot.credential), ballot_content(ballot), Element(base_mul(k)))
    c = h_scalar("schnorr-signature", election, (), *parts)
    return dataclasses.replace(ballot, signature=Proof(c, (k + c * secret) % ELL))


def _prove01(purpose: str, context: tuple, key: bytes, alpha: bytes, beta: bytes, m: int, r: int) -> RangeProof:
    """Spec 4.3 over [0, 1] with witness (m, r); a prover lying about m produces a proof that fails."""
    w = _random(f"w{purpose}{m}{r}")
    cs, us, commitments = [0, 0], [0, 0], []
    for v in (0, 1):
        if v == m:
            commitments += [Element(base_mul(w)), Element(mul(w, key))]
            continue
        cs[v], us[v] = _random(f"c{v}{r}"), _random(f"u{v}{r}")
        shifted = sub(beta, GENERATOR) if v else beta
        commitments += [
            Element(sub(base_mul(us[v]), mul(cs[v], alpha))),
            Element(sub(mul(us[v], key), mul(cs[v], shifted))),
        ]
    election, binding = context
    total = h_scalar(purpose, election, binding, _G, Element(key), Element(alpha), Element(beta), 0, 1, commitments)
    cs[m] = (total - cs[1 - m]) % ELL
    us[m] = (w + cs[m] * r) % ELL
    return RangeProof(tuple(cs), tuple(us))


def _replace_q1(ballot: Ballot, question: BallotQuestion) -> Ballot:
    return dataclasses.replace(ballot, questions=(question, *ballot.questions[1:]))


def _context(election: str, ballot: Ballot, position: int) -> tuple:
    return (election, ("ballot", ballot.ballot_id, Element(ballot.credential), 0, "q1", position))


def test_resigning_alone_keeps_the_vector_valid() -> None:
    election, ballot, questions, key, secret = _fixture()
    assert verify_ballot(_resign(ballot, election, secret), questions, key, election) == []


def test_tampered_compact_question_fails_its_proof_only() -> None:
    election, ballot, questions, key, secret = _fixture()
    q1 = ballot.questions[0]
    y = q1.selections[0]
    n_alpha, n_beta = derive_option(y.ciphertext.alpha, y.ciphertext.beta)
    r = _random("fresh nonce")
    fresh = Ciphertext(base_mul(r), mul(r, key))  # Enc(0; r)
    cases = {
        "single ciphertext modified": Selection(
            Ciphertext(y.ciphertext.alpha, add(y.ciphertext.beta, GENERATOR)), y.proof
        ),
        "derived ciphertext sent with Y's proof": Selection(Ciphertext(n_alpha, n_beta), y.proof),
        "proof for another ciphertext swapped in": Selection(
            y.ciphertext, _prove01("compact-0-1", _context(election, ballot, 0), key, fresh.alpha, fresh.beta, 0, r)
        ),
        "general-form proof (selection-0-1)": Selection(
            fresh, _prove01("selection-0-1", _context(election, ballot, 0), key, fresh.alpha, fresh.beta, 0, r)
        ),
        "proof made in option 1's context": Selection(
            fresh, _prove01("compact-0-1", _context(election, ballot, 1), key, fresh.alpha, fresh.beta, 0, r)
        ),
    }
    for name, selection in cases.items():
        forged = _resign(_replace_q1(ballot, dataclasses.replace(q1, selections=(selection,))), election, secret)
        assert verify_ballot(forged, questions, key, election) == ["selection proof fails at question[0].option[0]"], (
            name
        )
    # The same fresh ciphertext with an honest proof in the right purpose and context is a valid ballot.
    honest = Selection(
        fresh, _prove01("compact-0-1", _context(election, ballot, 0), key, fresh.alpha, fresh.beta, 0, r)
    )
    forged = _resign(_replace_q1(ballot, dataclasses.replace(q1, selections=(honest,))), election, secret)
    assert verify_ballot(forged, questions, key, election) == []


@pytest.mark.parametrize("value", [2, ELL - 1])
def test_voting_both_or_neither_cannot_verify(value: int) -> None:
    """Y = Enc(2) gives N = Enc(−1) and Y = Enc(−1) gives N = Enc(2): no 0/1 proof for Y holds, whatever the claim."""
    election, ballot, questions, key, secret = _fixture()
    r = _random(f"cheat{value}")
    cheat = Ciphertext(base_mul(r), add(base_mul(value), mul(r, key)))
    for claim in (0, 1):
        proof = _prove01("compact-0-1", _context(election, ballot, 0), key, cheat.alpha, cheat.beta, claim, r)
        question = dataclasses.replace(ballot.questions[0], selections=(Selection(cheat, proof),))
        forged = _resign(_replace_q1(ballot, question), election, secret)
        assert verify_ballot(forged, questions, key, election) == ["selection proof fails at question[0].option[0]"]


def test_shape_of_a_compact_question() -> None:
    election, ballot, questions, key, secret = _fixture()
    q1 = ballot.questions[0]
    y = q1.selections[0]
    n = Selection(Ciphertext(*derive_option(y.ciphertext.alpha, y.ciphertext.beta)), y.proof)
    two = _resign(_replace_q1(ballot, dataclasses.replace(q1, selections=(y, n))), election, secret)
    assert verify_ballot(two, questions, key, election)[0].startswith("question[0]: question id or ciphertext count")
    ranged = _resign(_replace_q1(ballot, dataclasses.replace(q1, range_proof=y.proof)), election, secret)
    assert verify_ballot(ranged, questions, key, election) == [
        "question[0]: a compact question carries an empty range proof"
    ]
