"""`saylau e2e link` end to end through the command line, on SQLite and PostgreSQL: an e2e referendum run
by its own commands is linked to a district of the small paper referendum; its result joins the count, the
results name its record head, and the final phase waits for it (spec/counting.md §5)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from tests.integration.small import GOOD, TERRITORY, event_bytes, protocols_csv
from typer.testing import CliRunner

from saylau.cli.main import app

runner = CliRunner()
E = "e-district"
VERIFY = Path(__file__).resolve().parents[2] / "verifier" / ".venv" / "bin" / "saylau-verify"
if not VERIFY.exists() and os.environ.get("CI"):  # in CI the verifier must be there: never a silent skip
    raise RuntimeError(f"the verifier is not installed at {VERIFY}: .ci/run installs it before the tests")


def _run(db: str, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, [*args, "--db", db], terminal_width=200)
    assert result.exit_code == code, result.output
    return result.output


def _json(db: str, *args: str) -> Any:
    return json.loads(_run(db, *args, "--json"))


def _paper(db: str, tmp: Path) -> None:
    (tmp / "event.json").write_bytes(event_bytes())
    (tmp / "territory.csv").write_text(TERRITORY, encoding="utf-8")
    (tmp / "a.csv").write_bytes(protocols_csv(GOOD))
    _run(db, "event", "create", str(tmp / "event.json"))
    _run(db, "territory", "import", "small", str(tmp / "territory.csv"))
    for phase in ("voting", "counting"):
        _run(db, "phase", "small", phase)
    for who in ("alice", "bob"):
        _run(db, "protocols", "import", "small", str(tmp / "a.csv"), "--operator", who)


def _e2e_until_voting(db: str, tmp: Path) -> tuple[list[Path], list[Path]]:
    _json(db, "e2e", "setup", "-e", E, "--title", "Approve?", "--guardians", "2", "--quorum", "2")
    keys = [tmp / f"g{i}.json" for i in (1, 2)]
    for i, path in enumerate(keys, start=1):
        _json(db, "e2e", "guardian", "keygen", "-e", E, "--index", str(i), "--out", str(path))
    _json(db, "e2e", "ceremony", "-e", E, *map(str, keys))
    _json(db, "e2e", "credentials", "-e", E, "--voters", "3", "--out-dir", str(tmp / "creds"))
    return keys, sorted((tmp / "creds").glob("voter-*.json"))


def test_link_count_and_finalise_through_the_cli(db_url: str, tmp_path: Path) -> None:
    _paper(db_url, tmp_path)
    keys, voters = _e2e_until_voting(db_url, tmp_path)
    out = _run(db_url, "e2e", "link", "-e", E, "--event", "small", "--unit", "P1", code=1)
    assert "precinct" in out
    out = _run(db_url, "e2e", "link", "-e", E, "--event", "small", "--unit", "R1-D1", "--map", "q1", code=1)
    assert "KEY=VALUE" in out
    linked = _json(db_url, "e2e", "link", "-e", E, "--event", "small", "--unit", "R1-D1", "--map", "q1=q1")
    assert (linked["unit"], linked["channel"]) == ("R1-D1", "electronic")
    assert linked["mapping"]["questions"][0]["options"] == [
        {"field": "yes", "option": "yes"},
        {"field": "no", "option": "no"},
    ]
    for voter, choice in zip(voters, ("yes", "yes", "no"), strict=True):
        _json(db_url, "e2e", "cast", "-e", E, "--credential", str(voter), "--choice", choice)
    pending = _json(db_url, "results", "small")
    assert pending["channels"][0]["status"] == "pending"
    assert "PENDING" in _run(db_url, "results", "small")
    _run(db_url, "phase", "small", "provisional")
    out = _run(db_url, "phase", "small", "final", code=1)
    assert E in out
    assert "no result yet" in out

    _json(db_url, "e2e", "close", "-e", E)
    _json(db_url, "e2e", "tally", "-e", E)
    for key in keys:
        _json(db_url, "e2e", "decrypt", "-e", E, str(key))
    record = tmp_path / "record"
    assert _json(db_url, "e2e", "publish", "-e", E, "--out", str(record))["counts"] == [[2, 1]]
    if VERIFY.exists():
        done = subprocess.run([str(VERIFY), str(record), "--jobs", "1"], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr

    doc = _json(db_url, "results", "small")
    head = json.loads((record / "manifest.json").read_text(encoding="utf-8"))["head"]
    district = next(u for u in doc["units"] if u["code"] == "R1-D1")
    source = district["channels"]["electronic"]["sources"][0]
    assert (source["election"], source["head"], source["status"]) == (E, head, "counted")
    national = doc["units"][0]
    assert national["questions"]["q1"]["counts"]["yes"] == sum(r[5] for r in GOOD.values()) + 2
    assert national["channels"]["electronic"]["counts"]["q1"]["participated"] == 3
    assert "of which electronic ballots: took part 3" in _run(db_url, "results", "small")
    _run(db_url, "phase", "small", "final")
    out = _run(db_url, "e2e", "link", "-e", E, "--event", "small", "--unit", "R2", code=1)
    assert "final" in out
