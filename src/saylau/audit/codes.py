"""The stable error codes of the audit core (spec/formats.md §15; the mathematics: spec/audit.md)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["AuditCode"]


class AuditCode(StrEnum):
    """Codes raised by saylau.audit."""

    AUDIT = "audit"  # AuditError without a finer code
    BAD_RISK_LIMIT = "bad_risk_limit"  # a risk limit not strictly between 0 and 1
    BAD_MANIFEST = "bad_manifest"  # a manifest with a batch twice, a negative count or no ballots
    UNKNOWN_BATCH = "unknown_batch"  # a hand count for a batch that is not in the manifest
    BAD_HAND_COUNT = "bad_hand_count"  # a hand count with a negative figure or more ballots than the manifest
    UNSUPPORTED_CONDITION = "unsupported_condition"  # a preset condition no assertion can express
    DEGENERATE_ASSERTION = "degenerate_assertion"  # an assertion no sample can test (over no ballots, say)
    BAD_PARAMETER = "bad_parameter"  # a statistical parameter out of range (a share, a rate, a probability)
