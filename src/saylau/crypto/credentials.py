"""Voter credentials and Schnorr signatures over ristretto255 (spec/crypto.md §6).

Belenios-style: a credential authority draws a random 32-byte credential per voter, hands it to the voter
and publishes only the public credential ``X = x·G`` where ``x = H(credential-key, election, credential)``.
A ballot is signed with x over its canonical content hash, so the server can neither forge nor re-assign
ballots. Schnorr over the same group (rather than Ed25519) keeps one group, one hash encoding and one
library surface for the verifier; signatures are (challenge, response), 64 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from saylau.crypto.errors import VALID, EncodingError, FailureCode, Invalid, Verdict
from saylau.crypto.group import GENERATOR, Element, Rng, Scalar, base_mul, random_scalar
from saylau.crypto.hashing import Part, hash_to_scalar
from saylau.crypto.proofs import ProofContext

__all__ = [
    "CREDENTIAL_BYTES",
    "CredentialSecret",
    "Signature",
    "SigningKey",
    "generate_signing_key",
    "issue_credential",
    "sign",
    "signing_key",
    "verify_signature",
]

CREDENTIAL_BYTES = 32
SIGNATURE = "schnorr-signature"


@dataclass(frozen=True, slots=True, repr=False)
class CredentialSecret:
    """The voter's private credential (32 random bytes). Never published."""

    code: bytes

    def __post_init__(self) -> None:
        if len(self.code) != CREDENTIAL_BYTES:
            raise EncodingError("a credential is 32 bytes", code="crypto_credential_length")

    def __repr__(self) -> str:
        return "CredentialSecret(<hidden>)"


@dataclass(frozen=True, slots=True, repr=False)
class SigningKey:
    """A Schnorr key pair: ``public = secret·G``. The secret half never goes on a public type."""

    secret: Scalar
    public: Element

    def __repr__(self) -> str:
        return f"SigningKey(public={self.public.hex()})"


@dataclass(frozen=True, slots=True)
class Signature:
    challenge: Scalar
    response: Scalar


def signing_key(credential: CredentialSecret, election: str) -> SigningKey:
    """``x = H(credential-key, election, credential)``, ``X = x·G``: the same credential differs per election."""
    secret = hash_to_scalar("credential-key", election, credential.code)
    return SigningKey(secret, base_mul(secret))


def issue_credential(election: str, rng: Rng) -> tuple[CredentialSecret, Element]:
    """Draw a credential; return it (for the voter) and the public credential (for the record)."""
    credential = CredentialSecret(rng(CREDENTIAL_BYTES))
    return credential, signing_key(credential, election).public


def generate_signing_key(rng: Rng) -> SigningKey:
    """A fresh key pair (guardians' authentication keys)."""
    secret = random_scalar(rng)
    return SigningKey(secret, base_mul(secret))


def sign(key: SigningKey, purpose: str, message: tuple[Part, ...], context: ProofContext, rng: Rng) -> Signature:
    """Schnorr: k random, R = k·G, c = H(purpose, ctx, G, X, message, R), s = k + c·x."""
    k = random_scalar(rng)
    c = context.challenge(SIGNATURE, purpose, GENERATOR, key.public, message, base_mul(k))
    return Signature(c, k + c * key.secret)


def verify_signature(
    public: Element, purpose: str, message: tuple[Part, ...], signature: Signature, context: ProofContext
) -> Verdict:
    """Recompute R = s·G − c·X and check c."""
    if public.is_identity():
        return Invalid(FailureCode.IDENTITY, "public_key")
    commitment = base_mul(signature.response) - signature.challenge * public
    if context.challenge(SIGNATURE, purpose, GENERATOR, public, message, commitment) != signature.challenge:
        return Invalid(FailureCode.BAD_SIGNATURE, "signature")
    return VALID
