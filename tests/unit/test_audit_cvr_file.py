"""The cast-vote records file of a precinct (spec/formats.md "Cast-vote records", ``saylau.io.cvr``) and a
comparison round's readings file (``counting.parse_readings``): every problem with its line, field and rule."""

from __future__ import annotations

import hashlib

import pytest

from saylau.io.cvr import MAX_CVR_BYTES, cvr_file_name, cvr_text, parse_cvr
from saylau.model import InputError
from saylau.services.audit.counting import parse_readings

CATEGORIES = ("yes", "no", "invalid", "not_counted")
EXPECTED = {"yes": 2, "no": 1, "invalid": 1, "not_counted": 0}


def _rules(data: bytes) -> set[tuple[str, int | None, str | None]]:
    with pytest.raises(InputError) as err:
        parse_cvr(data, "p.csv", CATEGORIES, EXPECTED)
    assert all(p.file == "p.csv" for p in err.value.problems)
    return {(p.rule, p.line, p.field) for p in err.value.problems}


def test_rows_in_any_order_give_the_canonical_text() -> None:
    parsed = parse_cvr(b"\xef\xbb\xbfposition,reading\r\n3,no\r\n1,yes\r\n\r\n4,invalid\r\n2,yes\r\n", "p.csv",
                       CATEGORIES, EXPECTED)  # fmt: skip
    assert parsed.readings == ("yes", "yes", "no", "invalid")
    assert parsed.text == "position,reading\n1,yes\n2,yes\n3,no\n4,invalid\n" == cvr_text(parsed.readings)
    assert len(hashlib.sha256(parsed.text.encode()).hexdigest()) == 64


def test_every_problem_is_named() -> None:
    assert _rules(b"pos,reading\n1,yes\n") == {("header", 1, None)}
    assert _rules(b"position,reading\n1,yes\n1,no\n3,maybe\n9,yes\n") >= {
        ("duplicate_position", 3, "position"),
        ("reading", 4, "reading"),
        ("position", 5, "position"),
    }
    assert _rules(b"position,reading\n1,yes\n2,yes\n3,no\n") == {("count", None, None)}
    assert _rules(b"position,reading\n1,yes\n2,yes\n3,no\n4,no\n") == {("totals", None, "reading")}
    assert _rules(b"position,reading\n1,yes,x\n2,yes\n3,no\n4,invalid\n") >= {("columns", 2, None)}
    assert _rules(b"position,reading\n-1,yes\n2,yes\n3,no\n4,invalid\n") >= {("position", 2, "position")}
    assert _rules(b"position,reading\n" + b"1,yes\n" * (MAX_CVR_BYTES // 6 + 1)) == {("too_large", None, None)}
    assert _rules(b"position,reading\n\xff\n") == {("encoding", 2, None)}


def test_a_readings_file_groups_the_ballots_by_batch() -> None:
    rows = parse_readings(b"batch,position,reading\nP2,7,no\nP1,3,yes\nP2,1,not_found\n", "r.csv")
    assert [(line, b, r.values) for line, b, r in rows] == [
        (2, "P2", ((1, "not_found"), (7, "no"))),
        (3, "P1", ((3, "yes"),)),
    ]
    with pytest.raises(InputError) as err:
        parse_readings(b"batch,position,reading\nP1,0,yes\nP1,2,maybe\nP1,2,no\nP1,2,yes\n", "r.csv")
    found = {(p.rule, p.line, p.field) for p in err.value.problems}
    assert found == {
        ("position", 2, "position"),
        ("reading", 3, "reading"),
        ("duplicate_position", 4, "position"),
        ("duplicate_position", 5, "position"),
    }


def test_a_batch_id_never_makes_a_path_of_its_records_file() -> None:
    """spec/audit.md §14: cvr/<name> is the batch id percent-encoded (RFC 3986 unreserved kept), then .csv."""
    assert cvr_file_name("P1") == "P1.csv"
    assert cvr_file_name("KZ-ALA_001.a~") == "KZ-ALA_001.a~.csv"
    assert cvr_file_name("../R1/P 1") == "..%2FR1%2FP%201.csv"
    assert cvr_file_name("Алматы") == "%D0%90%D0%BB%D0%BC%D0%B0%D1%82%D1%8B.csv"
    assert "/" not in cvr_file_name("/" * 10)
