"""Shared helpers for the crypto tests: a deterministic rng (tests and vectors ONLY) and a small ceremony."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from saylau.crypto.group import Element
from saylau.crypto.keys import (
    CeremonyParams,
    GuardianCommitment,
    KeyShare,
    combine_key_shares,
    generate_guardian,
    joint_public_key,
    share_for,
    share_public_key,
    verify_share,
)
from saylau.crypto.proofs import ProofContext

__all__ = ["Ceremony", "Drbg", "run_ceremony"]

ELECTION = "c0ffee" * 10 + "abcd"  # a stand-in election fingerprint (64 hex digits)


class Drbg:
    """SHA-512 in counter mode from a seed. Deterministic: never use outside tests and vector generation."""

    def __init__(self, seed: bytes | str | int) -> None:
        self._seed = seed if isinstance(seed, bytes) else str(seed).encode()
        self._counter = 0
        self._buffer = b""

    def __call__(self, n: int) -> bytes:
        while len(self._buffer) < n:
            block = hashlib.sha512(self._seed + self._counter.to_bytes(8, "big")).digest()
            self._counter += 1
            self._buffer += block
        out, self._buffer = self._buffer[:n], self._buffer[n:]
        return out


@dataclass(frozen=True)
class Ceremony:
    params: CeremonyParams
    commitments: tuple[GuardianCommitment, ...]
    keys: dict[int, KeyShare]
    share_publics: dict[int, Element]
    public_key: Element
    context: ProofContext


def run_ceremony(n: int, t: int, seed: object = 0, election: str = ELECTION) -> Ceremony:
    rng = Drbg(f"ceremony-{n}-{t}-{seed}")
    params = CeremonyParams(n, t)
    context = ProofContext(election).bind("key-ceremony")
    guardians = [generate_guardian(i, params, context, rng) for i in range(1, n + 1)]
    commitments = tuple(c for _, c in guardians)
    keys: dict[int, KeyShare] = {}
    for j in range(1, n + 1):
        shares = [share_for(s, j, context, rng) for s, _ in guardians]
        assert all(verify_share(x, commitments[x.sender - 1], context) for x in shares)
        keys[j] = combine_key_shares(j, shares)
    publics = {j: share_public_key(commitments, j) for j in range(1, n + 1)}
    return Ceremony(params, commitments, keys, publics, joint_public_key(commitments), context)
