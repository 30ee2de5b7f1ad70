"""The commission's entry form at the edge: form fields ``<contest>.<field>`` in, whole numbers out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from saylau.model import InputError, Problem, QuestionCode
from saylau.model.strict import ascii_int

__all__ = ["MAX_COUNT", "FormContest", "parse_counts"]

MAX_COUNT = 10**9  # no precinct counts a billion of anything: a larger figure is a keying error


class FormContest(Protocol):
    """A contest as the form shows it: its code and its fields in order."""

    @property
    def code(self) -> QuestionCode: ...
    @property
    def fields(self) -> tuple[str, ...]: ...


def parse_counts(raw: Mapping[str, str], contests: Sequence[FormContest]) -> dict[QuestionCode, dict[str, int]]:
    """Form fields ``<contest>.<field>`` as whole numbers; every bad field is named."""
    counts: dict[QuestionCode, dict[str, int]] = {}
    problems = []
    for c in contests:
        counts[c.code] = {}
        for f in c.fields:
            key = f"{c.code}.{f}"
            value = ascii_int(raw.get(key, "").strip())  # ASCII digits only: '²' and '１２' are not counts
            if value is None or value > MAX_COUNT:
                problems.append(Problem(rule="whole_number", message=f"{key}: a whole number is required", field=key))
                continue
            counts[c.code][f] = value
    if problems:
        raise InputError(problems, summary=f"{len(problems)} field(s) are not whole numbers")
    return counts
