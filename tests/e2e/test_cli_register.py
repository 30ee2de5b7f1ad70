"""`saylau register …` through the command line, on SQLite and PostgreSQL: a dry run and an import, a
re-import's diff shown then applied, a person's history, the lists and their check against the
protocols, a voter's own check, a certificate and its refused second (spec/register.md)."""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader
from tests.conftest import FixedClock
from tests.elections import SMALL, context, load
from tests.integration.test_register import HEADER, PROTOCOLS, iin, row
from typer.testing import CliRunner

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    from saylau.cli.main import app  # noqa: PLC0415  # the command tree, as the console script builds it

    result = runner.invoke(app, list(args), terminal_width=200)
    return result.exit_code, result.output


def test_the_register_through_the_command_line(db_url: str, tmp_path: Path) -> None:
    import datetime as dt  # noqa: PLC0415

    with context(db_url, FixedClock()) as ctx:
        event = load(ctx, SMALL, operators=("alice", "bob"), protocols=PROTOCOLS)
    db = ["--db", db_url]
    first = tmp_path / "v1.csv"
    first.write_text(HEADER + row(1) + row(2) + row(4, "P2"), encoding="utf-8")
    code, out = _run("register", "import", str(first), *db, "--json")
    assert code == 0, out
    assert json.loads(out)["applied"] is False
    code, out = _run("register", "import", str(first), "--apply", *db, "--quiet")
    assert code == 0, out
    assert "3 rows; added 3" in out
    second = tmp_path / "v2.csv"
    second.write_text(HEADER + row(1) + row(2, "P2") + row(4, "P2"), encoding="utf-8")
    code, out = _run("register", "diff", str(second), *db, "--json")
    moved = iin(dt.date(1980, 3, 3), "m", 20)
    assert json.loads(out)["diff"]["moved"] == [{"identifier": moved, "from": "P1", "to": "P2"}]
    code, out = _run("register", "import", str(second), "--apply", *db, "--json", "--reason", "annual update")
    assert (code, json.loads(out)["counts"]["moved"]) == (0, 1)
    code, out = _run("register", "show", moved, *db, "--json")
    assert [(v["version"], v["entry"]["precinct"], v["reason"]) for v in json.loads(out)] == [
        (1, "P1", "register import"),
        (2, "P2", "annual update"),
    ]
    code, out = _run("register", "lists", event, *db, "--json")
    assert json.loads(out)["precincts"] == {"P1": 1, "P2": 2}
    code, out = _run("register", "lists", event, "--check", *db, "--json")
    assert [(r["precinct"], r["difference"]) for r in json.loads(out)] == [("P1", 1), ("P2", 3)]
    pdf = tmp_path / "p2.pdf"
    code, out = _run("register", "extract", "P2", "--event", event, "--out", str(pdf), *db, "--json")
    assert (code, json.loads(out)["voters"]) == (0, 2), out
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Выписка из списка избирателей" in text
    assert "Әлиев Қайрат" in text
    code, out = _run("register", "check", moved, "--born", "1980-03-03", *db, "--json")
    assert json.loads(out) == {"precinct": "P2", "status": "active"}
    code, out = _run("register", "check", moved, "--born", "1980-03-04", *db)
    assert code == 1
    assert "person_not_found" in out
    code, out = _run("register", "certificate", event, moved, *db)
    assert (code, "struck off at precinct P2" in out) == (0, True)
    code, out = _run("register", "certificate", event, moved, *db)
    assert (code, "certificate_taken" in out) == (1, True)
    code, out = _run("register", "extract", "P2", "--event", event, "--out", str(pdf), *db, "--json")
    assert json.loads(out)["voters"] == 1  # struck off there
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + row(1).replace(",P1,", ",P 1,"), encoding="utf-8")
    code, out = _run("register", "import", str(bad), "--apply", *db)
    assert code == 1
    assert "bad.csv:2, field 'precinct'" in out
