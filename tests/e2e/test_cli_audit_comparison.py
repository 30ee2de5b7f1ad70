"""A ballot-level comparison audit of the kz-2022 demo through the command line (spec/audit.md §18): two
precincts give cast-vote records made from their protocols, the others are compared with their ONE CVR;
plan, CVRs, manifest, seed twice, draw, each drawn ballot read by two operators, status, report, and the
independent verifier (its own process and code) accepts the report, the CVR files whose SHA-256 the manifest holds
among it."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

runner = CliRunner()
VERIFY = Path(__file__).resolve().parents[2] / "verifier" / ".venv" / "bin" / "saylau-verify"  # CI installs it
SEED = "20220605000000000011"
ORDER = ("yes", "no", "invalid", "not_counted")


def _run(*args: str) -> str:
    from saylau.cli.main import app  # noqa: PLC0415

    result = runner.invoke(app, list(args), terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


def _ballots(b: dict[str, int]) -> list[str]:
    """A batch's ballots in a fixed order: its CVRs, and what the paper shows."""
    return [c for c in ORDER for _ in range(b[c])]


def _figures(db: str) -> dict[str, dict[str, int]]:
    from saylau.cli.common import open_context  # noqa: PLC0415
    from saylau.services.audit.reported import figures_of  # noqa: PLC0415
    from saylau.services.audit.state import load  # noqa: PLC0415

    ctx = open_context(db, None)
    with ctx.store.transaction() as tx:
        loaded = load(tx, "kz-2022")
        rows = figures_of(tx, loaded.row, loaded.territory, loaded.audit.question)
    return {f.batch: {c: f.counts.get(c) for c in ORDER} for f in rows}  # type: ignore[arg-type]


@pytest.mark.slow
def test_a_comparison_audit_of_the_demo_with_some_cvrs(tmp_path: Path, demo_db: str) -> None:
    db = ["--db", demo_db]
    plan = json.loads(_run("audit", "plan", "kz-2022", "--method", "comparison", *db, "--json"))
    assert plan["method"] == "comparison"
    assert plan["plan"]["adopted"] is True
    figures = _figures(demo_db)
    with_cvrs = sorted(figures)[:2]
    sizes: list[int] = []
    for batch in with_cvrs:
        path = tmp_path / f"{batch}.csv"
        path.write_text("position,reading\n" + "".join(f"{i},{c}\n" for i, c in enumerate(_ballots(figures[batch]), 1)))
        kept = json.loads(_run("audit", "cvr", "kz-2022", str(path), "--unit", batch, *db, "--json"))
        assert kept["ballots"] == sum(figures[batch].values())
        sizes.append(kept["expected_first_round"])
    assert sizes == sorted(sizes, reverse=True)  # a precinct's records never cost ballots (tests/unit, §18)
    _run("audit", "manifest", "kz-2022", "--out", str(tmp_path / "manifest.json"), *db)
    for member in ("m1", "m2"):
        _run("audit", "seed", "kz-2022", "--digits", SEED, "--operator", member, *db)
    for number in range(1, 4):
        drawn = json.loads(_run("audit", "draw", "kz-2022", *db, "--json"))
        assert number > 1 or len(drawn["draws"]) == sizes[-1]  # the planner's figure is round 1's size
        rows = sorted({(b, p) for b, p in drawn["draws"]})
        hand = tmp_path / f"round{drawn['round']}.csv"
        read = "".join(f"{b},{p},{_ballots(figures[b])[p - 1]}\n" for b, p in rows)  # the paper agrees
        hand.write_text("batch,position,reading\n" + read)
        for operator in ("c1", "c2"):
            entered = json.loads(_run("audit", "enter", "kz-2022", str(hand), "--operator", operator, *db, "--json"))
        if entered["decision"] != "next_round":
            break
    assert entered["decision"] == "confirmed"
    status = json.loads(_run("audit", "status", "kz-2022", *db, "--json"))
    assert status["method"] == "comparison"
    assert status["finish"]["outcome"] == "confirmed"
    assert all(float(r["risk"]) <= 0.05 for r in status["risks"])
    report = tmp_path / "report"
    _run("audit", "report", "kz-2022", "--out", str(report), *db)
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    listed = {b["id"]: b["cvr"] for b in manifest["batches"] if "cvr" in b}
    assert sorted(listed) == with_cvrs
    for batch, digest in listed.items():
        assert hashlib.sha256((report / "cvr" / f"{batch}.csv").read_bytes()).hexdigest() == digest
    done = subprocess.run([str(VERIFY), "--audit", str(report), "--json"], capture_output=True, text=True, check=False,
                          timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["method"] == "comparison"
