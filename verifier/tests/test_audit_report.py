"""`saylau-verify --audit` on audit reports the producer's CLI wrote (subprocess): a clean report is accepted (MACRO
over two rounds, BRAVO, an escalation), and each tamper is rejected by the check of spec/audit.md §14 that owns it
(the record re-chained first, so that the hash chain alone does not catch it)."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from audit_report import make_audit_report
from conftest import needs_producer
from rewrite import canon, copy_report, read_audit_record, write_audit_record
from saylau_verify.audit import arith
from saylau_verify.audit.checks import _decimal
from saylau_verify.audit.files import Manifest, PlanAssertion, parse_manifest
from saylau_verify.audit.law import derive, parse_law
from saylau_verify.audit.verify import verify_audit
from saylau_verify.cli import main
from saylau_verify.findings import Finding

pytestmark = needs_producer
Events = list[dict[str, Any]]


@pytest.fixture(scope="module")
def macro_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # P1's hand count finds 10 Yes ballots fewer (as No): a small taint, so the audit needs a second round
    return make_audit_report(tmp_path_factory.mktemp("macro"), "macro", {"P1": {"yes": 370, "no": 280}})


@pytest.fixture(scope="module")
def bravo_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # round 1 finds 40 of P1's drawn Yes ballots to be No: region R1 is not confirmed until a second round
    return make_audit_report(tmp_path_factory.mktemp("bravo"), "bravo", flip=40)


@pytest.fixture(scope="module")
def escalated_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # P3's hand count turns region R2 around (and the nation's margin with it): both assertions at risk 1, a full count
    return make_audit_report(tmp_path_factory.mktemp("esc"), "macro", {"P3": {"yes": 100, "no": 760}})


@pytest.fixture(scope="module")
def counted_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # the escalated audit, then the full hand count of its finish's batches (P3 still misread): overturned
    misread = {"P3": {"yes": 100, "no": 760}}
    return make_audit_report(tmp_path_factory.mktemp("full"), "macro", misread, full_count=True)


@pytest.fixture(scope="module")
def copied_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # citizens' copies: P2's differs in a field the manifest does not hold (issued), P5's in its Yes and No, P3's is
    # the protocol itself: P2 and P5 are targeted (§13a)
    copies = {"P2": {"issued": 601}, "P3": {}, "P5": {"yes": 61, "no": 39}}
    return make_audit_report(tmp_path_factory.mktemp("copies"), "macro", copies=copies)


def _tamper(report: Path, tmp_path: Path, edit: Callable[[Events], None], rechain: bool = True) -> set[str]:
    copy = copy_report(report, tmp_path)
    events = read_audit_record(copy)
    edit(events)
    write_audit_record(copy, events, rechain)
    result = verify_audit(copy)
    assert not result.ok
    return {str(f).split(" ")[0] for f in result.findings}


def _of(events: Events, kind: str) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == kind]


@pytest.mark.parametrize(
    "name", ["macro_report", "bravo_report", "escalated_report", "counted_report", "copied_report"]
)
def test_a_clean_report_is_accepted(name: str, request: pytest.FixtureRequest) -> None:
    report: Path = request.getfixturevalue(name)
    result = verify_audit(report)
    assert result.findings == ()
    assert result.finished


def test_the_reports_are_what_the_tests_mean(macro_report: Path, bravo_report: Path, escalated_report: Path) -> None:
    macro = read_audit_record(macro_report)
    assert [r["payload"]["decision"] for r in _of(macro, "round")] == ["next_round", "confirmed"]
    assert len(set(_of(macro, "draw")[0]["payload"]["draws"])) > 2  # several batches: a reorder is visible
    bravo = read_audit_record(bravo_report)
    assert _of(bravo, "plan")[0]["payload"]["method"] == "bravo"
    assert [r["payload"]["decision"] for r in _of(bravo, "round")] == ["next_round", "confirmed"]
    (finish,) = _of(read_audit_record(escalated_report), "finish")
    assert finish["payload"]["outcome"] == "full_hand_count"
    assert finish["payload"]["scopes"] == ["R2", "nation"]
    assert finish["payload"]["batches"] == ["P1", "P2", "P3", "P4", "P5"]


def test_the_command_line(macro_report: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--audit", str(macro_report), "--json"]) == 0
    said = json.loads(capsys.readouterr().out)
    assert (said["status"], said["kind"], said["method"], said["rounds"], said["outcome"]) == (
        "ok", "audit", "macro", 2, "confirmed"
    )  # fmt: skip
    assert main([str(macro_report)]) == 0  # found by its files: record.jsonl, no events.jsonl
    assert "OK: audit checks A1..A7 hold; macro, 2 rounds, outcome: confirmed" in capsys.readouterr().out
    copy = copy_report(macro_report, tmp_path)
    (copy / "plan.json").unlink()
    assert main(["--audit", str(copy), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["status"] == "unreadable"
    shutil.copy(macro_report / "plan.json", copy / "plan.json")
    (copy / "record.jsonl").write_text((copy / "record.jsonl").read_text().replace('"yes":320', '"yes":321'))
    assert main(["--audit", str(copy)]) == 1
    assert "A1 record.jsonl line" in capsys.readouterr().out


def test_a_broken_hash_is_check_1(macro_report: Path, tmp_path: Path) -> None:
    def edit(events: Events) -> None:
        _of(events, "entry")[0]["payload"]["yes"] += 1

    assert _tamper(macro_report, tmp_path, edit, rechain=False) >= {"A1"}


def test_types_out_of_order_are_check_1(macro_report: Path, tmp_path: Path) -> None:
    def edit(events: Events) -> None:
        events[1], events[2] = events[2], events[1]  # the seed before the manifest

    assert "A1" in _tamper(macro_report, tmp_path, edit)


def test_a_changed_file_is_check_2(macro_report: Path, tmp_path: Path) -> None:
    copy = copy_report(macro_report, tmp_path)
    manifest = (copy / "manifest.json").read_text(encoding="utf-8")
    (copy / "manifest.json").write_text(manifest.replace('"yes":380', '"yes":381'), encoding="utf-8")
    found = {f.step for f in verify_audit(copy).findings if f.subject == "manifest.json"}
    assert found == {2}
    (copy / "manifest.json").write_text(manifest.replace('"batches":', '"batches": '), encoding="utf-8")
    assert any(f.step == 2 and "canonical" in f.message for f in verify_audit(copy).findings)


def test_a_plan_that_the_manifest_does_not_give_is_check_3(macro_report: Path, tmp_path: Path) -> None:
    copy = copy_report(macro_report, tmp_path)
    plan = json.loads((copy / "plan.json").read_text(encoding="utf-8"))
    plan["assertions"][0]["margin_exact"] = "1/3"
    text = canon(plan)
    (copy / "plan.json").write_text(text, encoding="utf-8")
    events = read_audit_record(copy)
    events[0]["payload"]["plan_sha256"] = hashlib.sha256(text.encode()).hexdigest()  # the record agrees
    write_audit_record(copy, events)
    result = verify_audit(copy)
    assert {f.step for f in result.findings} == {3}
    assert "margin_exact 1/3, recomputed" in result.findings[0].message


def test_a_reordered_draw_is_check_4(macro_report: Path, tmp_path: Path) -> None:
    def edit(events: Events) -> None:
        draws = _of(events, "draw")[0]["payload"]["draws"]
        j = next(i for i in range(1, len(draws)) if draws[i] != draws[0])
        draws[0], draws[j] = draws[j], draws[0]

    assert _tamper(macro_report, tmp_path, edit) == {"A4"}


def test_a_wrong_seed_is_check_4(macro_report: Path, bravo_report: Path, tmp_path: Path) -> None:
    def edit(events: Events) -> None:
        _of(events, "seed")[0]["payload"]["seed"] = "27182818284590452353"

    assert "A4" in _tamper(macro_report, tmp_path / "m", edit)
    assert "A4" in _tamper(bravo_report, tmp_path / "b", edit)


def test_a_removed_entry_is_check_5(macro_report: Path, bravo_report: Path, tmp_path: Path) -> None:
    def edit(events: Events) -> None:
        events.remove(_of(events, "entry")[-1])

    assert "A5" in _tamper(macro_report, tmp_path / "m", edit)
    assert "A5" in _tamper(bravo_report, tmp_path / "b", edit)


def test_one_operator_twice_is_check_5(bravo_report: Path, tmp_path: Path) -> None:
    def edit(events: Events) -> None:
        _of(events, "entry")[0]["payload"]["operators"] = ["c1", "c1"]

    assert _tamper(bravo_report, tmp_path, edit) == {"A5"}


def test_a_changed_entry_figure_is_check_6(macro_report: Path, bravo_report: Path, tmp_path: Path) -> None:
    def macro_edit(events: Events) -> None:
        entry = next(e for e in _of(events, "entry") if e["payload"]["batch"] == "P1")
        entry["payload"]["yes"] += 10  # the misread undone: the recorded risks no longer follow
        entry["payload"]["no"] -= 10

    def bravo_edit(events: Events) -> None:
        entry = _of(events, "entry")[0]["payload"]
        entry["yes"], entry["no"] = entry["yes"] - 5, entry["no"] + 5

    assert _tamper(macro_report, tmp_path / "m", macro_edit) == {"A6"}
    assert _tamper(bravo_report, tmp_path / "b", bravo_edit) == {"A6"}


def test_a_changed_risk_is_check_6(macro_report: Path, tmp_path: Path) -> None:
    def edit(events: Events) -> None:
        _of(events, "round")[0]["payload"]["risks"][0]["risk"] = "0.0791"

    assert _tamper(macro_report, tmp_path, edit) == {"A6"}


def test_a_wrong_decision_or_size_is_check_6(macro_report: Path, tmp_path: Path) -> None:
    def size(events: Events) -> None:
        _of(events, "round")[0]["payload"]["next_size"] += 1

    def decision(events: Events) -> None:
        _of(events, "round")[0]["payload"]["decision"] = "escalate"

    assert "A6" in _tamper(macro_report, tmp_path / "s", size)
    assert "A6" in _tamper(macro_report, tmp_path / "d", decision)


def test_a_bravo_round_of_another_size_is_check_6(bravo_report: Path, tmp_path: Path) -> None:
    def size(events: Events) -> None:
        _of(events, "round")[0]["payload"]["next_size"] -= 1

    def shorter(events: Events) -> None:  # round 2 one ballot short: its draws still the seed's
        draw = _of(events, "draw")[1]["payload"]
        draw["draws"] = draw["draws"][:-1]

    assert "A6" in _tamper(bravo_report, tmp_path / "n", size)
    assert "A6" in _tamper(bravo_report, tmp_path / "s", shorter)


def test_a_finish_that_skips_a_scope_is_check_7(escalated_report: Path, tmp_path: Path) -> None:
    def edit(events: Events) -> None:
        _of(events, "finish")[0]["payload"]["batches"] = []

    assert _tamper(escalated_report, tmp_path, edit) == {"A7"}


@pytest.mark.parametrize("name", ["macro_report", "bravo_report"])
def test_a_payload_of_the_wrong_shape_is_check_1_never_a_crash(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    report: Path = request.getfixturevalue(name)
    original = read_audit_record(report)
    copy = copy_report(report, tmp_path)
    for index, event in enumerate(original):
        for key in sorted(event["payload"]):
            for wrong in ([], {"x": 1}, "P1", -1, [["P1", 0]]):
                events = json.loads(json.dumps(original))
                events[index]["payload"][key] = wrong
                write_audit_record(copy, events)
                result = verify_audit(copy)  # never raises
                if wrong != event["payload"][key]:
                    assert result.findings, (index, key, wrong)
    events = json.loads(json.dumps(original))
    events.pop(0)
    write_audit_record(copy, events)
    assert "A1" in {f"A{f.step}" for f in verify_audit(copy).findings}


def test_the_full_hand_count_is_check_9(counted_report: Path, tmp_path: Path) -> None:
    events = read_audit_record(counted_report)
    (counted,) = _of(events, "hand_count")
    assert counted["payload"]["outcome"] == "overturned"
    assert [t["scope"] for t in counted["payload"]["tally"]] == ["R2", "nation"]

    def stands(events: Events) -> None:
        _of(events, "hand_count")[0]["payload"]["outcome"] = "stands"

    def recount(events: Events) -> None:
        finish = _of(events, "finish")[0]["height"]
        after = [e for e in events[finish + 1 :] if e["type"] == "entry"]
        after[0]["payload"]["yes"] += 1

    def early(events: Events) -> None:
        finish = _of(events, "finish")[0]["height"]
        drop = next(i for i, e in enumerate(events) if i > finish and e["type"] == "entry")
        del events[drop]

    assert _tamper(counted_report, tmp_path / "a", stands) == {"A9"}
    assert _tamper(counted_report, tmp_path / "b", recount) == {"A9"}
    assert _tamper(counted_report, tmp_path / "c", early) == {"A9"}


def test_targeted_batches_are_check_8(macro_report: Path, tmp_path: Path) -> None:
    def target(events: Events) -> None:
        draw = _of(events, "draw")[0]["payload"]
        draw["targeted"] = [draw["draws"][0]]  # a batch counted in round 1 anyway: no entry is missing

    def overturn(events: Events) -> None:
        _of(events, "round")[0]["payload"]["overturning"] = ["made_up"]

    def later(events: Events) -> None:
        _of(events, "draw")[1]["payload"]["targeted"] = ["P1"]

    assert _tamper(macro_report, tmp_path / "a", target) == {"A8"}
    assert "A8" in _tamper(macro_report, tmp_path / "b", overturn)  # and A6: the round should have escalated
    assert "A8" in _tamper(macro_report, tmp_path / "c", later)


# A3 derives the assertions the law's outcome needs (spec/audit.md §3) from plan.json's `law` (§10) -------------


def _replan(report: Path, tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> list[Finding]:
    """plan.json edited, its other facts made to agree (each assertion's assorter and margins restated from its
    claim, the hardest re-chosen, the record's plan event given the new SHA-256 and hardest, re-chained), so
    that only the derivation from the law can tell."""
    copy = copy_report(report, tmp_path)
    plan = json.loads((copy / "plan.json").read_text(encoding="utf-8"))
    edit(plan)
    manifest = parse_manifest((copy / "manifest.json").read_bytes())
    for a in plan["assertions"]:
        _restate(a, manifest)
    sampled = [a for a in plan["assertions"] if a["method"] == "sample" and not a["trivial"]]
    plan["assertions"].sort(key=lambda a: (a["trivial"], Fraction(a["margin_exact"]), a["id"]))
    plan["hardest"] = min(sampled, key=lambda a: Fraction(a["margin_exact"]))["id"] if sampled else None
    text = canon(plan)
    (copy / "plan.json").write_text(text, encoding="utf-8")
    events = read_audit_record(copy)
    events[0]["payload"]["plan_sha256"] = hashlib.sha256(text.encode()).hexdigest()
    events[0]["payload"]["hardest"] = plan["hardest"] or ""
    write_audit_record(copy, events)
    return list(verify_audit(copy).findings)


def _restate(a: dict[str, Any], manifest: Manifest) -> None:
    """The assertion's assorter, trivial flag and margins as §2 gives them from its (possibly edited) claim."""
    claim = a["claim"]
    stated = PlanAssertion(
        a["id"], a["unit"], a["method"], False, a["condition_holds"], "", Fraction(0),
        {c: Fraction(v) for c, v in claim["coefficients"].items()}, Fraction(claim["k"]), claim["ballots"], None,
    )  # fmt: skip
    counts = tuple(sum(b.counts[i] for b in manifest.population(a["unit"])) for i in range(4))
    total = arith.total(stated.coefficients, counts)  # type: ignore[arg-type]
    low = min(stated.coefficient(c) for c in ("yes", "no", "invalid", "not_counted"))
    trivial = a["method"] == "sample" and stated.ballots * low > stated.k
    assorter = None if a["method"] == "reconciliation" or trivial else arith.assorter_of(stated)
    if a["method"] == "reconciliation":
        margin = (total - stated.k) / stated.ballots
    elif trivial:
        margin = Fraction(1)
    else:
        margin = Fraction(0) if assorter is None else arith.diluted_margin(assorter, counts)  # type: ignore[arg-type]
    a["trivial"] = trivial
    a["assorter"] = None if assorter is None else {c: _frac(v) for c, v in assorter.items()}
    a["margin_exact"], a["margin"] = _frac(margin), _decimal(margin)


def _frac(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def _law_messages(findings: list[Finding]) -> list[str]:
    return [f"{f.subject}: {f.message}" for f in findings if f.step == 3]


def test_the_plan_carries_the_law_and_a3_derives_it(macro_report: Path) -> None:
    plan = json.loads((macro_report / "plan.json").read_text(encoding="utf-8"))
    law = plan["law"]
    assert (law["approval_mode"], law["unit_choice"]) == ("all", "widest")
    assert [(c["id"], c["group"], c["scope"]) for c in law["conditions"]] == [
        ("turnout", "validity", "national"),
        ("national_yes", "approval", "national"),
        ("units_yes", "approval", "units"),
    ]
    assert law["units"] == [
        {"unit": "AB", "weight": "0/1"},
        {"unit": "R1", "weight": "1/1"},
        {"unit": "R2", "weight": "1/1"},
    ]
    derived = derive(parse_law(law), parse_manifest((macro_report / "manifest.json").read_bytes()))
    assert [a.id for a in derived.assertions] == [a["id"] for a in plan["assertions"]]
    assert (derived.valid, derived.adopted) == (True, True)


def test_an_omitted_quorum_assertion_is_check_3(macro_report: Path, bravo_report: Path, tmp_path: Path) -> None:
    def omit(plan: dict[str, Any]) -> None:
        plan["assertions"] = [a for a in plan["assertions"] if a["condition"] != "turnout"]

    for name, report in (("m", macro_report), ("b", bravo_report)):
        findings = _replan(report, tmp_path / name, omit)
        assert {f.step for f in findings} == {3}
        assert _law_messages(findings) == [
            "plan.json assertion turnout: missing: the reported outcome rests on condition turnout (§3)"
        ]


def test_a_changed_threshold_is_check_3(macro_report: Path, tmp_path: Path) -> None:
    def quorum(plan: dict[str, Any]) -> None:  # the turnout quorum's k from 2/5 of the register, not 1/2
        (a,) = [a for a in plan["assertions"] if a["id"] == "turnout"]
        a["claim"]["k"] = _frac(Fraction(3500 * 2 // 5))

    def majority(plan: dict[str, Any]) -> None:  # Yes > 1/3 of participants instead of 1/2
        (a,) = [a for a in plan["assertions"] if a["id"] == "national_yes"]
        third = Fraction(1, 3)
        a["claim"]["coefficients"] = {c: _frac(1 - third if c == "yes" else -third) for c in a["claim"]["coefficients"]}

    findings = _replan(macro_report, tmp_path / "q", quorum)
    assert {f.step for f in findings} == {3}
    assert _law_messages(findings) == [
        "plan.json assertion turnout: the claim's k is 1400, the law's threshold gives 1750"
    ]
    findings = _replan(macro_report, tmp_path / "m", majority)
    assert 3 in {f.step for f in findings}  # (the MACRO weights change with the claim: A4 and A6 too)
    assert any(
        "national_yes: the claim's coefficients differ" in m and "yes 2/3 (§3: 1/2)" in m
        for m in _law_messages(findings)
    )


def test_a_dropped_unit_of_the_double_majority_is_check_3(bravo_report: Path, tmp_path: Path) -> None:
    def drop(plan: dict[str, Any]) -> None:
        plan["assertions"] = [a for a in plan["assertions"] if a["id"] != "units_yes:R2"]

    findings = _replan(bravo_report, tmp_path / "d", drop)
    assert 3 in {f.step for f in findings}
    assert (
        "plan.json assertion units_yes:R2: missing: the reported outcome rests on condition units_yes in unit R2 (§3)"
        in (_law_messages(findings))
    )

    def swap(plan: dict[str, Any]) -> None:  # R2's assertion stated for the abroad unit (weight 0) instead
        (a,) = [a for a in plan["assertions"] if a["id"] == "units_yes:R2"]
        a["id"], a["unit"] = "units_yes:AB", "AB"
        a["claim"]["ballots"] = 300

    messages = _law_messages(_replan(bravo_report, tmp_path / "s", swap))
    assert "plan.json assertion units_yes:AB: not an assertion the law's outcome needs (§3)" in messages


def test_a_wrong_outcome_or_a_changed_law_is_check_3(macro_report: Path, tmp_path: Path) -> None:
    def outcome(plan: dict[str, Any]) -> None:
        plan["adopted"] = False

    def quota(plan: dict[str, Any]) -> None:  # the law's own text changed: a half of the units, not two thirds
        plan["law"]["conditions"][2]["quota"] = "1/2"

    messages = _law_messages(_replan(macro_report, tmp_path / "o", outcome))
    assert messages == [
        "plan.json: reports valid True, adopted False; "
        "the law's conditions on the manifest give valid True, adopted True"
    ]
    # 1/2 of 2 regions is 1: one region (the widest) suffices, so R2's assertion is no longer needed
    messages = _law_messages(_replan(macro_report, tmp_path / "u", quota))
    assert any("not an assertion the law's outcome needs" in m for m in messages)


def test_bravo_round_1_of_another_size_is_check_6(bravo_report: Path, tmp_path: Path) -> None:
    """Round 1's size recomputed (bravo_round_size, §6): one ballot fewer, and its hand count one ballot short."""
    events = read_audit_record(bravo_report)
    draws = _of(events, "draw")[0]["payload"]["draws"]
    assert f"BRAVO's first round (§6, §13) has {len(draws)}" not in str(verify_audit(bravo_report).findings)

    def shorter(events: Events) -> None:
        draw = _of(events, "draw")[0]["payload"]
        batch, _ = draw["draws"].pop()
        entry = next(e for e in _of(events, "entry") if e["payload"]["round"] == 1 and e["payload"]["batch"] == batch)
        figures = entry["payload"]
        field = next(f for f in ("not_counted", "invalid", "no", "yes") if figures[f] > 0)
        figures[field] -= 1  # (which category the ballot was does not matter to the size)

    copy = copy_report(bravo_report, tmp_path)
    events = read_audit_record(copy)
    shorter(events)
    write_audit_record(copy, events)
    findings = verify_audit(copy).findings
    assert any(
        f.step == 6 and f.subject == "draw round 1" and f"BRAVO's first round (§6, §13) has {len(draws)}" in f.message
        for f in findings
    )


# A8 recomputes the targeted batches from the observers' copies (copies.json, spec/audit.md §13a, §14) ----------


def _recopy(report: Path, tmp_path: Path, edit: Callable[[dict[str, Any]], None], rehash: bool = True) -> set[str]:
    """copies.json edited; with ``rehash``, round 1's draw given its new SHA-256 and number of copies (re-chained)."""
    copy = copy_report(report, tmp_path)
    document = json.loads((copy / "copies.json").read_text(encoding="utf-8"))
    edit(document)
    text = canon(document)
    (copy / "copies.json").write_text(text, encoding="utf-8")
    if rehash:
        events = read_audit_record(copy)
        draw = _of(events, "draw")[0]["payload"]
        draw["copies"], draw["copies_sha256"] = len(document["copies"]), hashlib.sha256(text.encode()).hexdigest()
        write_audit_record(copy, events)
    result = verify_audit(copy)
    assert not result.ok
    return {f"A{f.step}" for f in result.findings}


def test_the_copies_are_in_the_report_without_personal_data(copied_report: Path, macro_report: Path) -> None:
    text = (copied_report / "copies.json").read_text(encoding="utf-8")
    document = json.loads(text)
    assert [(c["precinct"], c["submitter"]) for c in document["copies"]] == [
        ("P2", "public"),
        ("P3", "public"),
        ("P5", "public"),
    ]
    assert "citizen" not in text  # the labels the copies were submitted under are not in the report
    assert all(len(c["photo_sha256"]) == 64 for c in document["copies"])
    assert document["copies"][0]["figures"]["q1"]["issued"] == 601
    assert [o["precinct"] for o in document["official"]] == ["P2", "P3", "P5"]
    (draw, *_) = _of(read_audit_record(copied_report), "draw")
    assert draw["payload"]["targeted"] == ["P2", "P5"]
    assert draw["payload"]["copies"] == 3
    assert draw["payload"]["copies_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert (macro_report / "copies.json").exists()  # no copies: an empty list, its hash in the record all the same
    assert json.loads((macro_report / "copies.json").read_text(encoding="utf-8"))["copies"] == []


def test_copies_that_do_not_give_the_targeted_batches_are_check_8(copied_report: Path, tmp_path: Path) -> None:
    def drop(document: dict[str, Any]) -> None:  # P5's copy left out: the copies give P2 only
        document["copies"] = [c for c in document["copies"] if c["precinct"] != "P5"]
        document["official"] = [o for o in document["official"] if o["precinct"] != "P5"]

    def differ(document: dict[str, Any]) -> None:  # P3's copy made to differ: P3 should have been targeted
        document["copies"][1]["figures"]["q1"]["cancelled"] += 1

    def official(document: dict[str, Any]) -> None:  # the official protocol listed is not the manifest's
        document["official"][0]["figures"]["q1"]["yes"] += 1
        document["copies"][0]["figures"]["q1"]["yes"] += 1

    def forged(document: dict[str, Any]) -> None:
        document["copies"][0]["submitter"] = "Aigerim Nurlanovna"

    assert _recopy(copied_report, tmp_path / "a", drop) == {"A8"}
    assert _recopy(copied_report, tmp_path / "b", differ) == {"A8"}
    assert _recopy(copied_report, tmp_path / "c", official) == {"A8"}
    assert _recopy(copied_report, tmp_path / "d", forged) == {"A8"}
    assert _recopy(copied_report, tmp_path / "e", differ, rehash=False) == {"A8"}  # the record's hash differs


def test_a_missing_or_unhashed_copies_file_is_check_8(copied_report: Path, tmp_path: Path) -> None:
    copy = copy_report(copied_report, tmp_path / "m")
    (copy / "copies.json").unlink()
    result = verify_audit(copy)
    assert [(f.step, f.subject) for f in result.findings] == [(8, "copies.json")]
    assert "missing" in result.findings[0].message

    def unhashed(events: Events) -> None:  # a record made before copies.json, with the file beside it
        draw = _of(events, "draw")[0]["payload"]
        del draw["copies"], draw["copies_sha256"]

    assert _tamper(copied_report, tmp_path / "u", unhashed) == {"A8"}

    def dropped_target(events: Events) -> None:  # P2 no longer targeted (nor counted in round 1)
        draw = _of(events, "draw")[0]["payload"]
        draw["targeted"] = ["P5"]

    assert "A8" in _tamper(copied_report, tmp_path / "t", dropped_target)
