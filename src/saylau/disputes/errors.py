"""The disputes core's errors: expected failures with a stable code and the facts (STYLE habit 4)."""

from __future__ import annotations

from saylau.disputes.codes import DisputesCode
from saylau.model.errors import LifecycleError, SaylauError

__all__ = ["CaseTransitionRefused", "DisputeError"]


class DisputeError(SaylauError):
    """A disputes input or computation the rules cannot take (the code says which)."""

    code: str = DisputesCode.DISPUTE


class CaseTransitionRefused(LifecycleError):
    """A case status change its state machine does not allow (spec/disputes.md §4)."""

    code: str = DisputesCode.BAD_CASE_TRANSITION
