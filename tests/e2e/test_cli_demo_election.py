"""`saylau demo --election` end to end on SQLite and PostgreSQL: the 2023 Mazhilis seats come out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.cli.main import app

runner = CliRunner()
OFFICIAL_2023 = {"amanat": 40, "auyl": 8, "respublica": 6, "ak_zhol": 6, "ppk": 5, "nsdp": 4, "baytaq": 0}


@pytest.mark.slow
def test_demo_election_on_both_engines(db_url: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "--election", "--db", db_url, "--out", str(tmp_path / "site"), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    seats = doc["outcomes"]["list"]["seats"]
    assert {k: v for k, v in seats.items() if k != "against_all"} == OFFICIAL_2023
    assert seats["against_all"] == 0
    districts = [o for o in doc["outcomes"].values() if o["kind"] == "district"]
    assert len(districts) == 29
    assert all(o["winner"] for o in districts)
    assert doc["demo"]["protocols"] == 10_223
    assert doc["status"] == "final"
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "AMANAT" in html
