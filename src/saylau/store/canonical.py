"""Canonical JSON (sorted keys, no spaces, no floats; booleans and null allowed) and its SHA-256, for stored
counts and reports: the REPORT profile of model.canonical, the one encoder."""

from __future__ import annotations

import hashlib

from saylau.model.canonical import CanonicalProfile
from saylau.model.canonical import canonical_json as _canonical_json

__all__ = ["canonical_json", "sha256_hex"]


def canonical_json(value: object) -> str:
    return _canonical_json(value, CanonicalProfile.REPORT)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
