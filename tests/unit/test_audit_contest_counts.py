"""An election contest's hand-count file (spec/formats.md "Audit hand counts"): the options' columns and
`invalid` in any order after `batch`; every problem named by line and field; nothing half read."""

from __future__ import annotations

import pytest

from saylau.model import InputError
from saylau.services.audit.counting import parse_contest_counts

OPTIONS = ("amanat", "auyl", "against_all")


def test_the_columns_after_batch_come_in_any_order() -> None:
    data = b"batch,invalid,against_all,auyl,amanat\nP1,10,30,100,400\n"
    ((line, batch, counts),) = parse_contest_counts(data, "h.csv", OPTIONS)
    assert (line, batch) == (2, "P1")
    assert counts.votes == (("amanat", 400), ("auyl", 100), ("against_all", 30))
    assert counts.invalid == 10
    assert counts.ballots == 540


@pytest.mark.parametrize(
    ("data", "rule", "line", "field"),
    [
        (b"batch,amanat,auyl,invalid\nP1,1,2,3\n", "header", 1, None),  # an option missing
        (b"amanat,batch,auyl,against_all,invalid\n1,P1,2,3,4\n", "header", 1, None),  # batch not first
        (b"batch,yes,no,invalid,not_counted\nP1,1,2,3,4\n", "header", 1, None),  # a question's file
        (b"batch,amanat,auyl,against_all,invalid\nP1,1,x,3,4\n", "not_a_count", 2, "auyl"),
        (b"batch,amanat,auyl,against_all,invalid\nP1,1,2,3\n", "columns", 2, None),
    ],
)
def test_a_bad_file_is_refused_whole(data: bytes, rule: str, line: int, field: str | None) -> None:
    with pytest.raises(InputError) as err:
        parse_contest_counts(data, "h.csv", OPTIONS)
    (problem,) = err.value.problems
    assert (problem.rule, problem.line, problem.field, problem.file) == (rule, line, field, "h.csv")
