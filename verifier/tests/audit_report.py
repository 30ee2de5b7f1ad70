"""Audit reports made by the producer's CLI (subprocess, never imported): a small referendum counted under double
entry, audited by `saylau audit plan|manifest|seed|draw|enter|report` (spec/audit.md §11–§14)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

from conftest import REPO, SAYLAU

__all__ = ["SEED", "make_audit_report"]

SEED = "31415926535897932384"
SMALL = REPO / "tests" / "elections" / "small"
FIELDS = ("yes", "no", "invalid", "not_counted")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))  # a copy's photo (its bytes are only hashed)

# the small referendum (2 regions + abroad, 5 precincts) with Yes ahead everywhere: a national assertion and
# one per region, so MACRO draws several batches (the shipped protocols put region R2 against: one batch only)
PROTOCOLS = """precinct,question,registered,received,issued,cancelled,participated,yes,no,not_counted,invalid
P1,q1,1000,1000,700,300,690,380,270,20,20
P2,q1,800,800,600,200,600,320,260,10,10
P3,q1,1200,1200,900,300,880,560,300,10,10
P4,q1,300,300,200,100,200,110,80,5,5
P5,q1,200,200,100,100,100,60,40,0,0
"""


def _run(*args: str, db: str) -> str:
    done = subprocess.run([str(SAYLAU), *args, "--db", db], capture_output=True, text=True, check=False, timeout=300)
    if done.returncode != 0:
        raise AssertionError(f"saylau {' '.join(args)}: {done.stdout}{done.stderr}")
    return done.stdout


def _batches(manifest: Path) -> dict[str, dict[str, Any]]:
    return {b["id"]: b for b in json.loads(manifest.read_text(encoding="utf-8"))["batches"]}


def _category(batch: dict[str, Any], position: int) -> str:
    """The category of the ballot at ``position`` (from 1) if the batch's ballots lie in FIELDS order."""
    for field in FIELDS:
        if position <= batch[field]:
            return field
        position -= batch[field]
    raise AssertionError("a position beyond the batch")


def _enter_cvrs(work: Path, precincts: tuple[str, ...], db: str) -> None:
    """§18: each precinct's cast-vote records, its ballots in FIELDS order (as ``_category`` reads them)."""
    header, *rows = PROTOCOLS.splitlines()
    for precinct in precincts:
        line = next(r for r in rows if r.startswith(precinct + ","))
        row = dict(zip(header.split(","), line.split(","), strict=True))
        ballots = [f for f in FIELDS for _ in range(int(row[f]))]
        cvr = work / f"cvr-{precinct}.csv"
        cvr.write_text("position,reading\n" + "".join(f"{i},{c}\n" for i, c in enumerate(ballots, 1)), encoding="utf-8")
        _run("audit", "cvr", "small", str(cvr), "--unit", precinct, db=db)


def _read_ballots(
    work: Path, number: int, drawn: dict[str, Any], batches: dict[str, dict[str, Any]], flip: int, db: str
) -> str:
    """§18: a comparison round's drawn ballots read by two operators; ``flip`` of P1's Yes ballots read No."""
    rows = []
    for batch, position in sorted({(b, p) for b, p in drawn["draws"]}):
        reading = _category(batches[batch], position)
        if batch == "P1" and reading == "yes" and flip:
            reading, flip = "no", flip - 1
        rows.append(f"{batch},{position},{reading}")
    hand = work / f"hand-{number}.csv"
    hand.write_text("batch,position,reading\n" + "\n".join(rows) + "\n", encoding="utf-8")
    _run("audit", "enter", "small", str(hand), "--operator", "c1", db=db)
    return str(json.loads(_run("audit", "enter", "small", str(hand), "--operator", "c2", "--json", db=db))["decision"])


def _full_count(
    work: Path, batches: dict[str, dict[str, Any]], misread: dict[str, dict[str, int]] | None, db: str
) -> None:
    """§13b: the full hand count of the finish's batches by two operators (with the same misreadings)."""
    status = json.loads(_run("audit", "status", "small", "--json", db=db))
    listed = status["finish"]["batches"]
    rows = [
        ",".join([b, *(str(({f: batches[b][f] for f in FIELDS} | (misread or {}).get(b, {}))[f]) for f in FIELDS)])
        for b in listed
    ]
    hand = work / "hand-full.csv"
    hand.write_text("batch," + ",".join(FIELDS) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    for who in ("c1", "c2"):
        _run("audit", "enter", "small", str(hand), "--operator", who, db=db)


def make_audit_report(
    work: Path,
    method: str,
    misread: dict[str, dict[str, int]] | None = None,
    flip: int = 0,
    full_count: bool = False,
    copies: dict[str, dict[str, int]] | None = None,
    cvrs: tuple[str, ...] = (),
    every_round: bool = False,
) -> Path:
    """Run a whole audit; ``misread``: batch -> figures the hand count finds instead of the protocol's (MACRO);
    ``flip``: BRAVO's round 1 finds that many of P1's drawn Yes ballots to be No; ``full_count``: after an
    escalation, the full hand count of the finish's batches is entered too (with the same misreadings); ``copies``:
    precinct -> fields in which a citizen's copy of its protocol (submitted once the results are final, before the
    audit) differs from the protocol ({} for a copy equal to it); ``cvrs``: the precincts that give cast-vote records
    (a comparison audit, §18: their ballots in FIELDS order), and ``flip``: comparison's round 1 reads that many
    of P1's drawn Yes ballots as No (``every_round``: each round does)."""
    work.mkdir(parents=True, exist_ok=True)
    db = f"sqlite:///{work / 'saylau.db'}"
    (work / "protocols.csv").write_text(PROTOCOLS, encoding="utf-8")
    shutil.copy(SMALL / "event.json", work / "event.json")
    _run("event", "create", str(work / "event.json"), db=db)
    _run("territory", "import", "small", str(SMALL / "territory.csv"), db=db)
    for phase in ("voting", "counting"):
        _run("phase", "small", phase, db=db)
    for who in ("alice", "bob"):
        _run("protocols", "import", "small", str(work / "protocols.csv"), "--operator", who, db=db)
    for phase in ("provisional", "final"):
        _run("phase", "small", phase, db=db)
    header, *rows = PROTOCOLS.splitlines()
    (work / "photo.png").write_bytes(PNG)
    for precinct, changed in (copies or {}).items():
        row = dict(
            zip(header.split(","), next(r for r in rows if r.startswith(precinct + ",")).split(","), strict=True)
        )
        row |= {k: str(v) for k, v in changed.items()}
        copy = work / f"copy-{precinct}.csv"
        copy.write_text(header + "\n" + ",".join(row[k] for k in header.split(",")) + "\n", encoding="utf-8")
        photo = ["--photo", str(work / "photo.png"), "--label", f"citizen {precinct}"]
        _run("observe", "submit", "small", precinct, str(copy), *photo, db=db)
    _run("audit", "plan", "small", "--method", method, db=db)
    _enter_cvrs(work, cvrs, db)
    _run("audit", "manifest", "small", "--out", str(work / "published.json"), db=db)
    batches = _batches(work / "published.json")
    for who in ("m1", "m2"):
        _run("audit", "seed", "small", "--digits", SEED, "--operator", who, db=db)
    for number in range(1, 4):
        drawn = json.loads(_run("audit", "draw", "small", "--json", db=db))
        rows = []
        if method == "comparison":
            flipped = flip if number == 1 or every_round else 0
            decision = _read_ballots(work, number, drawn, batches, flipped, db)
            if decision != "next_round":
                break
            continue
        for batch in drawn["to_count"]:
            if method == "macro":
                found = {f: batches[batch][f] for f in FIELDS} | (misread or {}).get(batch, {})
            else:
                found = dict(Counter(_category(batches[b], p) for b, p in drawn["draws"] if b == batch))
                if number == 1 and batch == "P1":
                    found["yes"], found["no"] = found["yes"] - flip, found["no"] + flip
            rows.append(",".join([batch, *(str(found.get(f, 0)) for f in FIELDS)]))
        hand = work / f"hand-{number}.csv"
        hand.write_text("batch," + ",".join(FIELDS) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
        decision = None
        if rows:
            _run("audit", "enter", "small", str(hand), "--operator", "c1", db=db)
            decision = json.loads(_run("audit", "enter", "small", str(hand), "--operator", "c2", "--json", db=db))[
                "decision"
            ]
        if decision != "next_round":
            break
    if full_count and decision == "escalate":
        _full_count(work, batches, misread, db)
    out = work / "report"
    _run("audit", "report", "small", "--out", str(out), db=db)
    return out
