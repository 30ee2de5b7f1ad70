"""The CSV parser of `saylau seats`."""

from __future__ import annotations

import pytest

from saylau.io.seats_table import parse_seats_table
from saylau.model.errors import InputError
from saylau.seats import PartyRow


def test_optional_columns_and_non_party_rows() -> None:
    text = (
        "party,votes,district_seats,threshold_exempt,order,eligible\n"
        "A,10,2,false,1,\nB,5,,true,,\nAgainst All,3,,,,\nblank,1,,,,\nIndependents,2,,,,false\n"
    )
    rows = parse_seats_table(text, "t.csv")
    assert rows[0] == PartyRow("A", 10, 2, False, 1, True)
    assert rows[1] == PartyRow("B", 5, 0, True, None, True)
    assert [r.is_party for r in rows] == [True, True, False, False, False]


def test_every_problem_is_listed() -> None:
    text = "party,votes,order,eligible\nA,x,1,maybe\n,5,,\nA,3,-1,\n"
    with pytest.raises(InputError) as err:
        parse_seats_table(text.encode(), "t.csv")
    where = {(p.line, p.field, p.rule) for p in err.value.problems}
    assert where == {
        (2, "votes", "count"),
        (2, "eligible", "boolean"),
        (3, "party", "party"),
        (4, "party", "duplicate_party"),
        (4, "order", "count"),
    }


def test_header_problems() -> None:
    with pytest.raises(InputError) as err:
        parse_seats_table("votes,votes\n1,2\n", "t.csv")
    assert {p.rule for p in err.value.problems} == {"duplicate_column", "missing_column"}
    with pytest.raises(InputError):
        parse_seats_table("", "t.csv")
    with pytest.raises(InputError):
        parse_seats_table("party,votes\n", "t.csv")
