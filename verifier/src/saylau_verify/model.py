"""Parsed record values (spec/record.md §2, §4, §5): frozen, slotted, no secrets beyond what the record publishes.

Elements are canonical 32-byte ``bytes``; scalars are ints in [0, ℓ).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Ballot",
    "BallotQuestion",
    "Ciphertext",
    "GuardianCommitment",
    "Manifest",
    "Proof",
    "QuestionSpec",
    "RangeProof",
    "Selection",
    "ShareEntry",
    "SpoiledOpening",
    "Tally",
    "TallyShare",
]


@dataclass(frozen=True, slots=True)
class Proof:
    challenge: int
    response: int


@dataclass(frozen=True, slots=True)
class RangeProof:
    challenges: tuple[int, ...]
    responses: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Ciphertext:
    alpha: bytes
    beta: bytes


@dataclass(frozen=True, slots=True)
class QuestionSpec:
    question_id: str
    options: tuple[str, ...]
    min_selections: int
    max_selections: int


@dataclass(frozen=True, slots=True)
class Manifest:
    election_id: str
    guardians: int
    quorum: int
    questions: tuple[QuestionSpec, ...]
    revote: str
    title: str


@dataclass(frozen=True, slots=True)
class GuardianCommitment:
    index: int
    commitments: tuple[bytes, ...]
    proofs: tuple[Proof, ...]
    auth_key: bytes
    auth_proof: Proof


@dataclass(frozen=True, slots=True)
class Selection:
    ciphertext: Ciphertext
    proof: RangeProof


@dataclass(frozen=True, slots=True)
class BallotQuestion:
    question_id: str
    selections: tuple[Selection, ...]
    range_proof: RangeProof


@dataclass(frozen=True, slots=True)
class Ballot:
    ballot_id: str
    credential: bytes
    questions: tuple[BallotQuestion, ...]
    signature: Proof


@dataclass(frozen=True, slots=True)
class SpoiledOpening:
    ballot_id: str
    choices: tuple[tuple[int, ...], ...]
    nonces: tuple[tuple[int, ...], ...]


@dataclass(frozen=True, slots=True)
class Tally:
    ballots: int
    questions: tuple[tuple[Ciphertext, ...], ...]


@dataclass(frozen=True, slots=True)
class ShareEntry:
    guardian: int
    image: bytes
    proof: Proof


@dataclass(frozen=True, slots=True)
class TallyShare:
    guardian: int
    shares: tuple[tuple[ShareEntry, ...], ...]
