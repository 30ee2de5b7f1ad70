"""The audit record: a hash chain of events (spec/audit.md §12), built with the record's encoding.

Each event is ``{parent, height, type, payload_hash, hash}`` over a canonical JSON payload (RECORD
profile: strings, integers, lists and objects; no floats, booleans or nulls), with
``payload_hash = H_hex("record-payload", type, canon(payload))`` and
``hash = H_hex("record-event", parent, height, type, payload_hash)`` (spec/record.md §3).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from saylau.model import Conflict
from saylau.record.encoding import canon, event_hash, payload_hash
from saylau.services.audit.codes import AuditFlowCode
from saylau.store.audit_repo import RecordRow

__all__ = ["AuditEvent", "chain_problems", "next_event", "payload_of", "record_line"]


class AuditEvent(StrEnum):
    PLAN = "plan"
    MANIFEST = "manifest"
    SEED = "seed"
    DRAW = "draw"
    ENTRY = "entry"
    ROUND = "round"
    FINISH = "finish"
    HAND_COUNT = "hand_count"


def next_event(previous: Sequence[RecordRow], kind: AuditEvent, payload: Mapping[str, object]) -> RecordRow:
    """The event after ``previous`` (the chain so far, or the events about to be appended after it)."""
    parent = previous[-1].hash if previous else ""
    height = len(previous)
    text = canon(dict(payload))
    digest = payload_hash(kind.value, text)
    return RecordRow(height, parent, kind.value, text, digest, event_hash(parent, height, kind.value, digest))


def payload_of(row: RecordRow) -> dict[str, Any]:
    value = json.loads(row.payload)
    if not isinstance(value, dict):
        raise Conflict("an audit record payload is not an object", code=AuditFlowCode.AUDIT_STEP)
    return value


def record_line(row: RecordRow) -> str:
    """One line of ``record.jsonl``: the event as spec/record.md §1 spells it (exactly these keys)."""
    return canon(
        {
            "hash": row.hash,
            "height": row.height,
            "parent": row.parent,
            "payload": json.loads(row.payload),
            "payload_hash": row.payload_hash,
            "type": row.type,
        }
    )


def chain_problems(rows: Sequence[RecordRow]) -> list[str]:
    """What is wrong with a chain (empty: every height, parent, payload hash and event hash checks)."""
    problems = []
    parent = ""
    for i, r in enumerate(rows):
        if r.height != i or r.parent != parent:
            problems.append(f"event {i}: height {r.height} or parent does not link to the previous event")
        if canon(json.loads(r.payload)) != r.payload or payload_hash(r.type, r.payload) != r.payload_hash:
            problems.append(f"event {i}: the payload does not match its payload_hash")
        if event_hash(r.parent, r.height, r.type, r.payload_hash) != r.hash:
            problems.append(f"event {i}: the hash does not match the event")
        parent = r.hash
    return problems
