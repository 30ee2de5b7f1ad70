"""Seats to named candidates from ranked (closed) lists: the first ``seats`` names of each list.

A list shorter than its seats is not an error: the seats it cannot fill are reported as vacant
(what happens to them is for the law to say; saylau names the outcome).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from saylau.model.errors import InputError, Problem

__all__ = ["ListOutcome", "elect_from_lists"]


@dataclass(frozen=True, slots=True)
class ListOutcome:
    """Who a party's list elects, and how many of its seats stay vacant for want of candidates."""

    party: str
    seats: int
    elected: tuple[str, ...]
    vacant: int

    @property
    def exhausted(self) -> bool:
        return self.vacant > 0


def elect_from_lists(seats: Mapping[str, int], lists: Mapping[str, Sequence[str]]) -> tuple[ListOutcome, ...]:
    """One outcome per party in ``seats`` (in its order). A party without a list elects nobody."""
    problems: list[Problem] = []
    for party, ranked in lists.items():
        if len(set(ranked)) != len(ranked):
            problems.append(Problem("duplicate_candidate", f"{party}: a candidate is listed twice", field="list"))
    for party, n in seats.items():
        if n < 0:
            problems.append(Problem("negative", f"{party}: seats must not be negative", field="seats"))
    if problems:
        raise InputError(problems, summary="lists refused")
    out: list[ListOutcome] = []
    for party, n in seats.items():
        elected = tuple(lists.get(party, ())[:n])
        out.append(ListOutcome(party, n, elected, n - len(elected)))
    return tuple(out)
