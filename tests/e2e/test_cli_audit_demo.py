"""The issue's "Done when": an audit of the kz-2022 demo (10,012 precincts) end to end through the command
line — the counted demo, plan, manifest, seed twice, draw, hand counts equal to the protocols entered by two
operators, status, report — confirms the reported outcome, and the report's draws are recomputed from
its seed and manifest with the pure core (spec/audit.md §11-§14)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from saylau.audit import AuditPlan, BallotCounts, Batch, Manifest, Seed, draw_pps, macro_plan, plan_json, plan_question
from saylau.model import QuestionCode
from saylau.model.canonical import CanonicalProfile, canonical_json
from saylau.model.tally import Tally, UnitRow
from saylau.rules import load_preset

runner = CliRunner()
SEED = "20220605000000000001"


def _run(*args: str) -> str:
    from saylau.cli.main import app  # noqa: PLC0415  # the command tree, as the console script builds it

    result = runner.invoke(app, list(args), terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.slow
def test_an_audit_of_the_demo_confirms_its_outcome(tmp_path: Path, demo_db: str) -> None:
    db = ["--db", demo_db]  # the demo as `saylau demo` counts it (tests/dbpool.py)
    plan = json.loads(_run("audit", "plan", "kz-2022", *db, "--json"))
    assert plan["plan"]["adopted"] is True
    assert plan["plan"]["hardest"] is not None
    _run("audit", "manifest", "kz-2022", "--out", str(tmp_path / "manifest.json"), *db)
    for member in ("m1", "m2"):
        _run("audit", "seed", "kz-2022", "--digits", SEED, "--operator", member, *db)
    drawn = json.loads(_run("audit", "draw", "kz-2022", *db, "--json"))
    assert drawn["to_count"]
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    figures = {b["id"]: b for b in manifest["batches"]}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["batch", "yes", "no", "invalid", "not_counted"])
    for batch in drawn["to_count"]:  # the audit boards find what the protocols say
        b = figures[batch]
        writer.writerow([batch, b["yes"], b["no"], b["invalid"], b["not_counted"]])
    (tmp_path / "hand.csv").write_text(out.getvalue(), encoding="utf-8")
    for operator in ("c1", "c2"):
        entered = json.loads(_run("audit", "enter", "kz-2022", str(tmp_path / "hand.csv"), "--operator", operator,
                                  *db, "--json"))  # fmt: skip
    assert entered["decision"] == "confirmed"
    status = json.loads(_run("audit", "status", "kz-2022", *db, "--json"))
    assert status["finish"]["outcome"] == "confirmed"
    assert all(float(r["risk"]) <= 0.05 for r in status["risks"])
    _run("audit", "report", "kz-2022", "--out", str(tmp_path / "report"), *db)
    events = [json.loads(line) for line in (tmp_path / "report" / "record.jsonl").read_text().splitlines()]
    assert [e["type"] for e in events][-2:] == ["round", "finish"]
    # a verifier's view: the plan rebuilt from the manifest alone (pure core) is plan.json, and the draws
    # are draw_pps over its MACRO weights with the recorded seed
    report = tmp_path / "report"
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    rebuilt = _plan_from_manifest(manifest)
    assert canonical_json(plan_json(rebuilt), CanonicalProfile.REPORT) == (report / "plan.json").read_text()
    batches = [Batch(b["id"], b["unit"], _counts(b)) for b in manifest["batches"]]
    again = Manifest.of(batches)
    seed = next(e["payload"]["seed"] for e in events if e["type"] == "seed")
    draw = next(e["payload"] for e in events if e["type"] == "draw")
    weights = macro_plan(again, rebuilt.assertions).weights
    assert draw["draws"] == list(draw_pps(Seed(seed), [b.id for b in again.batches], weights, len(draw["draws"])))
    assert draw["draws"] == drawn["draws"]


def _counts(b: dict[str, int]) -> BallotCounts:
    return BallotCounts(b["yes"], b["no"], b["invalid"], b["not_counted"])


def _tally(rows: list[dict[str, int]]) -> Tally:
    c = [_counts(b) for b in rows]
    y, n = sum(x.yes for x in c), sum(x.no for x in c)
    inv, nc = sum(x.invalid for x in c), sum(x.not_counted for x in c)
    return Tally(sum(b["registered"] for b in rows), y + n + inv + nc, y, n, nc, inv)


def _plan_from_manifest(manifest: dict[str, Any]) -> AuditPlan:
    by_unit: dict[str, list[dict[str, int]]] = {}
    for b in manifest["batches"]:
        by_unit.setdefault(b["unit"], []).append(b)
    units = [UnitRow(u, _tally(rows), Fraction(0 if u == "ABR" else 1)) for u, rows in sorted(by_unit.items())]
    version = load_preset("kz-constitutional").version_on(dt.date(2022, 6, 5))
    return plan_question(version, {}, QuestionCode("q1"), _tally(manifest["batches"]), units)
