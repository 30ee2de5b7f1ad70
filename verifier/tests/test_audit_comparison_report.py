"""`saylau-verify --audit` on a comparison audit's report (spec/audit.md §18) made by the producer's CLI
(subprocess): two precincts give cast-vote records, the others are compared with their ONE CVR; a clean report
is accepted, and a CVR altered after the manifest (A2), a changed reading (A6), a misstated risk (A6), an
estimator changed after the seed (A2/A6) and a reading of a ballot not drawn (A5) are rejected."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from audit_report import make_audit_report
from conftest import needs_producer
from rewrite import copy_report, read_audit_record, write_audit_record
from saylau_verify.audit.verify import verify_audit

pytestmark = needs_producer
Events = list[dict[str, Any]]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # P1 and P3 give CVRs; round 1 reads 3 of P1's drawn Yes ballots as No (discrepancies against its CVRs)
    return make_audit_report(tmp_path_factory.mktemp("comparison"), "comparison", flip=3, cvrs=("P1", "P3"))


@pytest.fixture(scope="module")
def escalated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # every round reads all of P1's drawn Yes ballots as No: region R1 is never confirmed, the third round escalates,
    # and the full hand count (per-batch counts) finds the protocols: the outcome stands
    work = tmp_path_factory.mktemp("comparison-escalated")
    return make_audit_report(work, "comparison", flip=10**6, cvrs=("P1",), full_count=True, every_round=True)


def test_an_escalated_comparison_and_its_full_count_are_accepted(escalated: Path) -> None:
    result = verify_audit(escalated)
    assert result.ok, [str(f) for f in result.findings]
    events = read_audit_record(escalated)
    assert [e["payload"]["decision"] for e in events if e["type"] == "round"] == [
        "next_round",
        "next_round",
        "escalate",
    ]
    assert events[-1]["type"] == "hand_count"
    assert events[-1]["payload"]["outcome"] == "stands"


def _checks(copy: Path) -> set[str]:
    result = verify_audit(copy)
    assert not result.ok
    return {str(f).split(" ")[0] for f in result.findings}


def _tamper(report: Path, tmp_path: Path, edit: Callable[[Events], None]) -> set[str]:
    copy = copy_report(report, tmp_path)
    events = read_audit_record(copy)
    edit(events)
    write_audit_record(copy, events, True)
    return _checks(copy)


def _entries(events: Events) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == "entry"]


def test_a_clean_comparison_report_is_accepted(report: Path) -> None:
    result = verify_audit(report)
    assert result.ok, [str(f) for f in result.findings]
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(b["id"] for b in manifest["batches"] if "cvr" in b) == ["P1", "P3"]
    assert sorted(p.name for p in (report / "cvr").iterdir()) == ["P1.csv", "P3.csv"]
    entries = _entries(read_audit_record(report))
    assert entries
    assert all("readings" in e["payload"] for e in entries)
    assert any(r == "no" for e in entries if e["payload"]["batch"] == "P1" for _, r in e["payload"]["readings"])


def test_a_cvr_altered_after_the_manifest_is_check_2(report: Path, tmp_path: Path) -> None:
    copy = copy_report(report, tmp_path)
    path = copy / "cvr" / "P1.csv"
    lines = path.read_text(encoding="ascii").splitlines(keepends=True)
    lines[1] = lines[1].replace("yes", "no")
    path.write_text("".join(lines), encoding="ascii")
    assert "A2" in _checks(copy)


def test_a_changed_reading_is_check_6(report: Path, tmp_path: Path) -> None:
    def edit(events: Events) -> None:
        entry = next(e for e in _entries(events) if any(r == "yes" for _, r in e["payload"]["readings"]))
        pair = next(x for x in entry["payload"]["readings"] if x[1] == "yes")
        pair[1] = "not_found"  # a ballot read against the outcome: the recorded risks no longer follow

    assert "A6" in _tamper(report, tmp_path, edit)


def test_a_misstated_risk_is_check_6(report: Path, tmp_path: Path) -> None:
    def edit(events: Events) -> None:
        measured = next(e for e in events if e["type"] == "round")
        measured["payload"]["risks"][0]["risk"] = "0.0001"

    assert "A6" in _tamper(report, tmp_path, edit)


def test_a_changed_estimator_is_checks_2_or_6(report: Path, tmp_path: Path) -> None:
    def edit(events: Events) -> None:
        manifest = next(e for e in events if e["type"] == "manifest")
        manifest["payload"]["estimators"][0]["eta0"] = "1/3"  # below 1/2: betting against the outcome

    assert "A2" in _tamper(report, tmp_path, edit)


def test_a_reading_of_a_ballot_not_drawn_is_check_5(report: Path, tmp_path: Path) -> None:
    def edit(events: Events) -> None:
        entry = _entries(events)[0]
        entry["payload"]["readings"].append([10_000, "yes"])

    assert "A5" in _tamper(report, tmp_path, edit)
