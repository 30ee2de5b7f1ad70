"""Proofs: completeness, binding to the context, and the weak Fiat–Shamir forgery (Bernhard–Pereira–Warinschi)."""

from __future__ import annotations

import pytest
from tests.unit.test_crypto_support import ELECTION, Drbg

from saylau.crypto.elgamal import Ciphertext, decrypt_to_element, discrete_log, encrypt
from saylau.crypto.errors import DlogNotFound, FailureCode, Invalid
from saylau.crypto.group import GENERATOR, Element, Scalar, base_mul, random_scalar
from saylau.crypto.hashing import hash_to_scalar
from saylau.crypto.proofs import (
    ProofContext,
    RangeProof,
    prove_chaum_pedersen,
    prove_range,
    prove_schnorr,
    verify_chaum_pedersen,
    verify_range,
    verify_schnorr,
)

CTX = ProofContext(ELECTION).bind("test")


def _keypair(rng: Drbg) -> tuple[Scalar, Element]:
    secret = random_scalar(rng)
    return secret, base_mul(secret)


def test_schnorr_complete_and_bound() -> None:
    rng = Drbg("schnorr")
    x, big_x = _keypair(rng)
    proof = prove_schnorr(x, big_x, CTX, rng)
    assert verify_schnorr(big_x, proof, CTX)
    assert verify_schnorr(big_x, proof, CTX.bind("other")) == Invalid(FailureCode.BAD_CHALLENGE, "proof")
    assert not verify_schnorr(big_x, proof, ProofContext("another-election").bind("test"))
    assert not verify_schnorr(big_x + GENERATOR, proof, CTX)


def test_chaum_pedersen_complete_and_sound() -> None:
    rng = Drbg("cp")
    x, big_x = _keypair(rng)
    base = base_mul(random_scalar(rng))
    proof = prove_chaum_pedersen(x, base, big_x, x * base, CTX, rng)
    assert verify_chaum_pedersen(base, big_x, x * base, proof, CTX)
    assert not verify_chaum_pedersen(base, big_x, (x + Scalar(1)) * base, proof, CTX)
    wrong = prove_chaum_pedersen(x, base, big_x, (x + Scalar(1)) * base, CTX, rng)  # a lie
    assert not verify_chaum_pedersen(base, big_x, (x + Scalar(1)) * base, wrong, CTX)


@pytest.mark.parametrize(("low", "high", "m"), [(0, 1, 0), (0, 1, 1), (1, 1, 1), (0, 3, 2), (2, 5, 5)])
def test_range_proof_complete(low: int, high: int, m: int) -> None:
    rng = Drbg(f"range-{low}-{high}-{m}")
    _, key = _keypair(rng)
    ct, r = encrypt(m, key, rng)
    proof = prove_range(ct, m, r, key, low, high, CTX, rng)
    assert verify_range(ct, key, low, high, proof, CTX)
    assert not verify_range(ct, key, low, high, proof, CTX.bind(1))


def test_range_proof_of_a_false_statement_fails() -> None:
    """A prover who runs the protocol on a ciphertext of 2 claiming 1 produces a proof that does not verify."""
    rng = Drbg("range-lie")
    _, key = _keypair(rng)
    ct, r = encrypt(2, key, rng)
    lie = prove_range(Ciphertext(ct.alpha, ct.beta - GENERATOR), 1, r, key, 0, 1, CTX, rng)
    assert not verify_range(ct, key, 0, 1, lie, CTX)
    assert verify_range(ct, key, 0, 1, RangeProof((), ()), CTX) == Invalid(FailureCode.BAD_SHAPE, "proof")


def _weak_challenge(commitments: list[Element]) -> Scalar:
    """The WEAK Fiat–Shamir of Helios: only the commitments are hashed. Test-only."""
    return hash_to_scalar("weak", commitments)


def _weak_verify(ct: Ciphertext, key: Element, proof: RangeProof) -> bool:
    commitments: list[Element] = []
    for v, (c, u) in enumerate(zip(proof.challenges, proof.responses, strict=True)):
        shifted = ct.beta - base_mul(Scalar(v))
        commitments += [base_mul(u) - c * ct.alpha, u * key - c * shifted]
    return sum(proof.challenges, Scalar(0)) == _weak_challenge(commitments)


def test_weak_fiat_shamir_forgery_fails_against_the_real_verifier() -> None:
    """BPW 2012: with the statement unhashed, commit first, then pick the ciphertext to fit the challenge.

    Commitments a0 = w0·G, b0 = w0·K, a1 = w1·G, b1 = w1·K + γ·G; c = H(commitments); c0 = 0, c1 = c;
    the ciphertext (r·G, r·K + m·G) with m = 1 − γ/c makes both branches verify, yet m is neither 0 nor 1.
    """
    rng = Drbg("bpw")
    secret, key = _keypair(rng)
    w0, w1, gamma, r = (random_scalar(rng) for _ in range(4))
    commitments = [base_mul(w0), w0 * key, base_mul(w1), w1 * key + base_mul(gamma)]
    c = _weak_challenge(commitments)
    m = Scalar(1) - gamma * c.inverse()
    forged_ct = Ciphertext(base_mul(r), r * key + base_mul(m))
    forged = RangeProof((Scalar(0), c), (w0, w1 + c * r))
    assert _weak_verify(forged_ct, key, forged)  # the weak verifier is fooled
    with pytest.raises(DlogNotFound):
        discrete_log(decrypt_to_element(forged_ct, secret), 1)  # … by a ciphertext of neither 0 nor 1
    assert verify_range(forged_ct, key, 0, 1, forged, CTX) == Invalid(FailureCode.BAD_CHALLENGE, "proof")
