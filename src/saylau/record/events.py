"""Events of the public record and their payloads (spec/record.md §4, §5)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, assert_never

from saylau.crypto import codec
from saylau.crypto.ballot import EncryptedBallot, QuestionSpec, SpoiledOpening
from saylau.crypto.group import Element
from saylau.crypto.hashing import hash_hex
from saylau.crypto.keys import GuardianCommitment
from saylau.crypto.tally import EncryptedTally, TallyShare
from saylau.crypto.tracking import TrackingCode
from saylau.record.encoding import FORMAT, canon, event_hash, payload_hash
from saylau.record.errors import RecordError

__all__ = [
    "E2ePhase",
    "Event",
    "EventType",
    "Manifest",
    "Revote",
    "ballot_payload",
    "close_payload",
    "credentials_payload",
    "decryption_payload",
    "guardian_payload",
    "joint_key_payload",
    "make_event",
    "phase_after",
    "result_payload",
    "setup_payload",
    "spoiled_payload",
    "tally_payload",
]

Revote = Literal["last", "refuse"]


class EventType(StrEnum):
    SETUP = "setup"
    GUARDIAN = "guardian"
    JOINT_KEY = "joint_key"
    CREDENTIALS = "credentials"
    BALLOT = "ballot"
    SPOILED = "spoiled"
    CLOSE = "close"
    TALLY = "tally"
    DECRYPTION = "decryption"
    RESULT = "result"


class E2ePhase(StrEnum):
    """The lifecycle, derived from the record's head event (no mutable state)."""

    CEREMONY = "ceremony"  # setup done, guardians being recorded
    KEYED = "keyed"  # joint key published, credentials not yet
    VOTING = "voting"
    CLOSED = "closed"
    DECRYPTING = "decrypting"  # tally published, partial decryptions arriving
    PUBLISHED = "published"


def phase_after(head: EventType) -> E2ePhase:
    match head:
        case EventType.SETUP | EventType.GUARDIAN:
            return E2ePhase.CEREMONY
        case EventType.JOINT_KEY:
            return E2ePhase.KEYED
        case EventType.CREDENTIALS | EventType.BALLOT | EventType.SPOILED:
            return E2ePhase.VOTING
        case EventType.CLOSE:
            return E2ePhase.CLOSED
        case EventType.TALLY | EventType.DECRYPTION:
            return E2ePhase.DECRYPTING
        case EventType.RESULT:
            return E2ePhase.PUBLISHED
        case _:
            assert_never(head)


@dataclass(frozen=True, slots=True)
class Manifest:
    election_id: str
    title: str
    questions: tuple[QuestionSpec, ...]
    guardians: int
    quorum: int
    revote: Revote

    def __post_init__(self) -> None:
        ids = [q.question_id for q in self.questions]
        if not self.questions or len(set(ids)) != len(ids):
            raise RecordError("a manifest needs distinct questions", code="record_bad_manifest")
        if not 1 <= self.quorum <= self.guardians:
            raise RecordError("need 1 <= quorum <= guardians", code="record_bad_manifest")
        if self.revote not in ("last", "refuse") or not self.election_id:
            raise RecordError("bad election id or revote setting", code="record_bad_manifest")

    def plain(self) -> dict[str, object]:
        return {
            "election_id": self.election_id,
            "format": FORMAT,
            "guardians": self.guardians,
            "questions": [codec.to_plain(q) for q in self.questions],
            "quorum": self.quorum,
            "revote": self.revote,
            "title": self.title,
        }

    def fingerprint(self) -> str:
        """``E = H_hex("election-manifest", canon(M))``."""
        return hash_hex("election-manifest", canon(self.plain()))

    @staticmethod
    def from_plain(data: object) -> Manifest:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise RecordError("not a saylau-record-v1 manifest", code="record_bad_manifest")
        questions = tuple(codec.loads(QuestionSpec, json.dumps(q)) for q in data["questions"])
        manifest = Manifest(
            data["election_id"], data["title"], questions, data["guardians"], data["quorum"], data["revote"]
        )
        if manifest.plain() != data:
            raise RecordError("manifest has unknown or malformed fields", code="record_bad_manifest")
        return manifest


@dataclass(frozen=True, slots=True)
class Event:
    """One chained event; ``payload`` is the exact canonical text that was hashed."""

    height: int
    parent: str
    type: EventType
    payload: str
    payload_hash: str
    hash: str

    def plain(self) -> dict[str, object]:
        value: object = json.loads(self.payload)
        return {
            "hash": self.hash,
            "height": self.height,
            "parent": self.parent,
            "payload": value,
            "payload_hash": self.payload_hash,
            "type": self.type.value,
        }


def make_event(previous: Event | None, event_type: EventType, payload: object) -> Event:
    """The next event of the chain after ``previous`` (None for the first event)."""
    text = canon(payload)
    digest = payload_hash(event_type.value, text)
    height = 0 if previous is None else previous.height + 1
    parent = "" if previous is None else previous.hash
    return Event(height, parent, event_type, text, digest, event_hash(parent, height, event_type.value, digest))


def setup_payload(manifest: Manifest) -> dict[str, object]:
    return {"fingerprint": manifest.fingerprint(), "manifest": manifest.plain()}


def guardian_payload(commitment: GuardianCommitment) -> object:
    return codec.to_plain(commitment)


def joint_key_payload(joint_key: Element, share_keys: Sequence[Element]) -> dict[str, object]:
    return {"joint_key": joint_key.hex(), "share_keys": [k.hex() for k in share_keys]}


def credentials_payload(credentials: Sequence[Element]) -> dict[str, object]:
    return {"credentials": sorted({c.hex() for c in credentials})}


def ballot_payload(ballot: EncryptedBallot, digest: str, code: TrackingCode) -> dict[str, object]:
    return {"ballot": codec.to_plain(ballot), "ballot_hash": digest, "tracking_code": code.full}


def spoiled_payload(ballot: EncryptedBallot, digest: str, opening: SpoiledOpening) -> dict[str, object]:
    return {"ballot": codec.to_plain(ballot), "ballot_hash": digest, "opening": codec.to_plain(opening)}


def close_payload(ballots: int, head: TrackingCode) -> dict[str, object]:
    return {"ballots": ballots, "tracking_head": head.full}


def tally_payload(counted: Sequence[str], tally: EncryptedTally) -> dict[str, object]:
    return {"counted": list(counted), "tally": codec.to_plain(tally)}


def decryption_payload(share: TallyShare) -> object:
    return codec.to_plain(share)


def result_payload(counts: Sequence[Sequence[int]], present: Sequence[int]) -> dict[str, object]:
    return {"counts": [list(row) for row in counts], "present": sorted(present)}
