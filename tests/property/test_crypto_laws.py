"""Laws of the cryptographic core (Hypothesis): ElGamal, proofs' completeness and soundness, thresholds."""

from __future__ import annotations

import dataclasses
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.test_crypto_support import ELECTION, Drbg, run_ceremony

from saylau.crypto.elgamal import add_ciphertexts, decrypt_to_element, discrete_log, encrypt
from saylau.crypto.group import GENERATOR, Scalar, base_mul, random_scalar
from saylau.crypto.proofs import ProofContext, RangeProof, prove_range, verify_range
from saylau.crypto.threshold import combine_decryption, lagrange_coefficient, partial_decrypt, verify_decryption_share

FAST = settings(max_examples=25, deadline=None)
CTX = ProofContext(ELECTION).bind("laws")
C43 = run_ceremony(4, 3)
C53 = run_ceremony(5, 3)


@FAST
@given(st.integers(0, 10**6), st.integers(0, 2**32))
def test_decrypt_encrypt(m: int, seed: int) -> None:
    rng = Drbg(seed)
    secret = random_scalar(rng)
    ct, _ = encrypt(m, base_mul(secret), rng)
    assert discrete_log(decrypt_to_element(ct, secret), 10**6) == m


@FAST
@given(st.lists(st.integers(0, 1000), min_size=0, max_size=6), st.integers(0, 2**32))
def test_homomorphic_addition(ms: list[int], seed: int) -> None:
    rng = Drbg(seed)
    secret = random_scalar(rng)
    total = add_ciphertexts(encrypt(m, base_mul(secret), rng)[0] for m in ms)
    assert discrete_log(decrypt_to_element(total, secret), 6000) == sum(ms)


@st.composite
def _range_case(draw: st.DrawFn) -> tuple[int, int, int, int]:
    low = draw(st.integers(0, 3))
    high = draw(st.integers(low, low + 3))
    return low, high, draw(st.integers(low, high)), draw(st.integers(0, 2**32))


@FAST
@given(_range_case(), st.data())
def test_range_proof_complete_and_every_mutation_fails(case: tuple[int, int, int, int], data: st.DataObject) -> None:
    low, high, m, seed = case
    rng = Drbg(seed)
    key = base_mul(random_scalar(rng))
    ct, r = encrypt(m, key, rng)
    proof = prove_range(ct, m, r, key, low, high, CTX, rng)
    assert verify_range(ct, key, low, high, proof, CTX)
    # Mutate exactly one part of the statement or the proof.
    n = high - low + 1
    which = data.draw(st.sampled_from(["alpha", "beta", "key", "low", "high", "challenge", "response", "context"]))
    i = data.draw(st.integers(0, n - 1))
    one = Scalar(1)
    if which == "alpha":
        ok = verify_range(dataclasses.replace(ct, alpha=ct.alpha + GENERATOR), key, low, high, proof, CTX)
    elif which == "beta":
        ok = verify_range(dataclasses.replace(ct, beta=ct.beta + GENERATOR), key, low, high, proof, CTX)
    elif which == "key":
        ok = verify_range(ct, key + GENERATOR, low, high, proof, CTX)
    elif which == "low":
        ok = verify_range(ct, key, low + 1, high + 1, proof, CTX)
    elif which == "high":
        ok = verify_range(ct, key, low, high + 1, proof, CTX)
    elif which == "challenge":
        cs = list(proof.challenges)
        cs[i] = cs[i] + one
        ok = verify_range(ct, key, low, high, RangeProof(tuple(cs), proof.responses), CTX)
    elif which == "response":
        us = list(proof.responses)
        us[i] = us[i] + one
        ok = verify_range(ct, key, low, high, RangeProof(proof.challenges, tuple(us)), CTX)
    else:
        ok = verify_range(ct, key, low, high, proof, CTX.bind("other"))
    assert not ok


@FAST
@given(st.integers(0, 10**4), st.integers(0, 2**32))
def test_threshold_decryption_with_every_quorum(m: int, seed: int) -> None:
    rng = Drbg(seed)
    for ceremony in (C43, C53):
        ct, _ = encrypt(m, ceremony.public_key, rng)
        shares = {j: partial_decrypt(ct, key, ceremony.share_publics[j], CTX, rng) for j, key in ceremony.keys.items()}
        assert all(verify_decryption_share(ct, s, ceremony.share_publics[j], CTX) for j, s in shares.items())
        n, t = ceremony.params.guardians, ceremony.params.quorum
        for subset in itertools.combinations(range(1, n + 1), t):
            assert discrete_log(combine_decryption(ct, [shares[j] for j in subset], t), 10**4) == m


def test_decryption_share_bound_to_its_guardian() -> None:
    rng = Drbg("share")
    ct, _ = encrypt(5, C43.public_key, rng)
    share = partial_decrypt(ct, C43.keys[1], C43.share_publics[1], CTX, rng)
    assert not verify_decryption_share(ct, share, C43.share_publics[2], CTX)
    assert not verify_decryption_share(
        ct, dataclasses.replace(share, image=share.image + GENERATOR), C43.share_publics[1], CTX
    )


@FAST
@given(st.lists(st.integers(1, 50), min_size=1, max_size=6, unique=True), st.integers(0, 2**32))
def test_lagrange_interpolates_at_zero(points: list[int], seed: int) -> None:
    rng = Drbg(seed)
    coefficients = [random_scalar(rng) for _ in points]  # degree len(points) - 1

    def p(x: int) -> Scalar:
        return sum((a * Scalar.of(x**k) for k, a in enumerate(coefficients)), Scalar(0))

    assert sum((lagrange_coefficient(j, points) * p(j) for j in points), Scalar(0)) == coefficients[0]
