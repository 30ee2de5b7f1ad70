"""The producer's own checks of a chain (spec/record.md V2–V5, V7) and the export files (§1)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from saylau.record.encoding import FORMAT, canon, event_hash, payload_hash
from saylau.record.errors import RecordError
from saylau.record.events import Event, EventType, Manifest

__all__ = ["ChainProblem", "check_chain", "record_files", "require_chain"]


@dataclass(frozen=True, slots=True)
class ChainProblem:
    step: str  # the spec step, e.g. "V4"
    height: int
    message: str


def _link_problems(events: Sequence[Event]) -> list[ChainProblem]:
    problems: list[ChainProblem] = []
    previous = ""
    for position, event in enumerate(events):
        if event.height != position:
            problems.append(ChainProblem("V2", position, f"height {event.height} at position {position}"))
        if canon(json.loads(event.payload)) != event.payload:
            problems.append(ChainProblem("V1", position, "payload is not canonical JSON"))
        if payload_hash(event.type.value, event.payload) != event.payload_hash:
            problems.append(ChainProblem("V3", position, "payload_hash does not match the payload"))
        if event_hash(event.parent, event.height, event.type.value, event.payload_hash) != event.hash:
            problems.append(ChainProblem("V4", position, "hash does not match the event"))
        if event.parent != previous:
            problems.append(ChainProblem("V5", position, "parent is not the previous event's hash"))
        previous = event.hash
    return problems


def _grammar_problems(events: Sequence[Event]) -> list[ChainProblem]:
    """V7: setup, n×guardian, joint_key, credentials, (ballot|spoiled)*, close, tally, ≥t×decryption, result."""
    if not events or events[0].type is not EventType.SETUP:
        return [ChainProblem("V7", 0, "the record must start with a setup event")]
    try:
        manifest = Manifest.from_plain(json.loads(events[0].payload)["manifest"])
    except (RecordError, KeyError, TypeError) as exc:
        return [ChainProblem("V8", 0, f"bad manifest: {exc}")]
    n = manifest.guardians
    expected = [EventType.GUARDIAN] * n + [EventType.JOINT_KEY, EventType.CREDENTIALS]
    types = [e.type for e in events[1:]]
    for offset, (want, got) in enumerate(zip(expected, types, strict=False)):
        if want is not got:
            return [ChainProblem("V7", offset + 1, f"expected {want}, found {got}")]
    rest = types[len(expected) :]
    voting = [EventType.BALLOT, EventType.SPOILED]
    i = 0
    while i < len(rest) and rest[i] in voting:
        i += 1
    order = [EventType.CLOSE, EventType.TALLY]
    for want in order:
        if i < len(rest):
            if rest[i] is not want:
                return [ChainProblem("V7", len(expected) + 1 + i, f"expected {want}, found {rest[i]}")]
            i += 1
    decryptions = 0
    while i < len(rest) and rest[i] is EventType.DECRYPTION:
        decryptions, i = decryptions + 1, i + 1
    if i < len(rest) and (rest[i] is not EventType.RESULT or i != len(rest) - 1 or decryptions < manifest.quorum):
        return [ChainProblem("V7", len(expected) + 1 + i, f"unexpected {rest[i]} here")]
    return []


def check_chain(events: Sequence[Event]) -> list[ChainProblem]:
    """Every problem found in the links (V1–V5) and the order of event types (V7) of a (partial) record."""
    return _link_problems(events) + _grammar_problems(events)


def require_chain(events: Sequence[Event]) -> None:
    problems = check_chain(events)
    if problems:
        first = problems[0]
        raise RecordError(
            f"the stored record is broken at height {first.height}: {first.message} [{first.step}]",
            code="record_broken",
            details={"problems": [f"{p.step}@{p.height}: {p.message}" for p in problems]},
        )


def record_files(events: Sequence[Event]) -> dict[str, str]:
    """The two files of a published record: ``events.jsonl`` and ``manifest.json`` (spec/record.md §1)."""
    require_chain(events)
    setup = json.loads(events[0].payload)
    manifest = {
        "events": len(events),
        "fingerprint": setup["fingerprint"],
        "format": FORMAT,
        "head": events[-1].hash,
        "manifest": setup["manifest"],
    }
    lines = "".join(canon(e.plain()) + "\n" for e in events)
    return {"events.jsonl": lines, "manifest.json": canon(manifest) + "\n"}
