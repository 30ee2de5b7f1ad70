"""A hand count typed into the audit's form is read by the rule of the hand-count file (one rule, two faces)."""

from __future__ import annotations

import pytest

from saylau.audit import BallotCounts
from saylau.model import InputError
from saylau.services.audit.counting import form_counts, parse_counts

FIELDS = {"yes": "300", "no": "560", "invalid": "10", "not_counted": "10"}


def test_a_form_reads_as_the_files_row() -> None:
    [(_, batch, from_file)] = parse_counts(b"batch,yes,no,invalid,not_counted\nP3,300,560,10,10\n", "hand.csv")
    assert batch == "P3"
    assert form_counts(FIELDS, "form") == from_file == BallotCounts(300, 560, 10, 10)


BAD = ["-1", "１２", "9" * 5000, ""]


@pytest.mark.parametrize("bad", ["10\rP1,1,1,1,1", *BAD])  # a line break in a form field starts no row
def test_a_bad_figure_in_the_form_is_refused_by_field(bad: str) -> None:
    with pytest.raises(InputError) as info:
        form_counts(FIELDS | {"not_counted": bad}, "form")
    assert [(p.rule, p.field) for p in info.value.problems] == [("not_a_count", "not_counted")]


@pytest.mark.parametrize("bad", BAD)
def test_the_same_figure_in_the_file_is_refused(bad: str) -> None:
    with pytest.raises(InputError) as info:
        parse_counts(f"batch,yes,no,invalid,not_counted\nP3,300,560,10,{bad}\n".encode(), "hand.csv")
    assert [(p.rule, p.field, p.line) for p in info.value.problems] == [("not_a_count", "not_counted", 2)]
