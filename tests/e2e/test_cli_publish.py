"""`saylau publish --static DIR`: a configured database, and the demo when none is configured.

The small referendum (tests/elections/small/, 5 precincts) stands in for the data: publishing the shipped
kz-2022 demo writes 30,757 files (~45 s); that full-scale run is bench/bench_publish.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import FixedClock
from tests.elections import SMALL, context, load
from typer.testing import CliRunner

from saylau.cli.main import app
from saylau.model import Phase
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.paper import demo
from saylau.services.paper.lifecycle import advance

runner = CliRunner()


def test_publish_the_demo_when_no_database_is_configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no ./saylau.db
    monkeypatch.delenv("SAYLAU_DATABASE_URL", raising=False)
    asked: set[tuple[str, str]] = set()

    def small_files(name: str, dataset: str = demo.DEMO_DATASET) -> bytes:
        """The demo's files, read from the small referendum (the demo runs on them as on kz-2022's)."""
        asked.add((dataset, name))
        return {"event.json": SMALL.event, "territory.csv": SMALL.territory, "protocols.csv": SMALL.protocols}[name]

    monkeypatch.setattr(demo, "demo_file", small_files)
    result = runner.invoke(app, ["publish", "--static", str(tmp_path / "site"), "--json"])
    assert result.exit_code == 0, result.output
    # the fallback counts the kz-2022 demo dataset (the shipped demos' event files may be read to recognise
    # them, once per process: whether they are depends on what ran before in it)
    assert {d for d, name in asked if name == "protocols.csv"} == {"kz-2022"}
    out = json.loads(result.stdout)
    assert (out["event"], out["number"], out["kind"], out["demo"]) == (SMALL.code, 1, "final", True)
    assert json.loads((tmp_path / "site" / "release.json").read_text(encoding="utf-8"))["hash"] == out["hash"]
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")  # in Kazakh, the state language
    assert index.count("ДЕМО") == 1  # the banner says it once
    assert "DEMO</strong> — this is a reconstruction" in (tmp_path / "site" / "en" / "index.html").read_text(
        encoding="utf-8"
    )


def test_an_unreachable_configured_database_is_an_error(tmp_path: Path) -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    result = runner.invoke(app, ["publish", "--static", str(tmp_path / "site"), "--db", url])
    assert result.exit_code == 1
    assert "database_unavailable" in result.output
    assert not (tmp_path / "site").exists()


def test_publish_from_a_database_prints_number_and_hash(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with context(url, FixedClock()) as ctx:  # the small referendum, every protocol keyed twice, final
        code = load(ctx, SMALL, operators=("alice", "bob"))
        advance(ctx, code, Phase.PROVISIONAL, LOCAL_CLI)
        advance(ctx, code, Phase.FINAL, LOCAL_CLI)
    db = ["--db", url]
    first = runner.invoke(app, ["publish", "--static", str(tmp_path / "site"), *db])
    assert first.exit_code == 0, first.output
    assert f"release 1 (final) of {code}" in first.output
    assert "DEMO" not in first.output
    again = runner.invoke(app, ["publish", "--static", str(tmp_path / "site"), *db, "--json"])
    assert again.exit_code == 0, again.output
    assert (json.loads(again.stdout)["number"], json.loads(again.stdout)["created"]) == (1, False)
    export = runner.invoke(app, ["export", "--format", "json", "--out", str(tmp_path / "r.json"), *db])
    assert export.exit_code == 0, export.output
