"""Non-interactive zero-knowledge proofs with strong Fiat–Shamir (spec/crypto.md §4).

Every challenge is ``hash_to_scalar(purpose, context.election, context.binding, statement…, commitments…)``:
the purpose tag, the election fingerprint, the caller's binding (guardian index, ballot id, voter credential,
question and option ids, …), every element of the statement (including the public key) and every
commitment. Proofs are published in compact form (challenge(s), response(s)); the verifier recomputes the
commitments from the statement, so a proof is valid for exactly one statement and context.
"""

from __future__ import annotations

from dataclasses import dataclass

from saylau.crypto.elgamal import Ciphertext
from saylau.crypto.errors import VALID, CryptoError, FailureCode, Invalid, Verdict
from saylau.crypto.group import GENERATOR, Element, Rng, Scalar, base_mul, random_scalar
from saylau.crypto.hashing import Part, hash_to_scalar

__all__ = [
    "ChaumPedersenProof",
    "ProofContext",
    "RangeProof",
    "SchnorrProof",
    "prove_chaum_pedersen",
    "prove_range",
    "prove_schnorr",
    "verify_chaum_pedersen",
    "verify_range",
    "verify_schnorr",
]


@dataclass(frozen=True, slots=True)
class ProofContext:
    """What every challenge is bound to: the election fingerprint and a tuple of binding parts."""

    election: str
    binding: tuple[Part, ...] = ()

    def bind(self, *parts: Part) -> ProofContext:
        """This context with more binding parts appended."""
        return ProofContext(self.election, (*self.binding, *parts))

    def challenge(self, purpose: str, *parts: Part) -> Scalar:
        return hash_to_scalar(purpose, self.election, self.binding, *parts)


# -- Schnorr proof of knowledge of x with X = x·G --------------------------------------------------------

SCHNORR = "schnorr-pok"


@dataclass(frozen=True, slots=True)
class SchnorrProof:
    challenge: Scalar
    response: Scalar


def prove_schnorr(secret: Scalar, public: Element, context: ProofContext, rng: Rng) -> SchnorrProof:
    """Prove knowledge of ``secret`` with ``public = secret·G``; c = H(schnorr-pok, ctx, G, X, w·G)."""
    w = random_scalar(rng)
    c = context.challenge(SCHNORR, GENERATOR, public, base_mul(w))
    return SchnorrProof(c, w + c * secret)


def verify_schnorr(public: Element, proof: SchnorrProof, context: ProofContext) -> Verdict:
    if public.is_identity():
        return Invalid(FailureCode.IDENTITY, "statement")
    commitment = base_mul(proof.response) - proof.challenge * public
    if context.challenge(SCHNORR, GENERATOR, public, commitment) != proof.challenge:
        return Invalid(FailureCode.BAD_CHALLENGE, "proof")
    return VALID


# -- Chaum–Pedersen: log_G(X) = log_A(M) -------------------------------------------------------------------

CHAUM_PEDERSEN = "chaum-pedersen"


@dataclass(frozen=True, slots=True)
class ChaumPedersenProof:
    challenge: Scalar
    response: Scalar


def prove_chaum_pedersen(
    secret: Scalar, base: Element, public: Element, image: Element, context: ProofContext, rng: Rng
) -> ChaumPedersenProof:
    """Prove ``public = secret·G`` and ``image = secret·base``; c = H(cp, ctx, G, X, A, M, w·G, w·A)."""
    w = random_scalar(rng)
    c = context.challenge(CHAUM_PEDERSEN, GENERATOR, public, base, image, base_mul(w), w * base)
    return ChaumPedersenProof(c, w + c * secret)


def verify_chaum_pedersen(
    base: Element, public: Element, image: Element, proof: ChaumPedersenProof, context: ProofContext
) -> Verdict:
    if public.is_identity() or base.is_identity():
        return Invalid(FailureCode.IDENTITY, "statement")
    a = base_mul(proof.response) - proof.challenge * public
    b = proof.response * base - proof.challenge * image
    if context.challenge(CHAUM_PEDERSEN, GENERATOR, public, base, image, a, b) != proof.challenge:
        return Invalid(FailureCode.BAD_CHALLENGE, "proof")
    return VALID


# -- Disjunctive Chaum–Pedersen: (alpha, beta) encrypts some m in [low, high] under K ------------------------

RANGE = "elgamal-range"


@dataclass(frozen=True, slots=True)
class RangeProof:
    """One (challenge, response) per value low..high; the challenges sum to the Fiat–Shamir hash."""

    challenges: tuple[Scalar, ...]
    responses: tuple[Scalar, ...]


def _shifted_betas(beta: Element, low: int, count: int) -> list[Element]:
    """``beta − v·G`` for v = low, …, low + count − 1."""
    current = beta - base_mul(Scalar.of(low)) if low else beta
    shifted = [current]
    for _ in range(count - 1):
        current = current - GENERATOR
        shifted.append(current)
    return shifted


def _range_challenge(
    purpose: str, context: ProofContext, key: Element, ct: Ciphertext, low: int, high: int, commitments: list[Element]
) -> Scalar:
    return context.challenge(purpose, GENERATOR, key, ct.alpha, ct.beta, low, high, commitments)


def prove_range(
    ciphertext: Ciphertext,
    message: int,
    nonce: Scalar,
    public_key: Element,
    low: int,
    high: int,
    context: ProofContext,
    rng: Rng,
    purpose: str = RANGE,
) -> RangeProof:
    """Prove that ``ciphertext = Enc_K(message; nonce)`` with ``low ≤ message ≤ high`` (CDS OR-composition).

    c = H(purpose, ctx, G, K, alpha, beta, low, high, [a_low, b_low, …, a_high, b_high]).
    """
    if not 0 <= low <= message <= high:
        raise CryptoError(
            "plaintext outside the range to prove",
            code="crypto_plaintext_range",
            details={"low": low, "high": high},
        )
    count = high - low + 1
    real = message - low
    shifted = _shifted_betas(ciphertext.beta, low, count)
    challenges: list[Scalar] = []
    responses: list[Scalar] = []
    commitments: list[Element] = []
    w = random_scalar(rng)
    for v in range(count):
        if v == real:
            challenges.append(Scalar(0))
            responses.append(Scalar(0))
            commitments += [base_mul(w), w * public_key]
            continue
        c_v, u_v = random_scalar(rng), random_scalar(rng)
        challenges.append(c_v)
        responses.append(u_v)
        commitments += [base_mul(u_v) - c_v * ciphertext.alpha, u_v * public_key - c_v * shifted[v]]
    total = _range_challenge(purpose, context, public_key, ciphertext, low, high, commitments)
    c_real = total - sum(challenges, Scalar(0))
    challenges[real] = c_real
    responses[real] = w + c_real * nonce
    return RangeProof(tuple(challenges), tuple(responses))


def verify_range(
    ciphertext: Ciphertext,
    public_key: Element,
    low: int,
    high: int,
    proof: RangeProof,
    context: ProofContext,
    purpose: str = RANGE,
) -> Verdict:
    """Check a :func:`prove_range` proof for exactly this ciphertext, key, range and context."""
    count = high - low + 1
    if low < 0 or count < 1 or len(proof.challenges) != count or len(proof.responses) != count:
        return Invalid(FailureCode.BAD_SHAPE, "proof")
    if public_key.is_identity():
        return Invalid(FailureCode.IDENTITY, "public_key")
    shifted = _shifted_betas(ciphertext.beta, low, count)
    commitments: list[Element] = []
    for v in range(count):
        c_v, u_v = proof.challenges[v], proof.responses[v]
        commitments += [base_mul(u_v) - c_v * ciphertext.alpha, u_v * public_key - c_v * shifted[v]]
    total = _range_challenge(purpose, context, public_key, ciphertext, low, high, commitments)
    if sum(proof.challenges, Scalar(0)) != total:
        return Invalid(FailureCode.BAD_CHALLENGE, "proof")
    return VALID
