"""The codes of the observers' parallel check (spec/formats.md §15)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["CopyCode"]


class CopyCode(StrEnum):
    """The codes of the parallel check (spec/formats.md §15)."""

    COPY_LIMIT = "copy_limit"  # the observer has submitted MAX_COPIES copies of the precinct
    COPY_PHASE = "copy_phase"  # a copy before the count began
    NOT_OBSERVER = "not_observer"  # an account other than an active observer submits a copy
