"""parse_protocols: CSV and JSON, rows gathered per precinct, every problem with line and field."""

from __future__ import annotations

import json

import pytest

from saylau.io import ParsedProtocol, parse_protocols
from saylau.model import STANDARD_FIELDS, InputError, QuestionCode

Q = [QuestionCode("q1"), QuestionCode("q2")]
F = list(STANDARD_FIELDS)
HEAD = "precinct,question," + ",".join(F)
ROW = "1000,1000,700,300,690,500,150,10,30"


def _csv(*rows: str, head: str = HEAD) -> bytes:
    return ("\n".join([head, *rows]) + "\n").encode()


def _parse(data: bytes, fmt: str = "csv") -> list[ParsedProtocol]:
    return parse_protocols(data, "p.csv", fmt, Q, F)  # type: ignore[arg-type]


def _problems(data: bytes, fmt: str = "csv") -> set[tuple[str, str | None, int | None]]:
    with pytest.raises(InputError) as info:
        _parse(data, fmt)
    assert all(p.file == "p.csv" for p in info.value.problems)
    return {(p.rule, p.field, p.line) for p in info.value.problems}


def test_good_csv_gathers_questions() -> None:
    parsed = _parse(_csv(f"P1,q1,{ROW}", f"P2,q1,{ROW}", f"P1,q2,{ROW}", f"P2,q2,{ROW}"))
    assert [(p.protocol.precinct, p.line, p.reason) for p in parsed] == [("P1", 2, None), ("P2", 3, None)]
    counts = parsed[0].protocol.counts
    assert set(counts) == {"q1", "q2"}
    assert list(counts["q1"]) == F
    assert counts["q2"]["yes"] == 500


def test_reason_and_column_order() -> None:
    head = "reason,question,precinct," + ",".join(reversed(F))
    row = ",".join(reversed(ROW.split(",")))
    parsed = _parse(_csv(f'"typo, fixed",q1,P1,{row}', f'"typo, fixed",q2,P1,{row}', head=head))
    assert parsed[0].reason == "typo, fixed"
    assert parsed[0].protocol.counts["q1"]["registered"] == 1000


def test_many_problems_at_once() -> None:
    bad = _csv(
        f"P1,q1,{ROW}",
        f"P1,q1,{ROW}",  # duplicate
        f"P2,q3,{ROW}",  # unknown question
        "P3,q1,1000,1000,7o0,300,-5,500,150,10,30",  # two bad values
        f"P3,q2,{ROW}",
        f"P4,q1,{ROW},9",  # too many cells
        f"P5,q1,{ROW}",  # lacks q2
    )
    assert _problems(bad) == {
        ("duplicate", "question", 3),
        ("unknown_question", "question", 4),
        ("count", "issued", 5),
        ("count", "participated", 5),
        ("columns", None, 7),
        ("missing_question", "question", 2),  # P1 lacks q2
        ("missing_question", "question", 8),
    }


def test_reasons_differ() -> None:
    head = HEAD + ",reason"
    found = _problems(_csv(f"P1,q1,{ROW},a", f"P1,q2,{ROW},b", head=head))
    assert found == {("reason_mismatch", "reason", 3)}


def test_header_problems() -> None:
    found = _problems(_csv(f"P1,q1,{ROW}", head=HEAD.replace("cancelled", "spoiled")))
    assert found == {("unknown_column", "spoiled", 1), ("missing_column", "cancelled", 1)}


def test_one_bad_row_returns_nothing() -> None:
    rows = [f"P{i},{q},{ROW}" for i in range(500) for q in ("q1", "q2")]
    rows[777] = rows[777].replace(",500,", ",five hundred,")
    assert _problems(_csv(*rows)) == {("count", "yes", 779)}


def test_not_utf8_and_bom() -> None:
    data = _csv(f"P1,q1,{ROW}") + b"P\xe9,q2," + ROW.encode() + b"\n"
    assert _problems(data) == {("encoding", None, 3)}
    assert len(_parse(b"\xef\xbb\xbf" + _csv(f"P1,q1,{ROW}", f"P1,q2,{ROW}"))) == 1


def _item(precinct: str, **extra: object) -> dict[str, object]:
    counts = dict(zip(F, map(int, ROW.split(",")), strict=True))
    return {"precinct": precinct, "counts": {"q1": counts, "q2": dict(counts)}, **extra}


def test_json_good() -> None:
    data = json.dumps([_item("P1"), _item("P2", reason="recount")], indent=2).encode()
    parsed = _parse(data, "json")
    assert [(p.protocol.precinct, p.reason) for p in parsed] == [("P1", None), ("P2", "recount")]
    assert parsed[1].line > parsed[0].line
    assert parsed[1].protocol.counts["q1"]["invalid"] == 30


def test_json_problems() -> None:
    a = _item("P1", colour="red")
    b = _item("P2")
    b["counts"]["q3"] = b["counts"].pop("q2")  # type: ignore[index, attr-defined]
    c = _item("P3")
    c["counts"]["q1"]["yes"] = -1  # type: ignore[index]
    c["counts"]["q1"]["no"] = True  # type: ignore[index]
    data = "[\n" + ",\n".join(json.dumps(x) for x in (a, b, c, _item("P1"))) + "\n]"
    assert _problems(data.encode(), "json") == {
        ("unknown_column", "colour", 2),
        ("unknown_question", "q3", 3),
        ("missing_column", "q2", 3),
        ("count", "yes", 4),
        ("count", "no", 4),
        ("duplicate", "precinct", 5),
    }
