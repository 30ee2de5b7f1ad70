"""parse_territory: CSV and JSON, every row problem at once with line and field, then the tree."""

from __future__ import annotations

import json

import pytest

from saylau.io import parse_territory
from saylau.model import InputError, UnitKind

CSV = """code,kind,parent,name_kk,name_ru,name_en,registered
KZ,country,,Қазақстан,Казахстан,Kazakhstan,
R1,region,KZ,,,"Region, one",
D1,district,R1,,,District 1,
P1,precinct,D1,,,,1200
P2,precinct,R1,,,,0
ABR,abroad,KZ,,,Abroad,
P3,precinct,ABR,,,,80
"""


def _problems(data: bytes, fmt: str = "csv") -> set[tuple[str, str | None, int | None]]:
    with pytest.raises(InputError) as info:
        parse_territory(data, "t.csv", fmt)  # type: ignore[arg-type]
    assert all(p.file == "t.csv" for p in info.value.problems)
    return {(p.rule, p.field, p.line) for p in info.value.problems}


def test_good_csv() -> None:
    territory = parse_territory(CSV.encode(), "t.csv", "csv")
    assert len(territory) == 7
    assert territory.top_units() == ("R1", "ABR")
    assert territory["R1"].name() == "Region, one"
    assert territory["KZ"].name("kk") == "Қазақстан"
    assert territory["P1"].registered == 1200
    assert territory["ABR"].kind is UnitKind.ABROAD
    assert territory.precincts() == ("P1", "P2", "P3")


def test_names_optional() -> None:
    data = b"code,kind,parent,registered\nKZ,country,,\nP1,precinct,KZ,5\n"
    with pytest.raises(InputError) as info:  # a precinct may not sit under the country
        parse_territory(data, "t.csv", "csv")
    assert [(p.rule, p.line) for p in info.value.problems] == [("nesting", 3)]


def test_row_problems_all_at_once() -> None:
    bad = CSV.replace("P1,precinct,D1,,,,1200", "P1,precinct,D1,,,,12x").replace(
        "P2,precinct,R1,,,,0", "P2,precint,R1,,,,-4"
    )
    bad += "P9,precinct,D1\n"
    assert _problems(bad.encode()) == {
        ("registered", "registered", 5),
        ("kind", "kind", 6),
        ("registered", "registered", 6),
        ("columns", None, 9),
    }


def test_header_problems() -> None:
    found = _problems(b"code,kind,colour,name_en\nKZ,country,red,K\n")
    assert ("unknown_column", "colour", 1) in found
    assert ("missing_column", "parent", 1) in found
    assert ("missing_column", "registered", 1) in found


def test_tree_problems_carry_lines() -> None:
    bad = CSV.replace("D1,district,R1", "D1,district,R9").replace("P3,precinct,ABR,,,,80", "P3,precinct,ABR,,,,")
    found = _problems(bad.encode())
    assert ("known_parent", "parent", 4) in found
    assert ("registered_voters", "registered", 8) in found


def test_json() -> None:
    items = [
        {"code": "KZ", "kind": "country", "parent": None, "name_en": "Kazakhstan"},
        {"code": "R1", "kind": "region", "parent": "KZ", "registered": None},
        {"code": "P1", "kind": "precinct", "parent": "R1", "registered": 10},
    ]
    territory = parse_territory(json.dumps(items, indent=1).encode(), "t.json", "json")
    assert territory["P1"].registered == 10


def test_json_problems_with_lines() -> None:
    text = '[\n{"code": "KZ", "kind": "country"},\n{"code": "R1", "kind": "oblast", "parent": "KZ"},\n'
    text += '{"code": "P1", "kind": "precinct", "parent": "R1", "registered": "7", "x": 1}\n]'
    found = _problems(text.encode(), "json")
    assert found == {("kind", "kind", 3), ("type", "registered", 4), ("unknown_column", "x", 4)}


def test_not_utf8() -> None:
    assert _problems(b"code,kind,parent,registered\nKZ,country,,\nR\xe9,region,KZ,\n") == {("encoding", None, 3)}
