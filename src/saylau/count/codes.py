"""The stable error codes of counting: aggregation, double entry, the electronic channel (spec/formats.md §15)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["CountCode"]


class CountCode(StrEnum):
    """Codes raised by saylau.count (and by services checking the same facts)."""

    UNKNOWN_UNIT = "unknown_unit"  # a unit that is not in the territory
    UNKNOWN_PRECINCT = "unknown_precinct"  # a precinct that is not in the territory (of this event)
    UNKNOWN_QUESTION = "unknown_question"  # a question that is not counted here
    SAME_OPERATOR = "same_operator"  # the second entry of a round keyed by the operator of the first
    CHANNEL_RESULT_SHAPE = "channel_result_shape"  # an e2e result whose counts do not add up to its ballots
