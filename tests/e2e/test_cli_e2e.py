"""`saylau e2e demo` and the lifecycle commands through the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from saylau.cli.main import app

runner = CliRunner()


def test_e2e_demo_on_both_engines(db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "record"
    args = ["e2e", "demo", "--voters", "20", "--guardians", "3", "--quorum", "2", "--out", str(out)]
    result = runner.invoke(app, [*args, "--seed", "7", "--db", db_url, "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["result"]["yes"] + doc["result"]["no"] == 20 == doc["ballots_counted"]
    assert doc["guardians_present"] == [1, 2]
    assert doc["ballots_cast"] == 20 + doc["revotes"]
    assert sorted(p.name for p in out.iterdir()) == ["events.jsonl", "manifest.json"]
    lines = (out / "events.jsonl").read_text(encoding="utf-8").splitlines()
    types = [json.loads(line)["type"] for line in lines]
    assert types[0] == "setup"
    assert types[-1] == "result"
    assert types.count("ballot") == doc["ballots_cast"]
    assert types.count("spoiled") == doc["spoiled"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["head"] == json.loads(lines[-1])["hash"]
    # the same seed gives the same choices (nonces still differ)
    again = runner.invoke(app, [*args[:-1], str(tmp_path / "again"), "--seed", "7", "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["result"] == doc["result"]


def test_e2e_demo_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = runner.invoke(app, ["e2e", "demo", "--voters", "3", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "out_not_empty" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_lifecycle_commands(db_url: str, tmp_path: Path) -> None:
    setup = ["e2e", "setup", "-e", "r1", "--title", "Approve?", "--db", db_url, "--json"]
    result = runner.invoke(app, setup)
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["fingerprint"]) == 64
    status = runner.invoke(app, ["e2e", "status", "-e", "r1", "--db", db_url])
    assert status.exit_code == 0
    assert "ceremony" in status.output
    closing = runner.invoke(app, ["e2e", "close", "-e", "r1", "--db", db_url])
    assert closing.exit_code == 1
    assert "e2e_wrong_phase" in closing.output
    again = runner.invoke(app, setup)
    assert again.exit_code == 1
    assert "already exists" in again.output
