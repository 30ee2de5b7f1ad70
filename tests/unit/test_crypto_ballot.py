"""Ballots, replay, Benaloh openings, complaints, tally, tracking codes and the canonical JSON codec."""

from __future__ import annotations

import dataclasses
import json

import pytest
from tests.unit.test_crypto_support import ELECTION, Drbg, run_ceremony

from saylau.crypto import codec
from saylau.crypto.ballot import (
    BALLOT_SIGNATURE,
    COMPACT,
    EncryptedBallot,
    EncryptedQuestion,
    QuestionSpec,
    SpoiledOpening,
    ballot_content,
    ballot_hash,
    check_opening,
    ciphertext_fingerprints,
    derived_ciphertext,
    encrypt_ballot,
    is_compact,
    open_spoiled,
    question_ciphertexts,
    verify_ballot,
)
from saylau.crypto.credentials import issue_credential, sign, signing_key
from saylau.crypto.elgamal import Ciphertext, encrypt_with_nonce, trivial_encryption
from saylau.crypto.errors import CryptoError, EncodingError, FailureCode, Invalid, VerificationError, require_valid
from saylau.crypto.group import GENERATOR, IDENTITY, Scalar, base_mul, random_scalar
from saylau.crypto.keys import (
    Complaint,
    ComplaintOutcome,
    check_complaint,
    generate_guardian,
    make_complaint,
    share_for,
    verify_guardian_commitment,
)
from saylau.crypto.proofs import ProofContext, RangeProof, prove_range
from saylau.crypto.tally import aggregate, combine_tally, decrypt_tally_share
from saylau.crypto.tracking import tracking_chain

YES_NO = (QuestionSpec("q1", ("yes", "no"), 1, 1),)
MIXED = (QuestionSpec("q1", ("yes", "no"), 0, 1), QuestionSpec("q2", ("a", "b", "c", "d"), 1, 2))
CEREMONY = run_ceremony(4, 3)
KEY = CEREMONY.public_key


def _voter(seed: str):  # type: ignore[no-untyped-def]
    credential, _ = issue_credential(ELECTION, Drbg(f"cred-{seed}"))
    return signing_key(credential, ELECTION)


def _ballot(choices, seed: str = "v1", ballot_id: str = "b-1", questions=YES_NO):  # type: ignore[no-untyped-def]
    return encrypt_ballot(questions, choices, KEY, ELECTION, ballot_id, _voter(seed), Drbg(f"ballot-{seed}"))


def test_ballot_verifies_and_carries_no_secret() -> None:
    ballot, secrets_ = _ballot([[1, 0]])
    assert verify_ballot(ballot, YES_NO, KEY, ELECTION)
    names = {f.name for f in dataclasses.fields(EncryptedBallot)}
    assert "nonces" not in names
    assert "nonce" not in json.dumps(json.loads(codec.dumps(ballot)))
    assert "hidden" in repr(secrets_)


def test_mixed_questions_and_invalid_choices() -> None:
    ballot, _ = _ballot([[0, 0], [0, 1, 1, 0]], questions=MIXED)
    assert verify_ballot(ballot, MIXED, KEY, ELECTION)
    assert [len(q.selections) for q in ballot.questions] == [2, 4]  # 0..1 of 2 is not the compact form
    assert all(q.range_proof.challenges for q in ballot.questions)
    for bad in ([[1, 1]], [[0, 0]], [[2, 0]], [[1]]):
        with pytest.raises(CryptoError) as info:
            _ballot(bad)
        assert info.value.code == "crypto_bad_choice"


def test_replay_under_another_id_or_credential_is_rejected() -> None:
    ballot, _ = _ballot([[1, 0]])
    other = _voter("v2")
    assert not verify_ballot(dataclasses.replace(ballot, ballot_id="b-2"), YES_NO, KEY, ELECTION)
    # The thief re-signs the copied ballot with their own credential: the signature holds, the proofs do not.

    stolen = dataclasses.replace(ballot, credential=other.public)
    stolen = dataclasses.replace(
        stolen, signature=sign(other, BALLOT_SIGNATURE, ballot_content(stolen), ProofContext(ELECTION), Drbg("x"))
    )
    verdict = verify_ballot(stolen, YES_NO, KEY, ELECTION)
    assert isinstance(verdict, Invalid)
    assert verdict.code is FailureCode.BAD_CHALLENGE
    assert verdict.where == "question[0].option[0].proof"
    with pytest.raises(VerificationError) as info:
        require_valid(verdict)
    assert info.value.code == "crypto_bad_challenge"


def test_rerandomised_copy_fails_and_exact_copy_is_detectable() -> None:
    ballot, _ = _ballot([[1, 0]])
    copy, _ = _ballot([[1, 0]], seed="v2", ballot_id="b-2")
    assert not set(ciphertext_fingerprints(ballot)) & set(ciphertext_fingerprints(copy))
    # Re-randomise the victim's ciphertexts (add Enc(0; s)) and keep its proofs: they no longer verify.
    s = random_scalar(Drbg("rr"))
    q = ballot.questions[0]
    shifted = tuple(
        dataclasses.replace(sel, ciphertext=sel.ciphertext + Ciphertext(s * GENERATOR, s * KEY)) for sel in q.selections
    )
    rerandomised = dataclasses.replace(ballot, questions=(dataclasses.replace(q, selections=shifted),))
    assert not verify_ballot(rerandomised, YES_NO, KEY, ELECTION)
    assert ciphertext_fingerprints(ballot) == ciphertext_fingerprints(dataclasses.replace(ballot, ballot_id="b-9"))


def test_wrong_election_key_or_spec_rejected() -> None:
    ballot, _ = _ballot([[0, 1]])
    assert not verify_ballot(ballot, YES_NO, KEY, "another-election")
    assert not verify_ballot(ballot, YES_NO, KEY + GENERATOR, ELECTION)
    assert not verify_ballot(ballot, (QuestionSpec("q1", ("yes", "no"), 0, 1),), KEY, ELECTION)
    assert verify_ballot(ballot, MIXED, KEY, ELECTION) == Invalid(FailureCode.BAD_SHAPE, "questions")


def test_benaloh_opening_and_a_lying_device() -> None:
    ballot, secrets_ = _ballot([[1, 0]])
    opening = open_spoiled(ballot, secrets_)
    assert opening.choices == ((1, 0),)
    assert check_opening(ballot, opening, YES_NO, KEY)
    # The device encrypted "yes" but tells the voter it encrypted "no", with the same nonces.
    lie = SpoiledOpening(ballot.ballot_id, ((0, 1),), opening.nonces)
    assert check_opening(ballot, lie, YES_NO, KEY) == Invalid(FailureCode.MISMATCH, "question[0].option[0]")
    bad_nonce = SpoiledOpening(ballot.ballot_id, opening.choices, ((Scalar(1),),))
    assert not check_opening(ballot, bad_nonce, YES_NO, KEY)
    assert len(opening.nonces[0]) == 1  # compact form: one nonce per sent ciphertext
    two_nonces = SpoiledOpening(ballot.ballot_id, opening.choices, ((opening.nonces[0][0], -opening.nonces[0][0]),))
    assert check_opening(ballot, two_nonces, YES_NO, KEY) == Invalid(FailureCode.BAD_SHAPE, "question[0]")
    both = SpoiledOpening(ballot.ballot_id, ((1, 1),), opening.nonces)
    assert check_opening(ballot, both, YES_NO, KEY) == Invalid(FailureCode.OUT_OF_RANGE, "question[0]")
    assert codec.loads(SpoiledOpening, codec.dumps(opening)) == opening


def test_guardian_commitments_and_complaints() -> None:

    ctx, params = CEREMONY.context, CEREMONY.params
    assert all(verify_guardian_commitment(c, params, ctx) for c in CEREMONY.commitments)
    copied = dataclasses.replace(CEREMONY.commitments[0], index=2)  # guardian 2 copies guardian 1
    assert not verify_guardian_commitment(copied, params, ctx)
    secrets1, public1 = generate_guardian(1, params, ctx, Drbg("g1"))
    good = share_for(secrets1, 3, ctx, Drbg("s"))
    assert codec.loads(Complaint, codec.dumps(make_complaint(good))) == make_complaint(good)
    assert ComplaintOutcome.DISMISSED_SHARE_VALID is _decide(make_complaint(good), public1)
    # A cheating dealer signs a bad share: the complaint is upheld by anyone.
    cheat = dataclasses.replace(secrets1, coefficients=(Scalar(7), *secrets1.coefficients[1:]))
    assert _decide(make_complaint(share_for(cheat, 3, ctx, Drbg("s"))), public1) is ComplaintOutcome.UPHELD
    # A lying complainant invents a share: the accused's signature does not cover it.
    forged = dataclasses.replace(make_complaint(good), share=good.share + Scalar(1))
    assert _decide(forged, public1) is ComplaintOutcome.DISMISSED_UNSIGNED


def _decide(complaint: Complaint, accused) -> ComplaintOutcome:  # type: ignore[no-untyped-def]

    return check_complaint(complaint, accused, CEREMONY.context)


def test_tally_with_a_missing_guardian() -> None:
    ballots = [_ballot(c, seed=f"v{i}", ballot_id=f"b-{i}")[0] for i, c in enumerate([[[1, 0]], [[0, 1]], [[1, 0]]])]
    assert all(verify_ballot(b, YES_NO, KEY, ELECTION) for b in ballots)
    tally = aggregate(YES_NO, ballots)
    ctx = CEREMONY.context.bind("tally-test")
    shares = [
        decrypt_tally_share(tally, CEREMONY.keys[j], CEREMONY.share_publics[j], ctx, Drbg(f"d{j}")) for j in (1, 2, 4)
    ]
    assert combine_tally(tally, shares, CEREMONY.share_publics, 3, ctx) == ((2, 1),)
    with pytest.raises(CryptoError) as info:
        combine_tally(tally, shares[:2], CEREMONY.share_publics, 3, ctx)
    assert info.value.code == "crypto_quorum_not_met"
    liar = dataclasses.replace(shares[0], guardian=3)
    with pytest.raises(CryptoError):
        combine_tally(tally, [liar, *shares[1:]], CEREMONY.share_publics, 3, ctx)


def test_tracking_codes_chain_and_are_unique() -> None:
    ballots = [_ballot([[1, 0]], seed=f"v{i}", ballot_id=f"b-{i}")[0] for i in range(3)]
    hashes = [ballot_hash(b, ELECTION) for b in ballots]
    codes = tracking_chain(ELECTION, hashes)
    assert len({c.full for c in codes}) == 3
    assert len({c.short for c in codes}) == 3
    assert codes == tracking_chain(ELECTION, hashes)
    assert tracking_chain(ELECTION, [hashes[1], hashes[0]])[1] != codes[1]


def test_codec_round_trip_and_strictness() -> None:
    ballot, _ = _ballot([[0, 1]])
    text = codec.dumps(ballot)
    assert codec.loads(EncryptedBallot, text) == ballot
    assert text == json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))
    data = json.loads(text)
    cases = [
        {**data, "extra": 1},
        {k: v for k, v in data.items() if k != "signature"},
        {**data, "credential": "00" * 32},  # identity
        {**data, "credential": data["credential"].upper()},
        {**data, "credential": "ff" * 32},  # not canonical
        {**data, "signature": {**data["signature"], "response": "ff" * 32}},  # scalar >= l
    ]
    for case in cases:
        with pytest.raises(EncodingError):
            codec.loads(EncryptedBallot, json.dumps(case))
    with pytest.raises(EncodingError):
        codec.loads(RangeProof, '{"challenges":[1.5],"responses":[]}')
    with pytest.raises(EncodingError):
        codec.loads(RangeProof, '{"challenges":[],"challenges":[],"responses":[]}')
    with pytest.raises(EncodingError):
        codec.dumps(CEREMONY.keys[1])  # secrets are not encodable
    assert codec.loads(EncryptedQuestion, codec.dumps(ballot.questions[0])) == ballot.questions[0]


# -- the compact form of an exactly-one-of-two question (spec/crypto.md §7.2) ---------------------------------


def _resigned(ballot: EncryptedBallot, voter) -> EncryptedBallot:  # type: ignore[no-untyped-def]
    """Re-sign a tampered ballot with its own credential, so only the proofs can catch the tamper."""

    signature = sign(voter, BALLOT_SIGNATURE, ballot_content(ballot), ProofContext(ELECTION), Drbg("resign"))
    return dataclasses.replace(ballot, signature=signature)


def _with_question(ballot: EncryptedBallot, question: EncryptedQuestion) -> EncryptedBallot:
    return dataclasses.replace(ballot, questions=(question,))


def test_compact_form_sends_one_ciphertext_and_derives_the_other() -> None:

    assert is_compact(YES_NO[0])
    assert not any(is_compact(q) for q in MIXED)
    assert not is_compact(QuestionSpec("q", ("a", "b", "c"), 1, 1))
    for yes in (0, 1):
        ballot, device = _ballot([[yes, 1 - yes]], seed=f"c{yes}")
        (question,) = ballot.questions
        assert len(question.selections) == 1
        assert question.range_proof == RangeProof((), ())
        sent, derived = question_ciphertexts(YES_NO[0], question)
        assert derived == derived_ciphertext(sent) == trivial_encryption(1) - sent
        assert sent + derived == Ciphertext(IDENTITY, GENERATOR)  # exactly one selection, by construction
        r = device.nonces[0][0]
        assert derived == encrypt_with_nonce(1 - yes, -r, KEY)
        assert sent == encrypt_with_nonce(yes, r, KEY)
    # Strictly smaller than the general form.
    general, _ = _ballot([[1, 0]], questions=(QuestionSpec("q1", ("yes", "no"), 0, 1),))
    assert len(codec.dumps(_ballot([[1, 0]])[0])) < len(codec.dumps(general))


def test_compact_form_tampering_is_rejected() -> None:

    voter = _voter("v1")
    ballot, device = _ballot([[1, 0]])
    (question,) = ballot.questions
    (selection,) = question.selections
    where = "question[0].option[0].proof"

    # The single ciphertext modified (beta + G: "yes" becomes "2"), proof kept.
    moved = dataclasses.replace(
        selection, ciphertext=Ciphertext(selection.ciphertext.alpha, selection.ciphertext.beta + GENERATOR)
    )
    verdict = verify_ballot(
        _resigned(_with_question(ballot, dataclasses.replace(question, selections=(moved,))), voter),
        YES_NO,
        KEY,
        ELECTION,
    )
    assert verdict == Invalid(FailureCode.BAD_CHALLENGE, where)

    # The derived ciphertext sent in place of the real one, with the real one's proof.
    derived = dataclasses.replace(selection, ciphertext=derived_ciphertext(selection.ciphertext))
    verdict = verify_ballot(
        _resigned(_with_question(ballot, dataclasses.replace(question, selections=(derived,))), voter),
        YES_NO,
        KEY,
        ELECTION,
    )
    assert verdict == Invalid(FailureCode.BAD_CHALLENGE, where)

    # A valid 0/1 proof for the derived ciphertext (made in option 1's context) swapped in for the sent one's.
    context = ProofContext(ELECTION).bind("ballot", ballot.ballot_id, voter.public, 0, "q1")
    r = device.nonces[0][0]
    other = prove_range(derived_ciphertext(selection.ciphertext), 0, -r, KEY, 0, 1, context.bind(1), Drbg("p"), COMPACT)
    swapped = dataclasses.replace(selection, proof=other)
    verdict = verify_ballot(
        _resigned(_with_question(ballot, dataclasses.replace(question, selections=(swapped,))), voter),
        YES_NO,
        KEY,
        ELECTION,
    )
    assert verdict == Invalid(FailureCode.BAD_CHALLENGE, where)

    # A general-form proof ("selection-0-1" purpose) in place of the compact one.
    general = prove_range(selection.ciphertext, 1, r, KEY, 0, 1, context.bind(0), Drbg("p"))
    relabelled = dataclasses.replace(selection, proof=general)
    verdict = verify_ballot(
        _resigned(_with_question(ballot, dataclasses.replace(question, selections=(relabelled,))), voter),
        YES_NO,
        KEY,
        ELECTION,
    )
    assert verdict == Invalid(FailureCode.BAD_CHALLENGE, where)

    # Shapes: a range proof added, a second selection added, the general form for a yes/no question.
    padded = dataclasses.replace(question, range_proof=selection.proof)
    assert verify_ballot(_resigned(_with_question(ballot, padded), voter), YES_NO, KEY, ELECTION) == Invalid(
        FailureCode.BAD_SHAPE, "question[0].range"
    )
    doubled = dataclasses.replace(question, selections=(selection, derived))
    assert verify_ballot(_resigned(_with_question(ballot, doubled), voter), YES_NO, KEY, ELECTION) == Invalid(
        FailureCode.BAD_SHAPE, "question[0]"
    )
    general_form, _ = _ballot([[1, 0]], questions=(QuestionSpec("q1", ("yes", "no"), 0, 1),))
    assert verify_ballot(general_form, YES_NO, KEY, ELECTION) == Invalid(FailureCode.BAD_SHAPE, "question[0]")
    assert not verify_ballot(ballot, (QuestionSpec("q1", ("yes", "no"), 0, 1),), KEY, ELECTION)


@pytest.mark.parametrize("value", [2, -1])
def test_compact_ballot_voting_both_or_neither_cannot_verify(value: int) -> None:
    """yes = Enc(2) means no = Enc(−1) ("both" counted twice / "neither"); yes = Enc(−1) means no = Enc(2)."""

    voter = _voter("cheat")
    ballot, _ = _ballot([[1, 0]], seed="cheat")
    (question,) = ballot.questions
    rng = Drbg(f"cheat-{value}")
    r = random_scalar(rng)
    cheat = encrypt_with_nonce(1, r, KEY) + Ciphertext(base_mul(Scalar(0)), base_mul(Scalar.of(value - 1)))
    context = ProofContext(ELECTION).bind("ballot", ballot.ballot_id, voter.public, 0, "q1", 0)
    for claim in (0, 1):  # the prover lies about the plaintext; the disjunctive proof cannot hold
        proof = prove_range(cheat, claim, r, KEY, 0, 1, context, rng, COMPACT)
        forged = dataclasses.replace(
            question, selections=(dataclasses.replace(question.selections[0], ciphertext=cheat, proof=proof),)
        )
        assert not verify_ballot(_resigned(_with_question(ballot, forged), voter), YES_NO, KEY, ELECTION)
        sent, derived = question_ciphertexts(YES_NO[0], forged)
        assert sent.beta - r * KEY == base_mul(Scalar.of(value))
        assert derived.beta - (-r) * KEY == base_mul(Scalar.of(1 - value))


def test_tally_counts_the_derived_option() -> None:
    choices = [[[1, 0]], [[0, 1]], [[0, 1]], [[0, 1]]]
    ballots = [_ballot(c, seed=f"t{i}", ballot_id=f"t-{i}")[0] for i, c in enumerate(choices)]
    tally = aggregate(YES_NO, ballots)
    ctx = CEREMONY.context.bind("tally-compact")
    shares = [
        decrypt_tally_share(tally, CEREMONY.keys[j], CEREMONY.share_publics[j], ctx, Drbg(f"d{j}")) for j in (1, 2, 3)
    ]
    assert combine_tally(tally, shares, CEREMONY.share_publics, 3, ctx) == ((1, 3),)
    general, _ = _ballot([[1, 0]], questions=(QuestionSpec("q1", ("yes", "no"), 0, 1),))
    with pytest.raises(CryptoError) as info:
        aggregate(YES_NO, [general])
    assert info.value.code == "crypto_bad_shape"
