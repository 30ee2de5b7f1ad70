"""Numbers are ASCII digits of bounded length and JSON is bounded (model.strict), in every parser:
full-width digits, '²', 5,000-digit numbers, deep nesting and lone surrogates are refused as input
errors naming their place, never as a ValueError, TypeError or RecursionError from deep inside."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.io import parse_protocols
from saylau.io.entry_form import parse_counts
from saylau.io.event import parse_event
from saylau.io.geojson import parse_geojson
from saylau.io.outcome_table import parse_outcome_table
from saylau.io.territory import parse_territory
from saylau.io.turnout_table import parse_turnout
from saylau.model import STANDARD_FIELDS, InputError, QuestionCode, SaylauError, UnitCode
from saylau.model.strict import MAX_DIGITS, MAX_JSON_DEPTH, ascii_int, exact_fraction, strict_json_loads
from saylau.rules.presets import parse_preset_text
from saylau.seats.threshold import parse_share
from saylau.seats.types import SeatsError
from saylau.services.paper.commission import ContestForm
from saylau.services.paper.embargo import parse_embargo
from saylau.services.paper.publication import _check_target

NOT_NUMBERS = ["", " 1", "1 ", "-1", "+1", "１２３", "²", "٣", "1_000", "0x1F", "1e3"]
NOT_NUMBERS += ["9" * (MAX_DIGITS + 1), "9" * 5000]


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_only_ascii_digits_of_bounded_length_are_whole_numbers(text: str) -> None:
    assert ascii_int(text) is None


def test_whole_numbers() -> None:
    assert ascii_int("0") == 0
    assert ascii_int("007") == 7
    assert ascii_int("9" * MAX_DIGITS) == 10**MAX_DIGITS - 1


@pytest.mark.parametrize(
    ("text", "value"),
    [("2", Fraction(2)), ("0.25", Fraction(1, 4)), ("1/2", Fraction(1, 2)), ("0", Fraction(0))],
)
def test_exact_fractions(text: str, value: Fraction) -> None:
    assert exact_fraction(text) == value


NOT_FRACTIONS = ["", "1/0", "-1/2", "１/２", "½", "1e999999999", "1.", ".5", "9" * 5000 + "/1", "1/2/3"]


@pytest.mark.parametrize("text", NOT_FRACTIONS)
def test_what_is_not_an_exact_fraction(text: str) -> None:
    assert exact_fraction(text) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested deeper than 64 levels"),
        ('{"a": ' * 5000 + "1" + "}" * 5000, "nested deeper than 64 levels"),
        ("[" + "9" * 5000 + "]", "a number of more than 18 digits"),
        ('{"n": -' + "9" * 19 + "}", "a number of more than 18 digits"),
        ('["\\ud800"]', "lone surrogate"),
        ('{"\\udfff": 1}', "lone surrogate"),
    ],
)
def test_strict_json_refuses_with_the_place(text: str, message: str) -> None:
    with pytest.raises(json.JSONDecodeError) as info:
        strict_json_loads(text)
    assert message in info.value.msg
    assert 0 <= info.value.pos < len(text)


def test_strict_json_reads_what_is_in_bounds() -> None:
    deep = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert strict_json_loads(deep) == json.loads(deep)
    brackets = json.dumps(["[" * 500, "{" * 500, "\\u005b" * 100])  # brackets inside strings do not nest
    assert strict_json_loads(brackets) == json.loads(brackets)
    assert strict_json_loads('"\\ud83d\\ude00"') == "\U0001f600"  # a surrogate pair is one character
    assert strict_json_loads("[" + "9" * MAX_DIGITS + "]") == [10**MAX_DIGITS - 1]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**17), 10**17) | st.text(st.characters(exclude_categories=("Cs",))),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_strict_json_agrees_with_json_within_bounds(value: Any) -> None:
    text = json.dumps(value)
    assert strict_json_loads(text) == json.loads(text)


Q = [QuestionCode("q1")]
F = list(STANDARD_FIELDS)
ROW = ["1000", "1000", "700", "300", "690", "500", "150", "10", "30"]


@pytest.mark.parametrize("odd", ["9" * 5000, "²", "１２"])
def test_a_protocol_csv_cell_names_its_line_and_field(odd: str) -> None:
    cells = [*ROW[:5], odd, *ROW[6:]]
    data = ("precinct,question," + ",".join(F) + "\nP1,q1," + ",".join(cells) + "\n").encode()
    with pytest.raises(InputError) as info:
        parse_protocols(data, "p.csv", "csv", Q, F)
    assert [(p.rule, p.line, p.field) for p in info.value.problems] == [("count", 2, "yes")]


@pytest.mark.parametrize(
    "text",
    ["[" * 5000 + "]" * 5000, '[{"precinct": "P1", "counts": {"q1": {"yes": ' + "9" * 5000 + "}}}]"],
)
def test_protocol_json_bounds_nesting_and_numbers(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_protocols(text.encode(), "p.json", "json", Q, F)
    assert [p.rule for p in info.value.problems] == ["json_syntax"]


def test_territory_and_event_json_bound_nesting_and_numbers() -> None:
    with pytest.raises(InputError):
        parse_territory(("[" * 5000 + "]" * 5000).encode(), "t.json", "json")
    deep = '{"code": "e", "settings": ' + "[" * 5000 + "]" * 5000 + "}"
    with pytest.raises(InputError):
        parse_event(deep.encode(), "event.json")
    huge = '{"code": "e", "settings": {"quorum": ' + "9" * 5000 + "}}"
    with pytest.raises(InputError) as info:
        parse_event(huge.encode(), "event.json")
    assert "more than 18 digits" in str(info.value)


@pytest.mark.parametrize("weight", ["１", "1e999999999", "9" * 5000])
def test_an_outcome_table_weight_is_ascii_and_bounded(weight: str) -> None:
    table = f"unit,registered,participated,yes,no,weight\na,10,8,5,2,{weight}\n"
    with pytest.raises(InputError) as info:
        parse_outcome_table(table, "t.csv")
    assert [(p.rule, p.line) for p in info.value.problems] == [("weight", 2)]


@pytest.mark.parametrize("share", ["５%", "9" * 5000 + "%", "1/" + "9" * 5000, "٥/١٠٠"])
def test_a_seat_threshold_is_ascii_and_bounded(share: str) -> None:
    with pytest.raises(SeatsError):
        parse_share(share)
    assert parse_share("5%") == Fraction(1, 20)
    assert parse_share("0.5%") == Fraction(1, 200)
    assert parse_share("1/150") == Fraction(1, 150)


@pytest.mark.parametrize("odd", ["²", "１２", "9" * 5000, "9" * 19, "-3"])
def test_a_typed_count_is_ascii_and_bounded(odd: str) -> None:
    form = ContestForm(QuestionCode("q1"), ("yes", "no"), ())
    with pytest.raises(InputError) as info:
        parse_counts({"q1.yes": odd, "q1.no": "3"}, [form])
    assert [(p.rule, p.field) for p in info.value.problems] == [("whole_number", "q1.yes")]
    assert parse_counts({"q1.yes": " 7 ", "q1.no": "3"}, [form]) == {"q1": {"yes": 7, "no": 3}}


def test_a_count_kept_in_an_integer_column_fits_it() -> None:
    head = "code,kind,parent,name_kk,name_ru,name_en,registered\nKZ,country,,,,K,\nR,region,KZ,,,R,\n"
    with pytest.raises(InputError) as info:
        parse_territory((head + "P1,precinct,R,,,P,3000000000\n").encode(), "t.csv", "csv")
    assert [(p.rule, p.line) for p in info.value.problems] == [("registered", 4)]
    fits = parse_territory((head + "P1,precinct,R,,,P,2147483647\n").encode(), "t.csv", "csv")
    assert fits[UnitCode("P1")].registered == 2**31 - 1
    with pytest.raises(InputError) as info:
        parse_turnout("unit,at,registered,voted\nP1,10:00,3000000000,1\n", "turnout.csv")
    assert [(p.rule, p.field) for p in info.value.problems] == [("count", "registered")]


@pytest.mark.parametrize(
    ("text", "suffix"),
    [
        ("name = 'x'\nquorum = " + "9" * 5000 + "\n", ".toml"),
        ("a = " + "[" * 5000 + "]" * 5000 + "\n", ".toml"),
        ('{"name": "x", "quorum": ' + "9" * 5000 + "}", ".json"),
        ('{"a": ' + "[" * 5000 + "]" * 5000 + "}", ".json"),
    ],
)
def test_a_rules_file_bounds_numbers_and_nesting(text: str, suffix: str) -> None:
    with pytest.raises(InputError) as info:
        parse_preset_text(text.encode(), "rules" + suffix, suffix)
    assert [p.rule for p in info.value.problems] == [suffix[1:] + "_syntax"]


def test_a_found_release_file_nested_too_deep_is_a_refused_target(tmp_path: Path) -> None:
    (tmp_path / "release.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(SaylauError) as info:
        _check_target(tmp_path, "small")
    assert info.value.code == "target_not_empty"


@pytest.mark.parametrize("at", ["1０:00", "١٠:٠٠", "２３:５９"])
def test_a_turnout_hour_is_ascii(at: str) -> None:
    with pytest.raises(InputError) as info:
        parse_turnout(f'unit,at,registered,voted\nP1,"{at}",10,1\n', "turnout.csv")
    assert [(p.rule, p.field) for p in info.value.problems] == [("at", "at")]


def test_a_rules_file_with_a_key_twice_is_refused_at_its_path() -> None:
    text = '{"name": "x", "quorum": {"turnout": "1/2", "turnout": "1/3"}}'
    with pytest.raises(InputError) as info:
        parse_preset_text(text.encode(), "rules.json", ".json")
    [problem] = info.value.problems
    assert problem.rule == "json_syntax"
    assert "'turnout'" in problem.message
    assert "$.quorum" in problem.message


def test_an_embargo_or_map_file_with_a_key_twice_is_refused() -> None:
    twice = b'{"polls_close": [{"zone": "a", "zone": "b", "at": "2022-06-05T20:00:00+06:00"}]}'
    with pytest.raises(InputError) as info:
        parse_embargo(twice, "embargo.json")
    assert "duplicate key 'zone'" in info.value.problems[0].message
    doc = b'{"type": "FeatureCollection", "type": "FeatureCollection", "features": []}'
    with pytest.raises(InputError) as info:
        parse_geojson(doc, "map.geojson", "code")
    assert "duplicate key 'type'" in info.value.problems[0].message
