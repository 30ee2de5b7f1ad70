"""The lifecycle commands a commission uses, through the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from tests.integration.small import GOOD, TERRITORY, event_bytes, protocols_csv
from typer.testing import CliRunner

from saylau.cli.main import app

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), terminal_width=200)
    return result.exit_code, result.output


def test_a_referendum_from_definition_to_certified_result(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "event.json").write_bytes(event_bytes())
    (tmp_path / "territory.csv").write_text(TERRITORY, encoding="utf-8")
    (tmp_path / "a.csv").write_bytes(protocols_csv(GOOD))
    db = ["--db", db_url]
    assert _run("event", "create", str(tmp_path / "event.json"), *db)[0] == 0
    code, out = _run("territory", "import", "small", str(tmp_path / "territory.csv"), *db)
    assert code == 0, out
    assert "5 precincts" in out
    for phase in ("voting", "counting"):
        code, out = _run("phase", "small", phase, *db)
        assert code == 0, out
    assert "zero report" in out
    code, out = _run("protocols", "import", "small", str(tmp_path / "a.csv"), "--operator", "alice", *db)
    assert code == 0, out
    assert "5 awaiting a second entry" in out
    code, out = _run("protocols", "status", "small", "--json", *db)
    assert {s["state"] for s in json.loads(out)} == {"awaiting_second"}
    code, out = _run("protocols", "import", "small", str(tmp_path / "a.csv"), "--operator", "bob", "--json", *db)
    assert code == 0, out
    assert json.loads(out)["agreed"] == 5
    code, out = _run("results", "small", "--json", *db)
    assert code == 0, out
    assert json.loads(out)["status"] == "provisional"
    for phase in ("provisional", "final", "certified"):
        code, out = _run("phase", "small", phase, *db)
        assert code == 0, out
    code, out = _run("results", "small", *db)
    assert code == 0, out
    assert "CERTIFIED" in out.upper()
    code, out = _run("export", "--format", "csv", "--out", str(tmp_path / "r.csv"), *db)
    assert code == 0, out
    assert "P3" in (tmp_path / "r.csv").read_text(encoding="utf-8")
    code, out = _run("report", "small", "--out", str(tmp_path / "site"), *db)
    assert code == 0, out
    assert (tmp_path / "site" / "index.html").exists()


def test_errors_name_the_file_line_and_rule(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "event.json").write_bytes(event_bytes())
    (tmp_path / "territory.csv").write_text(TERRITORY, encoding="utf-8")
    bad = dict(GOOD)
    bad["P2"] = (800, 800, 600, 200, 601, 400, 180, 10, 10)  # took part: 601 != 600 and > issued? no: 601 > 600
    (tmp_path / "bad.csv").write_bytes(protocols_csv(bad))
    db = ["--db", db_url]
    _run("event", "create", str(tmp_path / "event.json"), *db)
    _run("territory", "import", "small", str(tmp_path / "territory.csv"), *db)
    _run("phase", "small", "voting", *db)
    _run("phase", "small", "counting", *db)
    code, out = _run("protocols", "import", "small", str(tmp_path / "bad.csv"), "--operator", "alice", *db)
    assert code == 1
    assert "bad.csv:3" in out
    assert "participated" in out
    assert "nothing was entered" in out
    code, out = _run("phase", "small", "certified", *db)
    assert code == 1
    assert "cannot move from counting to certified" in out
    code, out = _run("results", "nope", *db)
    assert code == 1
    assert "no event 'nope'" in out


def test_an_unreachable_database_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    code, out = _run("event", "list", "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert code == 1
    assert "cannot reach the database" in out
