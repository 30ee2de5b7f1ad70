"""The stable error codes of seat allocation (spec/formats.md §15; the methods: spec/contests.md)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["SeatsCode"]


class SeatsCode(StrEnum):
    """Codes raised by saylau.seats."""

    SEATS = "seats"  # SeatsError without a finer code
    BAD_THRESHOLD = "bad_threshold"  # a threshold that is not a percent or fraction, or above 100%
    DISTRICT_SEATS_EXCEED_HOUSE = "district_seats_exceed_house"  # more district seats won than the house has
    NO_VOTES = "no_votes"  # seats to allocate but no votes for the parties taking part
    NOT_A_DIVISOR_METHOD = "not_a_divisor_method"  # a quota method given where a divisor method is needed
    NOT_A_QUOTA_METHOD = "not_a_quota_method"  # a divisor method given where a quota method is needed
    QUOTA_OVERFLOW = "quota_overflow"  # the integer parts of the quotas exceed the seats
    QUOTA_TOO_LARGE = "quota_too_large"  # the quota leaves fewer seats than parties need: too few votes
    TIE_UNRESOLVED = "tie_unresolved"  # a tie decides a seat and the data cannot break it (no order, no lot)
