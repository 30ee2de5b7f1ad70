"""Chained tracking codes for accepted ballots (spec/crypto.md §9).

``code_0 = H(tracking-genesis, election)`` and ``code_i = H(tracking, election, code_{i−1}, ballot_hash_i)``
(SHA-256, hex). A code depends on the ballot (its id, credential, ciphertexts and signature) and on every
ballot accepted before it, so two voters never receive the same code (clash attacks) and the chain shows
any later removal or reordering. The short form is base32 of the code's first 10 bytes, as 4 groups of 4.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from saylau.crypto.hashing import hash_hex, short_code

__all__ = ["TrackingCode", "genesis_code", "next_tracking_code", "tracking_chain"]


@dataclass(frozen=True, slots=True)
class TrackingCode:
    full: str  # 64 lowercase hex digits
    short: str  # e.g. "MFRG-GZDF-MZTW-QZLK"


def _code(full: str) -> TrackingCode:
    return TrackingCode(full, short_code(full))


def genesis_code(election: str) -> TrackingCode:
    return _code(hash_hex("tracking-genesis", election))


def next_tracking_code(election: str, previous: TrackingCode, ballot_hash: str) -> TrackingCode:
    return _code(hash_hex("tracking", election, bytes.fromhex(previous.full), bytes.fromhex(ballot_hash)))


def tracking_chain(election: str, ballot_hashes: Iterable[str]) -> tuple[TrackingCode, ...]:
    """The codes of the accepted ballots, in acceptance order."""
    codes: list[TrackingCode] = []
    previous = genesis_code(election)
    for ballot_hash in ballot_hashes:
        previous = next_tracking_code(election, previous, ballot_hash)
        codes.append(previous)
    return tuple(codes)
