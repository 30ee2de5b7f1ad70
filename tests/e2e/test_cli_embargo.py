"""Every command that writes results for the public waits for the embargo (issue 9, Low): ``saylau report``
and ``saylau results`` used to default to the commission's audience and wrote live results during it."""

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


def _counted_under_embargo(db: list[str], tmp_path: Path) -> None:
    (tmp_path / "event.json").write_bytes(event_bytes())
    (tmp_path / "territory.csv").write_text(TERRITORY, encoding="utf-8")
    (tmp_path / "a.csv").write_bytes(protocols_csv(GOOD))
    # polls that close far in the future: the embargo is in force whatever the real clock says
    closes = {"polls_close": [{"zone": "everywhere", "at": "2099-06-05T20:00:00+05:00"}]}
    (tmp_path / "embargo.json").write_text(json.dumps(closes), encoding="utf-8")
    steps = [
        ("event", "create", str(tmp_path / "event.json")),
        ("territory", "import", "small", str(tmp_path / "territory.csv")),
        ("embargo", "set", "small", "--file", str(tmp_path / "embargo.json")),
        ("phase", "small", "voting"),
        ("phase", "small", "counting"),
        ("protocols", "import", "small", str(tmp_path / "a.csv"), "--operator", "alice"),
        ("protocols", "import", "small", str(tmp_path / "a.csv"), "--operator", "bob"),
    ]
    for step in steps:
        code, out = _run(*step, *db)
        assert code == 0, (step, out)


def test_report_and_results_are_public_by_default_and_wait_for_the_embargo(db_url: str, tmp_path: Path) -> None:
    db = ["--db", db_url]
    _counted_under_embargo(db, tmp_path)
    code, out = _run("report", "small", "--out", str(tmp_path / "site"), *db)
    assert code != 0, out
    assert "embargo" in out
    assert not (tmp_path / "site").exists()  # nothing written, not even an empty folder
    code, out = _run("results", "small", "--json", *db)
    assert code != 0, out
    assert "embargo" in out
    code, out = _run("export", "--format", "json", "--out", str(tmp_path / "r.json"), "--event", "small", *db)
    assert code != 0, out
    assert not (tmp_path / "r.json").exists()


def test_the_commission_asks_for_its_own_report_explicitly(db_url: str, tmp_path: Path) -> None:
    db = ["--db", db_url]
    _counted_under_embargo(db, tmp_path)
    code, out = _run("report", "small", "--out", str(tmp_path / "site"), "--commission", *db)
    assert code == 0, out
    assert (tmp_path / "site" / "index.html").exists()
    code, out = _run("results", "small", "--json", "--commission", *db)
    assert code == 0, out
    assert json.loads(out)["status"] == "provisional"
