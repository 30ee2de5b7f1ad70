"""`saylau demo` end to end through the command line, on SQLite (the default) and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.cli.main import app

runner = CliRunner()


@pytest.mark.slow
def test_demo_on_the_embedded_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SAYLAU_DATABASE_URL", raising=False)
    result = runner.invoke(app, ["demo"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "11,734,642" in result.output
    assert "7,985,769" in result.output
    assert "77.18" in result.output
    assert "ADOPTED" in result.output
    assert (tmp_path / "saylau.db").exists()  # the database every command uses by default
    html = (tmp_path / "saylau-report" / "kz-2022" / "index.html").read_text(encoding="utf-8")
    assert "7,985,769" in html or "7 985 769" in html
    doc = json.loads((tmp_path / "saylau-report" / "kz-2022" / "results.json").read_text(encoding="utf-8"))
    assert doc["status"] == "final"  # a rerun rebuilding the file: test_demo_json_on_both_engines, test_cli_demo_db


@pytest.mark.slow
def test_demo_json_on_both_engines(db_url: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "--db", db_url, "--out", str(tmp_path / "site"), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    outcome = doc["outcomes"]["q1"] if isinstance(doc["outcomes"], dict) else doc["outcomes"][0]
    assert outcome["valid"] is True
    assert outcome["adopted"] is True
    assert outcome["turnout_exact"] == "7985769/11734642"
    assert outcome["yes_share_exact"] == "6163516/7985769"
    assert doc["demo"]["protocols"] == 10_012
    assert doc["demo"]["entries"] == 20_024
    # a rerun rebuilds a SQLite file from empty; a PostgreSQL database is never emptied: refused
    second = runner.invoke(app, ["demo", "--db", db_url, "--out", str(tmp_path / "site2")])
    if db_url.startswith("sqlite"):
        assert second.exit_code == 0, second.output
    else:
        assert second.exit_code == 1
        assert "already exists" in second.output
