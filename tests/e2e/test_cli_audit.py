"""`saylau audit …` through the command line on the small referendum, on SQLite and PostgreSQL: plan
(assertions, hardest, expected sizes), manifest file + SHA-256, seed twice, draw, blind double entry of
the hand counts, status, and the report a verifier reads (spec/audit.md §11-§14)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.conftest import FixedClock
from tests.elections import SMALL, context, load
from typer.testing import CliRunner

from saylau.model import Phase
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.paper.lifecycle import advance

runner = CliRunner()
SEED = "31415926535897932384"


def _run(*args: str) -> tuple[int, str]:
    from saylau.cli.main import app  # noqa: PLC0415  # the command tree, as the console script builds it

    result = runner.invoke(app, list(args), terminal_width=200)
    return result.exit_code, result.output


def _final(db_url: str) -> str:
    with context(db_url, FixedClock()) as ctx:
        code = load(ctx, SMALL, operators=("alice", "bob"))
        advance(ctx, code, Phase.PROVISIONAL, LOCAL_CLI)
        advance(ctx, code, Phase.FINAL, LOCAL_CLI)
    return code


def test_an_audit_through_the_command_line(db_url: str, tmp_path: Path) -> None:
    code = _final(db_url)
    db = ["--db", db_url]
    rc, out = _run("audit", "plan", code, "--risk-limit", "0.05", *db)
    assert rc == 0, out
    assert "hardest: units_yes:R2" in out
    assert "expected batch comparison (batches)" in out
    rc, out = _run("audit", "plan", code, *db)
    assert rc == 1
    assert "audit_exists" in out
    manifest = tmp_path / "manifest.json"
    rc, out = _run("audit", "manifest", code, "--out", str(manifest), "--json", *db)
    assert rc == 0, out
    assert json.loads(out)["sha256"] == hashlib.sha256(manifest.read_bytes()).hexdigest()
    rc, out = _run("audit", "seed", code, "--digits", SEED, "--operator", "m1", *db)
    assert rc == 0, out
    rc, out = _run("audit", "seed", code, "--digits", SEED[:-1] + "0", "--operator", "m2", *db)
    assert rc == 1
    assert "seed_mismatch" in out
    rc, out = _run("audit", "seed", code, "--digits", SEED, "--operator", "m2", "--json", *db)
    assert json.loads(out)["entries"] == 2
    rc, out = _run("audit", "draw", code, "--json", *db)
    assert rc == 0, out
    drawn = json.loads(out)
    assert drawn["to_count"] == ["P3"]
    hand = tmp_path / "hand.csv"
    hand.write_text("batch,yes,no,invalid,not_counted\nP3,300,560,10,10\n", encoding="utf-8")
    rc, out = _run("audit", "enter", code, str(hand), "--operator", "c1", *db)
    assert rc == 0, out
    assert "P3: awaiting second" in out
    rc, out = _run("audit", "status", code, *db)
    assert "hand counts of 1 batch(es) of round 1: P3" in out
    rc, out = _run("audit", "enter", code, str(hand), "--operator", "c2", "--json", *db)
    assert json.loads(out)["decision"] == "confirmed"
    rc, out = _run("audit", "status", code, "--json", *db)
    st = json.loads(out)
    assert st["finish"]["outcome"] == "confirmed"
    assert st["chain_ok"] is True
    rc, out = _run("audit", "report", code, "--out", str(tmp_path / "report"), *db)
    assert rc == 0, out
    assert sorted(p.name for p in (tmp_path / "report").iterdir()) == [
        "copies.json", "manifest.json", "plan.json", "record.jsonl"
    ]  # fmt: skip
    assert (tmp_path / "report" / "manifest.json").read_bytes() == manifest.read_bytes()


def test_a_hand_count_file_with_problems_is_refused_whole(db_url: str, tmp_path: Path) -> None:
    code = _final(db_url)
    db = ["--db", db_url]
    for args in (("plan", code), ("manifest", code), ("seed", code, "--digits", SEED, "--operator", "m1"),
                 ("seed", code, "--digits", SEED, "--operator", "m2"), ("draw", code)):  # fmt: skip
        rc, out = _run("audit", *args, *db)
        assert rc == 0, out
    bad = tmp_path / "bad.csv"
    bad.write_text("batch,yes,no,invalid,not_counted\nP3,300,x,10,10\nP3,1,1,1,1\n", encoding="utf-8")
    rc, out = _run("audit", "enter", code, str(bad), "--operator", "c1", *db)
    assert rc == 1
    assert "bad.csv:2" in out
    assert "bad.csv:3" in out
    other = tmp_path / "other.csv"
    other.write_text("batch,yes,no,invalid,not_counted\nP1,500,150,20,20\n", encoding="utf-8")
    rc, out = _run("audit", "enter", code, str(other), "--operator", "c1", *db)
    assert rc == 1
    assert "batch_not_open" in out
