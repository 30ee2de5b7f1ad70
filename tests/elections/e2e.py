"""E2e test elections through the services: setup, a simulated key ceremony and credentials, all drawn from
a seed, so the same code and seed give the same election (fingerprint, guardians, credentials) in any
database (STYLE.md habit 10). Ballot nonces are the tests' own: OS randomness unless a test passes a
``seeded`` generator (to make the same ciphertexts twice)."""

from __future__ import annotations

import hashlib
import itertools
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from saylau.crypto.ballot import BallotSecrets, EncryptedBallot, QuestionSpec, encrypt_ballot
from saylau.crypto.credentials import CredentialSecret, SigningKey, issue_credential, signing_key
from saylau.crypto.group import Element
from saylau.crypto.keys import CeremonyParams, share_public_key
from saylau.crypto.proofs import ProofContext
from saylau.crypto.tally import decrypt_tally_share
from saylau.record.events import Manifest, Revote
from saylau.services.context import Context
from saylau.services.e2e.demo import YES_NO, Guardians, key_ceremony
from saylau.services.e2e.lifecycle import register_credentials, setup_election, submit_decryption, tally_election

__all__ = ["OS_RNG", "E2eElection", "Rng", "open_e2e", "seeded"]

Rng = Callable[[int], bytes]
OS_RNG: Rng = secrets.token_bytes


def seeded(seed: bytes) -> Rng:
    """Deterministic bytes: SHAKE-256 of the seed and a counter (tests only, never a voter's nonce)."""
    counter = itertools.count()
    return lambda n: hashlib.shake_256(seed + next(counter).to_bytes(4, "big")).digest(n)


@dataclass(frozen=True)
class E2eElection:
    code: str
    fingerprint: str
    council: Guardians
    voters: list[CredentialSecret]  # registered unless ``open_e2e(register=False)``
    publics: list[Element]  # the voters' public credentials, in the same order
    stranger: CredentialSecret  # issued for this election, never registered
    questions: tuple[QuestionSpec, ...] = YES_NO

    @property
    def joint_key(self) -> Element:
        return self.council.joint_key

    def signer(self, voter: int) -> SigningKey:
        """Voter ``voter``'s signing key; a negative number is the stranger's."""
        return signing_key(self.stranger if voter < 0 else self.voters[voter], self.fingerprint)

    def encrypt(
        self, voter: int, choices: Sequence[Sequence[int]], ballot_id: str, rng: Rng = OS_RNG
    ) -> tuple[EncryptedBallot, BallotSecrets]:
        return encrypt_ballot(
            self.questions, choices, self.joint_key, self.fingerprint, ballot_id, self.signer(voter), rng
        )

    def ballot(self, voter: int, yes: int, ballot_id: str, rng: Rng = OS_RNG) -> EncryptedBallot:
        """A yes (1) or no (0) ballot on the first question's two options."""
        return self.encrypt(voter, [[yes, 1 - yes]], ballot_id, rng)[0]

    def register(self, ctx: Context) -> int:
        return register_credentials(ctx, self.code, self.publics)

    def decrypt(self, ctx: Context, guardians: Sequence[int], rng: Rng = OS_RNG) -> None:
        """Tally, then each of ``guardians`` (1-based) submits its decryption share."""
        tally = tally_election(ctx, self.code)
        for j in guardians:
            share, public = self.council.key_shares[j - 1], share_public_key(self.council.commitments, j)
            submit_decryption(
                ctx, self.code, decrypt_tally_share(tally, share, public, ProofContext(self.fingerprint), rng)
            )


def open_e2e(
    ctx: Context,
    code: str,
    *,
    voters: int = 3,
    guardians: int = 3,
    quorum: int = 2,
    revote: Revote = "last",
    title: str = "Approve?",
    questions: tuple[QuestionSpec, ...] = YES_NO,
    seed: bytes | None = None,
    register: bool = True,
) -> E2eElection:
    """Set up election ``code``, run its key ceremony and issue ``voters`` credentials (registered unless
    ``register`` is false) and one stranger's, all from ``seed`` (default: the code)."""
    rng = seeded(b"saylau-test-election:" + code.encode() if seed is None else seed)
    fingerprint = setup_election(ctx, Manifest(code, title, questions, guardians, quorum, revote))
    council = key_ceremony(ctx, code, fingerprint, CeremonyParams(guardians, quorum), rng)
    issued = [issue_credential(fingerprint, rng) for _ in range(voters)]
    stranger, _ = issue_credential(fingerprint, rng)
    election = E2eElection(
        code, fingerprint, council, [c for c, _ in issued], [p for _, p in issued], stranger, questions
    )
    if register:
        election.register(ctx)
    return election
