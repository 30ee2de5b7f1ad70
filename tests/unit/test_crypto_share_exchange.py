"""Encrypted share exchange of the distributed key ceremony (spec/crypto.md §5.7–5.9)."""

from __future__ import annotations

import secrets
from dataclasses import replace

import pytest

from saylau.crypto.errors import CryptoError
from saylau.crypto.group import Element, Scalar, base_mul
from saylau.crypto.keys import CeremonyParams, GuardianCommitment, GuardianSecrets, generate_guardian, share_public_key
from saylau.crypto.proofs import ProofContext, prove_chaum_pedersen
from saylau.crypto.share_exchange import (
    ComplaintVerdict,
    ReceivedShare,
    ShareComplaint,
    check_share_complaint,
    commitments_digest,
    confirm_ceremony,
    encrypt_share,
    encrypt_share_value,
    evaluate_polynomial,
    key_share_from,
    receive_share,
    verify_confirmation,
)

CTX = ProofContext("cd" * 32)


RNG = secrets.token_bytes  # cryptographic nonces come from the OS, in tests too (STYLE habit 10)


def _guardians(n: int = 3, t: int = 2) -> list[tuple[GuardianSecrets, GuardianCommitment]]:
    return [generate_guardian(i, CeremonyParams(n, t), CTX, RNG) for i in range(1, n + 1)]


def test_exchange_gives_the_key_shares_of_the_joint_key() -> None:
    gs, rng = _guardians(), RNG
    commitments = [c for _, c in gs]
    for s_j, c_j in gs:
        received = []
        for s_i, c_i in gs:
            if c_i.index == c_j.index:
                continue
            enc = encrypt_share(s_i, c_j, CTX, rng)
            assert enc.masked != evaluate_polynomial(s_i.coefficients, c_j.index)  # hidden
            got = receive_share(enc, c_i, c_j, s_j.auth, CTX, rng)
            assert isinstance(got, ReceivedShare)
            assert got.share == evaluate_polynomial(s_i.coefficients, c_j.index)
            received.append(got)
        key = key_share_from(s_j, received)
        assert base_mul(key.secret) == share_public_key(commitments, c_j.index)
        confirmation = confirm_ceremony(key, s_j.auth, commitments, CTX, rng)
        assert verify_confirmation(confirmation, commitments, CTX)
        assert not verify_confirmation(replace(confirmation, share_key=base_mul(Scalar(3))), commitments, CTX)
        assert not verify_confirmation(replace(confirmation, digest="0" * 64), commitments, CTX)
        assert not verify_confirmation(replace(confirmation, guardian=c_j.index % 3 + 1), commitments, CTX)
        other = [c for _, c in _guardians()]
        assert not verify_confirmation(confirmation, other, CTX)  # other commitments: another digest
    assert commitments_digest(commitments, CTX) == commitments_digest(list(reversed(commitments)), CTX)


def test_only_the_recipient_can_decrypt() -> None:
    (s1, c1), (_, c2), (s3, _) = _guardians()
    enc = encrypt_share(s1, c2, CTX, RNG)
    with pytest.raises(CryptoError) as excinfo:  # guardian 3's key does not belong to guardian 2
        receive_share(enc, c1, c2, s3.auth, CTX, RNG)
    assert excinfo.value.code == "crypto_share_misaddressed"


def test_altered_ciphertext_is_unsigned_not_a_complaint() -> None:
    (s1, c1), (s2, c2), _ = _guardians()
    enc = encrypt_share(s1, c2, CTX, RNG)
    for altered in (replace(enc, masked=enc.masked + Scalar(1)), replace(enc, ephemeral=base_mul(Scalar(5)))):
        with pytest.raises(CryptoError) as excinfo:
            receive_share(altered, c1, c2, s2.auth, CTX, RNG)
        assert excinfo.value.code == "crypto_share_unsigned"


def test_bad_signed_share_gives_an_upheld_complaint_and_lies_are_dismissed() -> None:
    (s1, c1), (s2, c2), (s3, c3) = _guardians()
    rng = RNG
    bad = encrypt_share_value(1, s1.auth, c2, Scalar(42), CTX, rng)
    complaint = receive_share(bad, c1, c2, s2.auth, CTX, rng)
    assert isinstance(complaint, ShareComplaint)
    assert check_share_complaint(complaint, c1, c2, CTX) is ComplaintVerdict.UPHELD
    # the wrong parties, a forged S, a changed ciphertext: all dismissed
    assert check_share_complaint(complaint, c3, c2, CTX) is ComplaintVerdict.DISMISSED_WRONG_PARTIES
    forged_s = replace(complaint, secret=base_mul(Scalar(7)))
    assert check_share_complaint(forged_s, c1, c2, CTX) is ComplaintVerdict.DISMISSED_BAD_DECRYPTION
    changed = replace(complaint, share=replace(bad, masked=bad.masked + Scalar(1)))
    assert check_share_complaint(changed, c1, c2, CTX) is ComplaintVerdict.DISMISSED_UNSIGNED
    # an honest share complained about with its true S and a valid proof: the share is valid
    good = encrypt_share(s1, c3, CTX, rng)
    honest_s: Element = s3.auth.secret * good.ephemeral
    proof = prove_chaum_pedersen(
        s3.auth.secret,
        good.ephemeral,
        c3.auth_key,
        honest_s,
        CTX.bind("key-share-decryption", 1, 3, good.ephemeral),
        rng,
    )
    lie = ShareComplaint(good, honest_s, proof)
    assert check_share_complaint(lie, c1, c3, CTX) is ComplaintVerdict.DISMISSED_SHARE_VALID
    # a complaint proved in another election does not carry over
    assert check_share_complaint(complaint, c1, c2, ProofContext("ef" * 32)) is ComplaintVerdict.DISMISSED_UNSIGNED


def test_key_share_refuses_a_bad_set() -> None:
    (s1, c1), (s2, c2), _ = _guardians()
    got = receive_share(encrypt_share(s1, c2, CTX, RNG), c1, c2, s2.auth, CTX, RNG)
    assert isinstance(got, ReceivedShare)
    with pytest.raises(CryptoError):
        key_share_from(s2, [got, got])
    with pytest.raises(CryptoError):
        key_share_from(s1, [got])  # addressed to guardian 2
    with pytest.raises(CryptoError):
        encrypt_share(s1, c1, CTX, RNG)  # a guardian keeps its own share
