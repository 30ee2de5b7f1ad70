"""The recall petition end to end through the command line, on SQLite and PostgreSQL (issue 12's "Done
when"): the synthetic district of scripts/gen_petition_demo.py, its register and a voter moving out, paper
sheets under double entry and online signatures, a withdrawal, California's sample landing in the grey zone
and escalating to a full count, the petition qualifying, its recall vote created under kz-recall, then
counted from two operators' protocols and decided (Election Law Art. 113-16)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from saylau.cli.main import app

ROOT = Path(__file__).resolve().parents[2]


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("gen_petition_demo", ROOT / "scripts" / "gen_petition_demo.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_recall_petition_runs_end_to_end(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = _generator().generate(tmp_path)
    now = [dt.datetime.fromisoformat(plan["register_at"])]
    monkeypatch.setattr("saylau.services.context.utc_now", lambda: now[0])
    runner = CliRunner()

    def run(*args: str, at: str | None = None) -> Any:
        if at is not None:
            now[0] = dt.datetime.fromisoformat(at)
        result = runner.invoke(app, [*args, "--db", db_url], terminal_width=200)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout) if "--json" in args else result.output

    d = str(tmp_path)
    code = plan["petition"]
    run("event", "create", f"{d}/base-event.json")
    run("territory", "import", "kar-2024", f"{d}/territory.csv")
    run("register", "import", f"{d}/register.csv", "--apply", "--quiet")
    created = run(
        "petition", "create", code, "--scope", "KAR-D7", "--opens", plan["opens"], "--closes", plan["closes"],
        "--rule", "random_sample", "--json",
    )  # fmt: skip
    assert (created["territory"], created["precincts"]) == ("kar-2024", 2)
    run("register", "import", f"{d}/register-moved.csv", "--apply", "--quiet", at=plan["move_at"])
    now[0] = dt.datetime.fromisoformat(plan["online_at"])
    for s in json.loads((tmp_path / "online" / "signatures.json").read_text()):
        run(
            "petition", "sign", code, "--statement", f"{d}/{s['statement']}", "--public-key", s["public_key"],
            "--signature", s["signature"], "--algorithm", s["algorithm"], "--json",
        )  # fmt: skip
    now[0] = dt.datetime.fromisoformat(plan["verify_at"])
    for sheet in plan["sheets"]:
        n = sheet["sheet"]
        run(
            "petition", "import-sheets", code, "--sheet", n, "--collector", sheet["collector"],
            "--scan", f"{d}/sheets/{n}.scan", "--keying", f"alice={d}/sheets/{n}-alice.csv",
            "--keying", f"bob={d}/sheets/{n}-bob.csv", "--json",
        )  # fmt: skip
    run("petition", "withdraw", code, plan["withdraw"]["signature"], "--on", plan["withdraw"]["on"], "--json")
    status = run("petition", "status", code, "--json")
    want = plan["expect"]
    assert (status["registered"], status["required"], status["raw"]) == (want["registered"], 80, want["raw"])

    verified = run("petition", "verify", code, "--seed", plan["seed"], "--json")
    assert (verified["zone"], verified["decided_by"], verified["qualified"]) == ("full_count", "full_count", True)
    assert verified["valid"] == want["valid"]
    assert verified["recall_event"] == f"recall-{code}"
    report = run("petition", "report", code, "--json")
    full = report["verifications"][0]["verdict_counts"]["full"]
    assert full == {
        "matched": 84, "duplicate": 4, "withdrawn": 1, "after_deadline": 1, "not_in_scope": 2,
        "illegible": 1, "not_in_register": 1,
    }  # fmt: skip

    event = verified["recall_event"]
    run("phase", event, "voting")
    run("phase", event, "counting")
    header = "precinct,question,registered,received,issued,cancelled,participated,yes,no,not_counted,invalid\n"
    protocols = tmp_path / "protocols.csv"
    protocols.write_text(header + "P1,recall,180,180,80,100,80,50,28,0,2\nP2,recall,140,140,60,80,60,35,24,0,1\n")
    for operator in ("alice", "bob"):
        run("protocols", "import", event, str(protocols), "--operator", operator)
    results = run("results", event, "--json")
    outcome = results["outcomes"]["recall"]
    assert outcome["valid"]  # 140 of 320 took part (>= 1/3, Art. 113-16 para 3)
    assert outcome["adopted"]  # 85 of 140 for recall (> 1/2, para 4)
