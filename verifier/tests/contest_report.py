"""Audit reports of an election's contests made by the producer's CLI (subprocess, never imported): the mini
election (a party list over four precincts, two districts) counted under double entry, a contest audited by
`saylau audit plan --contest C|manifest|seed|draw|enter|report` (spec/audit.md §3a, §11–§14)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path
from typing import Any

from audit_report import PNG
from conftest import REPO, SAYLAU

__all__ = ["SEED", "make_contest_report"]

SEED = "31415926535897932384"
MINI = REPO / "tests" / "elections" / "mini-election"


def _run(*args: str, db: str) -> str:
    done = subprocess.run([str(SAYLAU), *args, "--db", db], capture_output=True, text=True, check=False, timeout=300)
    if done.returncode != 0:
        raise AssertionError(f"saylau {' '.join(args)}: {done.stdout}{done.stderr}")
    return done.stdout


def _csv(path: Path, options: list[str], rows: dict[str, dict[str, Any]]) -> Path:
    lines = ["batch," + ",".join(options) + ",invalid"]
    lines += [",".join([b, *(str(r["votes"][o]) for o in options), str(r["invalid"])]) for b, r in rows.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _submit_copies(work: Path, db: str, copies: dict[str, dict[str, dict[str, int]]]) -> None:
    """A citizen's copy of each precinct's protocol (every contest's row), with the fields changed as given."""
    text = (MINI / "protocols.csv").read_text(encoding="utf-8")
    header = text.splitlines()[0]
    rows = list(csv.DictReader(io.StringIO(text)))
    (work / "photo.png").write_bytes(PNG)
    for precinct, changed in copies.items():
        out = io.StringIO()
        writer = csv.DictWriter(out, header.split(","), lineterminator="\n")
        writer.writeheader()
        for row in (r for r in rows if r["precinct"] == precinct):
            writer.writerow(row | {k: str(v) for k, v in changed.get(row["question"], {}).items()})
        (work / f"copy-{precinct}.csv").write_text(out.getvalue(), encoding="utf-8")
        photo = ["--photo", str(work / "photo.png"), "--label", f"citizen {precinct}"]
        _run("observe", "submit", "mini-election", precinct, str(work / f"copy-{precinct}.csv"), *photo, db=db)


def make_contest_report(
    work: Path,
    contest: str,
    misread: dict[str, dict[str, int]] | None = None,
    full_count: bool = False,
    copies: dict[str, dict[str, dict[str, int]]] | None = None,
) -> Path:
    """Run a whole audit of ``contest``; ``misread``: batch -> option votes the hand count finds instead of the
    protocol's; ``full_count``: after an escalation, the full hand count is entered too (same misreadings);
    ``copies``: precinct -> contest -> the fields in which a citizen's copy of its protocol differs from it."""
    work.mkdir(parents=True, exist_ok=True)
    db = f"sqlite:///{work / 'saylau.db'}"
    _run("event", "create", str(MINI / "event.json"), db=db)
    _run("territory", "import", "mini-election", str(MINI / "territory.csv"), db=db)
    for phase in ("voting", "counting"):
        _run("phase", "mini-election", phase, db=db)
    for who in ("alice", "bob"):
        _run("protocols", "import", "mini-election", str(MINI / "protocols.csv"), "--operator", who, db=db)
    for phase in ("provisional", "final"):
        _run("phase", "mini-election", phase, db=db)
    _submit_copies(work, db, copies or {})
    _run("audit", "plan", "mini-election", "--contest", contest, db=db)
    _run("audit", "manifest", "mini-election", "--out", str(work / "published.json"), db=db)
    batches = {b["id"]: b for b in json.loads((work / "published.json").read_text(encoding="utf-8"))["batches"]}
    options = list(next(iter(batches.values()))["votes"])
    for who in ("m1", "m2"):
        _run("audit", "seed", "mini-election", "--digits", SEED, "--operator", who, db=db)

    def found(b: str) -> dict[str, Any]:
        return {"votes": batches[b]["votes"] | (misread or {}).get(b, {}), "invalid": batches[b]["invalid"]}

    decision = None
    for number in range(1, 4):
        drawn = json.loads(_run("audit", "draw", "mini-election", "--json", db=db))
        hand = _csv(work / f"hand-{number}.csv", options, {b: found(b) for b in drawn["to_count"]})
        decision = drawn["decision"]
        if drawn["to_count"]:
            _run("audit", "enter", "mini-election", str(hand), "--operator", "c1", db=db)
            out = _run("audit", "enter", "mini-election", str(hand), "--operator", "c2", "--json", db=db)
            decision = json.loads(out)["decision"]
        if decision != "next_round":
            break
    if full_count and decision == "escalate":
        listed = json.loads(_run("audit", "status", "mini-election", "--json", db=db))["finish"]["batches"]
        hand = _csv(work / "hand-full.csv", options, {b: found(b) for b in listed})
        for who in ("c1", "c2"):
            _run("audit", "enter", "mini-election", str(hand), "--operator", who, db=db)
    out_dir = work / "report"
    _run("audit", "report", "mini-election", "--out", str(out_dir), db=db)
    return out_dir
