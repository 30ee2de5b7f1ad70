"""The stable error codes of the disputes core (spec/formats.md §15; the rules: spec/disputes.md)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["DisputesCode"]


class DisputesCode(StrEnum):
    """Codes raised by saylau.disputes."""

    DISPUTE = "dispute"  # DisputeError without a finer code
    CALENDAR_UNKNOWN = "calendar_unknown"  # a working-day computation reaching a period the calendar data lacks
    NO_KIND_ON_DATE = "no_kind_on_date"  # no version of a case kind in force on that day
    UNKNOWN_KIND = "unknown_kind"  # no case kind of that name
    BAD_CASE = "bad_case"  # a case value that breaks its own rules (a digest, a language, a period)
    BAD_CASE_TRANSITION = "bad_case_transition"  # a status change the case's state machine does not allow
    NO_ELIGIBLE_JUDGE = "no_eligible_judge"  # every judge is recused: no rapporteur can be assigned
    BAD_LOT_SEED = "bad_lot_seed"  # a lot seed that is not 1-64 printable ASCII characters
