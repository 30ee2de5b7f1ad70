"""`saylau-verify --audit` on the audit reports of an election's contests (spec/audit.md §3a, §10a-§14) written
by the producer's CLI (subprocess): a party list confirmed and a district escalated to a full hand count that
overturns it are accepted; each tamper is rejected by the check that owns it (the record re-chained first)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import needs_producer
from contest_report import make_contest_report
from rewrite import canon, copy_report, read_audit_record, write_audit_record
from saylau_verify.audit.verify import verify_audit
from saylau_verify.cli import main

pytestmark = needs_producer
Events = list[dict[str, Any]]
# smd-1: c_one won 550 to 450; the hand counts find the two candidates' votes swapped in both precincts
SWAPPED = {"P1": {"c_one": 200, "c_two": 350}, "P2": {"c_one": 250, "c_two": 200}}


@pytest.fixture(scope="module")
def list_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_contest_report(tmp_path_factory.mktemp("list"), "list")


@pytest.fixture(scope="module")
def district_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_contest_report(tmp_path_factory.mktemp("smd"), "smd-1", SWAPPED, full_count=True)


def _tamper(report: Path, tmp_path: Path, edit: Callable[[Events], None], rechain: bool = True) -> set[str]:
    copy = copy_report(report, tmp_path)
    events = read_audit_record(copy)
    edit(events)
    write_audit_record(copy, events, rechain)
    result = verify_audit(copy)
    assert not result.ok
    return {f"A{f.step}" for f in result.findings}


def _of(events: Events, kind: str) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == kind]


def test_clean_reports_are_accepted_and_are_what_the_tests_mean(list_report: Path, district_report: Path) -> None:
    for report in (list_report, district_report):
        result = verify_audit(report)
        assert result.findings == ()
        assert result.finished
    plan = _of(read_audit_record(list_report), "plan")[0]["payload"]
    assert (plan["contest"], plan["kind"]) == ("list", "party_list")
    events = read_audit_record(district_report)
    assert _of(events, "finish")[0]["payload"]["scopes"] == ["E1"]
    assert _of(events, "hand_count")[0]["payload"]["outcome"] == "overturned"


def test_the_command_line(list_report: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--audit", str(list_report), "--json"]) == 0
    said = json.loads(capsys.readouterr().out)
    assert (said["status"], said["method"], said["outcome"]) == ("ok", "macro", "confirmed")


def test_a_broken_hash_is_check_1(list_report: Path, tmp_path: Path) -> None:
    def edit(events: Events) -> None:
        _of(events, "entry")[0]["payload"]["votes"]["amanat"] += 1

    assert "A1" in _tamper(list_report, tmp_path, edit, rechain=False)


def test_a_question_shaped_entry_is_check_1(list_report: Path, tmp_path: Path) -> None:
    def edit(events: Events) -> None:
        entry = _of(events, "entry")[0]["payload"]
        del entry["votes"]
        entry |= {"yes": 1, "no": 1, "not_counted": 0}

    assert "A1" in _tamper(list_report, tmp_path, edit)


def test_a_changed_manifest_is_check_2(list_report: Path, tmp_path: Path) -> None:
    copy = copy_report(list_report, tmp_path)
    manifest = (copy / "manifest.json").read_text(encoding="utf-8")
    (copy / "manifest.json").write_text(manifest.replace('"amanat":400', '"amanat":401'), encoding="utf-8")
    assert {f.step for f in verify_audit(copy).findings if f.subject == "manifest.json"} == {2}


def test_a_plan_that_the_manifest_does_not_give_is_check_3(list_report: Path, tmp_path: Path) -> None:
    copy = copy_report(list_report, tmp_path)
    plan = json.loads((copy / "plan.json").read_text(encoding="utf-8"))
    plan["assertions"][0]["claim"]["coefficients"]["amanat"] = "1000/1"  # a claim the assorter does not follow
    text = canon(plan)
    (copy / "plan.json").write_text(text, encoding="utf-8")
    events = read_audit_record(copy)
    events[0]["payload"]["plan_sha256"] = hashlib.sha256(text.encode()).hexdigest()  # the record agrees
    write_audit_record(copy, events)
    result = verify_audit(copy)
    assert {f.step for f in result.findings} >= {3}
    assert all(f.step in (3, 4, 6) for f in result.findings)  # the weights follow the plan: draws and risks move


def test_a_changed_draw_is_check_4(list_report: Path, tmp_path: Path) -> None:
    def edit(events: Events) -> None:
        draws = _of(events, "draw")[0]["payload"]["draws"]
        draws[0] = "P4" if draws[0] != "P4" else "P1"

    assert "A4" in _tamper(list_report, tmp_path, edit)


def test_a_removed_entry_is_check_5(list_report: Path, tmp_path: Path) -> None:
    def edit(events: Events) -> None:
        events.remove(_of(events, "entry")[-1])

    assert "A5" in _tamper(list_report, tmp_path, edit)


def test_a_changed_hand_count_is_check_6(list_report: Path, tmp_path: Path) -> None:
    def edit(events: Events) -> None:
        votes = _of(events, "entry")[0]["payload"]["votes"]
        votes["amanat"], votes["respublica"] = votes["amanat"] - 20, votes["respublica"] + 20

    assert _tamper(list_report, tmp_path, edit) == {"A6"}


def test_a_changed_risk_or_decision_is_check_6(district_report: Path, tmp_path: Path) -> None:
    def risk(events: Events) -> None:
        _of(events, "round")[0]["payload"]["risks"][0]["risk"] = "0.01"

    def decision(events: Events) -> None:
        _of(events, "round")[0]["payload"]["decision"] = "next_round"

    assert "A6" in _tamper(district_report, tmp_path / "r", risk)
    assert "A6" in _tamper(district_report, tmp_path / "d", decision)


def test_a_finish_of_another_scope_is_check_7(district_report: Path, tmp_path: Path) -> None:
    def edit(events: Events) -> None:
        _of(events, "finish")[0]["payload"]["scopes"] = ["nation"]

    # A9 too: the full hand count's scopes are no longer the finish's
    assert _tamper(district_report, tmp_path, edit) == {"A7", "A9"}


def test_targeted_batches_are_check_8(list_report: Path, tmp_path: Path) -> None:
    def edit(events: Events) -> None:
        _of(events, "round")[0]["payload"]["overturning"] = ["made_up"]

    assert _tamper(list_report, tmp_path, edit) == {"A8"}


def test_the_full_hand_count_is_check_9(district_report: Path, tmp_path: Path) -> None:
    def stands(events: Events) -> None:
        _of(events, "hand_count")[0]["payload"]["outcome"] = "stands"

    def recount(events: Events) -> None:
        finish = _of(events, "finish")[0]["height"]
        after = [e for e in events[finish + 1 :] if e["type"] == "entry"]
        after[0]["payload"]["votes"]["c_one"] += 1

    assert _tamper(district_report, tmp_path / "a", stands) == {"A9"}
    assert _tamper(district_report, tmp_path / "b", recount) == {"A9"}


# A8 recomputes a contest's targeted batches from the observers' copies (spec/audit.md §13a, §14) -------------


@pytest.fixture(scope="module")
def copied_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The party list with three citizens' copies: P4's differs on the list (targeted), P2's on smd-1 only and
    P3's is the protocol itself (neither targeted)."""
    copies = {"P4": {"list": {"amanat": 39, "auyl": 6}}, "P2": {"smd-1": {"c_one": 199}}, "P3": {}}
    return make_contest_report(tmp_path_factory.mktemp("copies"), "list", copies=copies)


def _recopy(report: Path, tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> set[str]:
    """copies.json edited, round 1's draw given its new SHA-256 and number of copies (re-chained)."""
    copy = copy_report(report, tmp_path)
    document = json.loads((copy / "copies.json").read_text(encoding="utf-8"))
    edit(document)
    text = canon(document)
    (copy / "copies.json").write_text(text, encoding="utf-8")
    events = read_audit_record(copy)
    draw = _of(events, "draw")[0]["payload"]
    draw["copies"], draw["copies_sha256"] = len(document["copies"]), hashlib.sha256(text.encode()).hexdigest()
    write_audit_record(copy, events)
    result = verify_audit(copy)
    assert not result.ok
    return {f"A{f.step}" for f in result.findings}


def test_a_contest_report_with_targeted_batches_is_accepted(copied_report: Path) -> None:
    result = verify_audit(copied_report)
    assert result.findings == ()
    events = read_audit_record(copied_report)
    draw = _of(events, "draw")[0]["payload"]
    assert (draw["targeted"], draw["copies"]) == (["P4"], 3)
    assert _of(events, "round")[0]["payload"]["targeted"] == [{"batch": "P4", "differs": "no"}]
    assert "P4" in {e["payload"]["batch"] for e in _of(events, "entry")}


def test_copies_that_do_not_give_a_contests_targeted_batches_are_check_8(copied_report: Path, tmp_path: Path) -> None:
    def drop(document: dict[str, Any]) -> None:  # P4's copy left out: the copies target nothing
        document["copies"] = [c for c in document["copies"] if c["precinct"] != "P4"]
        document["official"] = [o for o in document["official"] if o["precinct"] != "P4"]

    def differ(document: dict[str, Any]) -> None:  # P3's copy made to differ on the list: P3 should be targeted
        next(c for c in document["copies"] if c["precinct"] == "P3")["figures"]["list"]["auyl"] += 1

    def official(document: dict[str, Any]) -> None:  # the official protocol listed is not the manifest's
        next(o for o in document["official"] if o["precinct"] == "P3")["figures"]["list"]["amanat"] += 1

    assert _recopy(copied_report, tmp_path / "a", drop) == {"A8"}
    assert _recopy(copied_report, tmp_path / "b", differ) == {"A8"}
    assert "A8" in _recopy(copied_report, tmp_path / "c", official)


def test_a_contests_targeted_round_facts_are_check_8(copied_report: Path, tmp_path: Path) -> None:
    def differs(events: Events) -> None:
        _of(events, "round")[0]["payload"]["targeted"][0]["differs"] = "yes"

    def untargeted(events: Events) -> None:  # round 1 no longer names P4: its entry is one too many
        _of(events, "draw")[0]["payload"]["targeted"] = []

    assert _tamper(copied_report, tmp_path / "a", differs) == {"A8"}
    assert "A8" in _tamper(copied_report, tmp_path / "b", untargeted)
