"""Canonical JSON and the two hashes of the chain (spec/record.md §2, §3)."""

from __future__ import annotations

import json

from saylau.crypto.hashing import hash_hex
from saylau.model.canonical import CanonicalProfile, NotCanonical, canonical_json
from saylau.record.errors import RecordError

__all__ = ["FORMAT", "canon", "event_hash", "parse_canonical", "payload_hash"]

FORMAT = "saylau-record-v1"


def canon(value: object) -> str:
    """The canonical JSON text of ``value`` (sorted keys, no spaces, UTF-8, no floats/booleans/null): the
    RECORD profile of model.canonical, the one encoder."""
    try:
        return canonical_json(value, CanonicalProfile.RECORD)
    except NotCanonical as exc:
        raise RecordError(exc.message, code="record_json_type", details=exc.details) from None


def parse_canonical(text: str) -> object:
    """Parse ``text`` and require it to be the canonical encoding of its own value."""
    try:
        value: object = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(f"not JSON: {exc}", code="record_json_syntax") from exc
    if canon(value) != text:
        raise RecordError("not canonical JSON", code="record_not_canonical")
    return value


def payload_hash(event_type: str, payload_text: str) -> str:
    """``H_hex("record-payload", type, canon(payload))``."""
    return hash_hex("record-payload", event_type, payload_text)


def event_hash(parent: str, height: int, event_type: str, payload_digest: str) -> str:
    """``H_hex("record-event", parent, height, type, payload_hash)``; parent is "" at height 0."""
    return hash_hex("record-event", parent, height, event_type, payload_digest)
