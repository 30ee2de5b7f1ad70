"""`saylau audit …` of an election's contests through the command line, on SQLite and PostgreSQL
(spec/audit.md §3a, §11-§14): the party list of the mini election (Hare and a 5% threshold with "against
all" in its base) confirmed by MACRO over its four precincts; a district contest (its district's two
precincts) whose wrong hand count escalates to a full hand count of the district."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import FixedClock
from tests.elections import MINI, context, load
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
        code = load(ctx, MINI, operators=("alice", "bob"))
        advance(ctx, code, Phase.PROVISIONAL, LOCAL_CLI)
        advance(ctx, code, Phase.FINAL, LOCAL_CLI)
    return code


def _up_to_draw(code: str, db: list[str], *plan: str) -> dict[str, object]:
    rc, out = _run("audit", "plan", code, *plan, *db)
    assert rc == 0, out
    for args in (("manifest", code), ("seed", code, "--digits", SEED, "--operator", "m1"),
                 ("seed", code, "--digits", SEED, "--operator", "m2")):  # fmt: skip
        rc, out = _run("audit", *args, *db)
        assert rc == 0, out
    rc, out = _run("audit", "draw", code, "--json", *db)
    assert rc == 0, out
    drawn: dict[str, object] = json.loads(out)
    return drawn


# The mini election's good protocols (tests/elections/mini-election/protocols.csv): the list's counts.
LIST = {
    "P1": "400,100,60,30,10",
    "P2": "300,120,50,20,10",
    "P3": "450,90,100,40,20",
    "P4": "40,5,10,5,0",
}


def _hand(path: Path, header: str, rows: dict[str, str], batches: list[str]) -> Path:
    path.write_text(header + "\n" + "".join(f"{b},{rows[b]}\n" for b in batches), encoding="utf-8")
    return path


def test_a_party_list_contest_audited_and_confirmed(db_url: str, tmp_path: Path) -> None:
    code = _final(db_url)
    db = ["--db", db_url]
    rc, out = _run("audit", "plan", code, "--contest", "list", "--json", *db)
    assert rc == 0, out
    plan = json.loads(out)["plan"]
    assert plan["kind"] == "party_list"
    assert plan["seats"] == {"amanat": 7, "auyl": 2, "respublica": 1}
    ids = {a["id"] for a in plan["assertions"]}
    assert {"threshold:auyl", "seat:amanat>respublica", "seat:auyl>respublica"} <= ids
    assert not any("against_all" in i for i in ids)  # "against all" never holds a seat
    for args in (("manifest", code, "--out", str(tmp_path / "manifest.json")),
                 ("seed", code, "--digits", SEED, "--operator", "m1"),
                 ("seed", code, "--digits", SEED, "--operator", "m2")):  # fmt: skip
        rc, out = _run("audit", *args, *db)
        assert rc == 0, out
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["contest"] == "list"
    assert manifest["batches"][0] == {
        "id": "P1", "unit": "R1", "registered": 1000, "invalid": 10,
        "votes": {"amanat": 400, "auyl": 100, "respublica": 60, "against_all": 30},
    }  # fmt: skip
    rc, out = _run("audit", "draw", code, "--json", *db)
    assert rc == 0, out
    to_count = json.loads(out)["to_count"]
    assert to_count
    header = "batch,amanat,auyl,respublica,against_all,invalid"
    hand = _hand(tmp_path / "hand.csv", header, LIST, to_count)
    wrong = tmp_path / "referendum.csv"
    wrong.write_text("batch,yes,no,invalid,not_counted\nP1,1,1,1,1\n", encoding="utf-8")
    rc, out = _run("audit", "enter", code, str(wrong), "--operator", "c1", *db)
    assert rc == 1
    assert "header" in out
    rc, out = _run("audit", "enter", code, str(hand), "--operator", "c1", *db)
    assert rc == 0, out
    rc, out = _run("audit", "enter", code, str(hand), "--operator", "c2", "--json", *db)
    assert rc == 0, out
    assert json.loads(out)["decision"] == "confirmed"
    rc, out = _run("audit", "status", code, "--json", *db)
    st = json.loads(out)
    assert st["finish"]["outcome"] == "confirmed"
    assert st["chain_ok"] is True
    assert all(r["confirmed"] == "yes" for r in st["risks"])
    rc, out = _run("audit", "report", code, "--out", str(tmp_path / "report"), *db)
    assert rc == 0, out
    report = tmp_path / "report"
    assert (report / "manifest.json").read_bytes() == (tmp_path / "manifest.json").read_bytes()
    assert json.loads((report / "plan.json").read_text(encoding="utf-8"))["contest"] == "list"
    entries = [json.loads(line) for line in (report / "record.jsonl").read_text(encoding="utf-8").splitlines()]
    entry = next(e for e in entries if e["type"] == "entry")
    assert set(entry["payload"]) == {"round", "batch", "votes", "invalid", "operators"}


def test_a_district_contest_with_a_wrong_hand_count_escalates_to_its_district(db_url: str, tmp_path: Path) -> None:
    code = _final(db_url)
    db = ["--db", db_url]
    drawn = _up_to_draw(code, db, "--contest", "smd-1")
    to_count = drawn["to_count"]
    assert isinstance(to_count, list)
    assert set(to_count) <= {"P1", "P2"}  # the district's precincts only
    # c_one won 550 to 450; the hand count finds c_one's votes were c_two's: the assertion's risk is 1
    wrong = {"P1": "200,350,40,10", "P2": "250,200,40,10"}
    header = "batch,c_one,c_two,against_all,invalid"
    hand = _hand(tmp_path / "hand.csv", header, wrong, to_count)
    for operator in ("c1", "c2"):
        rc, out = _run("audit", "enter", code, str(hand), "--operator", operator, "--json", *db)
        assert rc == 0, out
    assert json.loads(out)["decision"] == "escalate"
    rc, out = _run("audit", "status", code, "--json", *db)
    st = json.loads(out)
    assert st["finish"]["outcome"] == "full_hand_count"
    assert st["finish"]["scopes"] == ["E1"]
    assert st["finish"]["batches"] == ["P1", "P2"]
    full = _hand(tmp_path / "full.csv", header, wrong, ["P1", "P2"])
    for operator in ("c1", "c2"):
        rc, out = _run("audit", "enter", code, str(full), "--operator", operator, "--json", *db)
        assert rc == 0, out
    assert json.loads(out)["decision"] == "overturned"
    rc, out = _run("audit", "status", code, *db)
    assert "full hand count of E1: against_all 80, c_one 450, c_two 550, invalid 20" in out
    assert "the reported outcome overturned" in out


def test_a_static_release_after_a_contest_audit_holds_its_audit_pages(db_url: str, tmp_path: Path) -> None:
    code = _final(db_url)
    db = ["--db", db_url]
    _up_to_draw(code, db, "--contest", "list")
    rc, out = _run("publish", "--static", str(tmp_path / "site"), *db, "--json")
    assert rc == 0, out
    assert json.loads(out)["files"] > 0
    written = [p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*") if p.is_file()]
    assert "en/index.html" in written
    # spec/audit.md §15: the contest's audit as a question's, in each language, its JSON and its manifest
    assert {"en/audit.html", "ru/audit.html", "kk/audit.html", "audit.json", "audit/manifest.json"} <= set(written)
    facts = json.loads((tmp_path / "site" / "audit.json").read_text(encoding="utf-8"))
    assert (facts["contest"], facts["kind"], facts["step"]) == ("list", "party_list", "draw")
    assert "AMANAT: 7 · Auyl: 2 · Respublica: 1" in (tmp_path / "site" / "en" / "audit.html").read_text(
        encoding="utf-8"
    )


def test_a_contest_that_is_not_an_election_contest_and_polling_are_refused(db_url: str) -> None:
    code = _final(db_url)
    db = ["--db", db_url]
    rc, out = _run("audit", "plan", code, "--contest", "nope", *db)
    assert rc == 1
    assert "audit_step" in out
    rc, out = _run("audit", "plan", code, "--contest", "list", "--method", "bravo", *db)
    assert rc == 1
    assert "not_pollable" in out
