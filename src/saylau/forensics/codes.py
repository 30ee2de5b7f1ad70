"""The stable error codes of election forensics (spec/formats.md §15; the checks: spec/forensics.md)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ForensicsCode"]


class ForensicsCode(StrEnum):
    """Codes raised by saylau.forensics."""

    FORENSICS = "forensics"  # ForensicsError without a finer code
    NO_PRECINCTS = "no_precincts"  # forensics asked of an input without any precinct
    DUPLICATE_PRECINCT = "duplicate_precinct"  # two precincts of the input share one code
    NEGATIVE_COUNT = "negative_count"  # a count below zero in the input
    OPTION_MISMATCH = "option_mismatch"  # precincts (or channels) that do not list the same options
    UNKNOWN_OPTION = "unknown_option"  # a winner named that is not an option of the contest
    WINNER_TIE = "winner_tie"  # two options share the most votes and no winner was named
    BAD_SETTING = "bad_setting"  # a setting out of its range (a probability outside (0, 1), a count below 1)
