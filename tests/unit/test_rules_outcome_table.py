"""The unit-results CSV parser: rows out, every problem with its line and field."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from saylau.io.outcome_table import parse_iso_date, parse_outcome_file, parse_outcome_table
from saylau.model import InputError, Tally

HEAD = "unit,registered,participated,yes,no,not_counted,invalid,weight\n"


def problems(text: str) -> set[tuple[int | None, str | None, str]]:
    with pytest.raises(InputError) as info:
        parse_outcome_table(text.encode(), "t.csv")
    assert all(p.file == "t.csv" for p in info.value.problems)
    return {(p.line, p.field, p.rule) for p in info.value.problems}


def test_good_table_with_defaults() -> None:
    rows = parse_outcome_table(HEAD + "a,10,8,5,2,,1,\nabroad,5,4,3,1,0,0,0\nh,4,2,1,1,,,1/2\n", "t.csv")
    assert rows[0].tally == Tally(10, 8, 5, 2, 0, 1)
    assert rows[0].weight == 1
    assert rows[1].weight == 0
    assert rows[2].weight == Fraction(1, 2)
    minimal = parse_outcome_table("unit,registered,participated,yes,no\nx,3,2,1,1\n", "t.csv")
    assert minimal[0].tally == Tally(3, 2, 1, 1)


def test_every_problem_is_reported() -> None:
    found = problems(
        HEAD
        + "a,10,8,x,2,,,\n"  # line 2: non-integer
        + "b,10,11,5,2,,,\n"  # line 3: participated > registered
        + "c,10,8,5,4,,,\n"  # line 4: answers > participated
        + "d,10,8,5,2,,,-1\n"  # line 5: negative weight
        + "a,10,8,5,2,,,\n"  # line 6: duplicate unit
        + "e,-3,0,0,0,,,abc\n"  # line 7: negative count and bad weight
    )
    assert (2, "yes", "count") in found
    assert (3, "participated", "participated_le_registered") in found
    assert (4, "yes", "answers_le_participated") in found
    assert (5, "weight", "weight") in found
    assert (6, "unit", "duplicate_unit") in found
    assert (7, "registered", "count") in found
    assert (7, "weight", "weight") in found


def test_header_problems() -> None:
    found = problems("unit,registered,participated,yes,colour\n")
    assert (1, "colour", "unknown_column") in found
    assert (1, "no", "missing_column") in found
    assert problems("") == {(1, None, "empty_file")}
    assert problems(HEAD) == {(2, None, "no_rows")}


DATED = "unit,registered,participated,yes,no,date\n"


def test_the_date_column_gives_the_day_of_the_vote() -> None:
    table = parse_outcome_file(DATED + "a,10,8,5,2,2022-06-05\nb,4,2,1,1,2022-06-05\n", "t.csv")
    assert table.date == dt.date(2022, 6, 5)
    assert [r.unit for r in table.rows] == ["a", "b"]
    assert parse_outcome_file("unit,registered,participated,yes,no\nx,3,2,1,1\n", "t.csv").date is None


@pytest.mark.parametrize(
    "cell", ["", "20220605", "2022-W23-1", "2022-6-5", "2022-02-30", "５０２２-06-05", "2022-06-05T00"]
)
def test_a_date_is_yyyy_mm_dd_on_every_row(cell: str) -> None:
    with pytest.raises(InputError) as info:
        parse_outcome_file(f"{DATED}a,10,8,5,2,2022-06-05\nb,4,2,1,1,{cell}\n", "t.csv")
    assert {(p.line, p.field, p.rule) for p in info.value.problems} == {(3, "date", "date")}


def test_two_dates_in_one_table_are_refused() -> None:
    with pytest.raises(InputError) as info:
        parse_outcome_file(DATED + "a,10,8,5,2,2022-06-05\nb,4,2,1,1,2022-06-06\n", "t.csv")
    (problem,) = info.value.problems
    assert (problem.line, problem.field) == (3, "date")
    assert "differs from 2022-06-05 on line 2" in problem.message


def test_parse_iso_date_is_strict() -> None:
    assert parse_iso_date("2022-06-05") == dt.date(2022, 6, 5)
    assert [parse_iso_date(t) for t in ("20220605", "2022-06-05 ", "2022-13-01", "")] == [None] * 4
