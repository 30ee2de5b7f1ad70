"""A whole simulated e2e referendum: guardians, a credential authority and voters, all in memory.

Secrets (guardian polynomials, key shares, private credentials, ballot nonces) live only in this
process's memory; the database and the record receive public values only. ``seed`` drives only the
voters' choices (and who spoils or re-votes); every cryptographic nonce comes from ``rng``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from saylau.crypto.ballot import QuestionSpec, encrypt_ballot, open_spoiled
from saylau.crypto.credentials import CredentialSecret, issue_credential, signing_key
from saylau.crypto.group import Element, Rng
from saylau.crypto.keys import (
    CeremonyParams,
    GuardianCommitment,
    GuardianSecrets,
    KeyShare,
    combine_key_shares,
    generate_guardian,
    share_for,
    share_public_key,
)
from saylau.crypto.proofs import ProofContext
from saylau.crypto.tally import decrypt_tally_share
from saylau.model import SaylauError
from saylau.record.events import Manifest
from saylau.services.context import Context
from saylau.services.e2e.casting import cast_ballot, spoil_ballot
from saylau.services.e2e.lifecycle import (
    Result,
    close_election,
    publish_result,
    record_ceremony,
    register_credentials,
    setup_election,
    submit_decryption,
    tally_election,
)

__all__ = ["YES_NO", "E2eDemoRun", "Guardians", "Progress", "key_ceremony", "run_e2e_demo"]

YES_NO = (QuestionSpec("q1", ("yes", "no"), 1, 1),)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class E2eDemoRun:
    election: str
    fingerprint: str
    result: Result
    expected: tuple[tuple[int, ...], ...]
    voters: int
    cast: int
    spoiled: int
    revotes: int
    tracking_head: str


@dataclass(frozen=True, slots=True, repr=False)
class Guardians:
    """The guardians' secrets, held in memory by the simulation only."""

    secrets: tuple[GuardianSecrets, ...]
    key_shares: tuple[KeyShare, ...]
    commitments: tuple[GuardianCommitment, ...]
    joint_key: Element


def key_ceremony(ctx: Context, code: str, fingerprint: str, params: CeremonyParams, rng: Rng) -> Guardians:
    """Simulate n guardians: commitments, signed shares to each other (verified by the service), key shares."""
    context = ProofContext(fingerprint)
    pairs = [generate_guardian(i, params, context, rng) for i in range(1, params.guardians + 1)]
    shares = [share_for(s, j, context, rng) for s, _ in pairs for j in range(1, params.guardians + 1)]
    joint_key = record_ceremony(ctx, code, [c for _, c in pairs], shares)
    key_shares = tuple(
        combine_key_shares(j, [s for s in shares if s.recipient == j]) for j in range(1, params.guardians + 1)
    )
    return Guardians(tuple(s for s, _ in pairs), key_shares, tuple(c for _, c in pairs), joint_key)


def _vote(
    ctx: Context, code: str, fingerprint: str, key: Element, credential: CredentialSecret, choice: int, rng: Rng
) -> None:
    voter = signing_key(credential, fingerprint)
    ballot, _ = encrypt_ballot(YES_NO, [[choice, 1 - choice]], key, fingerprint, rng(12).hex(), voter, rng)
    cast_ballot(ctx, code, ballot)


def _spoil(ctx: Context, code: str, fingerprint: str, key: Element, credential: CredentialSecret, rng: Rng) -> None:
    voter = signing_key(credential, fingerprint)
    ballot, device = encrypt_ballot(YES_NO, [[1, 0]], key, fingerprint, rng(12).hex(), voter, rng)
    spoil_ballot(ctx, code, ballot, open_spoiled(ballot, device))


def run_e2e_demo(
    ctx: Context, voters: int, guardians: int, quorum: int, seed: int, rng: Rng, progress: Progress, code: str
) -> E2eDemoRun:
    """Set up, key, vote (≈10 % spoil once, ≈10 % re-vote), close, tally, decrypt with a quorum, publish."""
    manifest = Manifest(code, "Demo referendum: do you approve the proposal?", YES_NO, guardians, quorum, "last")
    fingerprint = setup_election(ctx, manifest)
    params = CeremonyParams(guardians, quorum)
    progress("key ceremony", 0, 1)
    council = key_ceremony(ctx, code, fingerprint, params, rng)
    commitments_key = council.joint_key
    credentials = [issue_credential(fingerprint, rng) for _ in range(voters)]
    register_credentials(ctx, code, [public for _, public in credentials])
    choices = random.Random(seed)
    final: list[int] = []
    spoiled = revotes = cast = 0
    for n, (credential, _) in enumerate(credentials, start=1):
        if choices.random() < 0.1:
            _spoil(ctx, code, fingerprint, commitments_key, credential, rng)
            spoiled += 1
        choice = int(choices.random() < 0.6)
        _vote(ctx, code, fingerprint, commitments_key, credential, choice, rng)
        cast += 1
        if choices.random() < 0.1:
            choice = int(choices.random() < 0.5)
            _vote(ctx, code, fingerprint, commitments_key, credential, choice, rng)
            cast, revotes = cast + 1, revotes + 1
        final.append(choice)
        progress("voting", n, voters)
    _, head = close_election(ctx, code)
    progress("tally and decryption", 0, 1)
    tally = tally_election(ctx, code)
    present = council.key_shares[:quorum]  # the other guardians are absent: Lagrange covers them
    for share in present:
        public = share_public_key(council.commitments, share.index)
        submit_decryption(ctx, code, decrypt_tally_share(tally, share, public, ProofContext(fingerprint), rng))
    result = publish_result(ctx, code)
    expected = ((sum(final), len(final) - sum(final)),)
    if result.counts != expected:  # pragma: no cover - would mean a bug in the pipeline
        raise SaylauError(f"result {result.counts} differs from the simulated votes {expected}", code="e2e_demo")
    return E2eDemoRun(code, fingerprint, result, expected, voters, cast, spoiled, revotes, head.full)
