"""`saylau export --format nist` of the counted kz-2022 demo (tests/dbpool.py): a NIST SP 1500-100 v2
report that NIST's JSON schema accepts, with the official national totals."""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft4Validator
from typer.testing import CliRunner

from saylau.cli.main import app

runner = CliRunner()
SCHEMA = (
    Path(__file__).resolve().parents[1] / "fixtures" / "nist-1500-100-v2" / "NIST_V2_election_results_reporting.json"
)


def test_demo_exported_as_nist(tmp_path: Path, demo_db: str) -> None:
    db = ["--db", demo_db]
    out = tmp_path / "nist.json"
    result = runner.invoke(app, ["export", "--format", "nist", "--out", str(out), *db])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    errors = sorted(Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).iter_errors(doc), key=str)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message[:300]}" for e in errors[:10])
    assert (doc["Status"], doc["Format"]) == ("unofficial-complete", "precinct-level")
    q1 = doc["Election"][0]["Contest"][0]
    assert (q1["SubUnitsReported"], q1["TotalSubUnits"]) == (10_012, 10_012)
    national = {s["@id"]: next(v["Count"] for v in s["VoteCounts"] if v["GpUnitId"] == "gpu-KZ")
                for s in q1["ContestSelection"]}  # fmt: skip
    assert national == {"sel-q1-yes": 6_163_516, "sel-q1-no": 1_490_470}
    overvotes = next(o["Overvotes"] for o in q1["OtherCounts"] if o["GpUnitId"] == "gpu-KZ")
    assert overvotes == 125_859
    ballots = next(b for b in doc["Election"][0]["BallotCounts"] if b["GpUnitId"] == "gpu-KZ")
    assert (ballots["BallotsCast"], ballots["BallotsRejected"]) == (7_985_769, 205_924)


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "--format", "xml", "--out", str(tmp_path / "x"),
                                 "--db", f"sqlite:///{tmp_path / 'none.db'}"])  # fmt: skip
    assert result.exit_code != 0
    assert "csv, json or nist" in result.output
