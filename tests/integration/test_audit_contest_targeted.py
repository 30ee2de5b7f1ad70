"""Targeted batches of an election contest's audit (spec/audit.md §13a) on SQLite and PostgreSQL: the batches of
the contest's manifest where an observer's copy differs from the official protocol *on the contest's figures*
are recorded in round 1's draw (with the copies' number and SHA-256), hand counted beside the random draw,
reported in the round, the status and the pages, never part of the risk; a targeted hand count that contradicts
the reported winner escalates the district to a full hand count."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
from pathlib import Path

import pyotp
import pytest
from fastapi.testclient import TestClient
from tests.elections import MINI, as_operator, load

from saylau.api import create_app
from saylau.model import Phase, QuestionCode
from saylau.services.access.accounts import Role, create_account
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.audit.counting import enter_counts
from saylau.services.audit.parallel import observer_account, submit_copy
from saylau.services.audit.reading import report, status
from saylau.services.audit.state import load as load_audit
from saylau.services.audit.workflow import draw_round, enter_seed, plan_audit, publish_manifest
from saylau.services.context import Context
from saylau.services.paper.lifecycle import advance
from saylau.services.secret_key import SecretKey
from saylau.services.settings import DeploymentSettings

SEED = "31415926535897932384"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
PROTOCOLS = Path(__file__).parents[1] / "elections" / "mini-election" / "protocols.csv"
SMD = ("c_one", "c_two", "against_all")  # smd-1's options (ballot order); its precincts are P1 and P2


def _protocol(precinct: str) -> dict[QuestionCode, dict[str, int]]:
    """The precinct's good protocol, each contest's non-empty fields."""
    with PROTOCOLS.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["precinct"] == precinct]
    skip = ("precinct", "question")
    return {QuestionCode(r["question"]): {k: int(v) for k, v in r.items() if k not in skip and v} for r in rows}


@pytest.fixture
def final(ctx: Context) -> tuple[Context, str]:
    ctx = dataclasses.replace(ctx, settings=DeploymentSettings(secret_key=SecretKey(bytes(range(32)))))
    code = load(ctx, MINI, operators=("alice", "bob"))
    create_account(ctx, "obs", Role.OBSERVER, "correct horse battery staple 42", [], pyotp.random_base32())
    advance(ctx, code, Phase.PROVISIONAL, LOCAL_CLI)
    advance(ctx, code, Phase.FINAL, LOCAL_CLI)
    return ctx, code


def _copy(ctx: Context, code: str, precinct: str, contest: str, changed: dict[str, int]) -> None:
    figures = _protocol(precinct)
    figures[QuestionCode(contest)] = figures[QuestionCode(contest)] | changed
    submit_copy(ctx, code, precinct, figures, PNG, observer_account(ctx, "obs"))


def _count(ctx: Context, code: str, rows: dict[str, tuple[int, ...]]) -> str | None:
    lines = ["batch," + ",".join(SMD) + ",invalid", *(f"{b}," + ",".join(map(str, v)) for b, v in rows.items())]
    data = ("\n".join(lines) + "\n").encode()
    enter_counts(as_operator(ctx, "counter-a"), code, data, "hand.csv", "counter-a", factor=LOCAL_CLI)
    return enter_counts(as_operator(ctx, "counter-b"), code, data, "hand.csv", "counter-b", factor=LOCAL_CLI).decision


def _events(ctx: Context, code: str, kind: str) -> list[dict[str, object]]:
    with ctx.store.transaction() as tx:
        rows = load_audit(tx, code).state.record
    return [json.loads(r.payload) for r in rows if r.type == kind]


def test_a_copy_that_differs_on_the_contest_targets_its_batch_and_a_swap_escalates(
    final: tuple[Context, str], tmp_path: Path
) -> None:
    ctx, code = final
    _copy(ctx, code, "P2", "smd-1", {"c_one": 150, "c_two": 300})  # differs on smd-1: P2 is targeted
    _copy(ctx, code, "P1", "list", {"amanat": 401})  # differs on the party list only: not smd-1's concern
    plan_audit(ctx, code, contest="smd-1", factor=LOCAL_CLI)
    publish_manifest(ctx, code, factor=LOCAL_CLI)
    enter_seed(ctx, code, SEED, "member-1", factor=LOCAL_CLI)
    enter_seed(ctx, code, SEED, "member-2", factor=LOCAL_CLI)
    drawn = draw_round(ctx, code, factor=LOCAL_CLI)
    (draw,) = _events(ctx, code, "draw")
    assert draw["targeted"] == ["P2"]
    assert draw["copies"] == 2
    assert "P2" in drawn.to_count  # hand counted in round 1 whether drawn or not
    assert status(ctx, code).targeted == ({"batch": "P2", "counted": "no", "differs": ""},)
    # the boards find P2 as the copy says (50 of c_one's votes are c_two's): a tie, 500 to 500
    found = {"P1": (350, 200, 40, 10), "P2": (150, 300, 40, 10)}
    assert _count(ctx, code, {b: found[b] for b in drawn.to_count}) == "escalate"
    (measured,) = _events(ctx, code, "round")
    assert measured["targeted"] == [{"batch": "P2", "differs": "yes"}]
    assert measured["overturning"] == ["c_one>c_two"]
    (finish,) = _events(ctx, code, "finish")
    assert (finish["outcome"], finish["scopes"], finish["batches"]) == ("full_hand_count", ["E1"], ["P1", "P2"])
    assert "c_one>c_two" in finish["assertions"]

    client = TestClient(create_app(ctx))
    facts = client.get(f"/events/{code}/audit.json").json()
    shown = {b["batch"]: b for b in facts["rounds"][0]["batches"]}
    assert shown["P2"]["discrepancy"] == {"c_one": -50, "c_two": 50}
    for lang in ("kk", "ru", "en"):  # the escalation on the public page, in each language
        page = client.get(f"/events/{code}/audit?lang={lang}").text
        assert 'data-outcome="full_hand_count"' in page
        assert "E1 (2 " in page
    written = report(ctx, code, tmp_path / "report")
    text = written["copies.json"].read_text(encoding="utf-8")
    assert hashlib.sha256(text.encode()).hexdigest() == draw["copies_sha256"]
    assert [c["precinct"] for c in json.loads(text)["copies"]] == ["P2", "P1"]


LIST = ("amanat", "auyl", "respublica", "against_all")
GOOD_LIST = {"P1": (400, 100, 60, 30, 10), "P2": (300, 120, 50, 20, 10), "P3": (450, 90, 100, 40, 20),
             "P4": (40, 5, 10, 5, 0)}  # fmt: skip
MISSES_P4 = "27182818284590452353"  # a seed whose 81 draws of the party list miss P4


def test_a_targeted_batch_the_draw_missed_is_shown_beside_the_draws(final: tuple[Context, str]) -> None:
    ctx, code = final
    _copy(ctx, code, "P4", "list", {"amanat": 39, "auyl": 6})  # the embassy: a small batch, rarely drawn
    plan_audit(ctx, code, contest="list", factor=LOCAL_CLI)
    publish_manifest(ctx, code, factor=LOCAL_CLI)
    for member in ("member-1", "member-2"):
        enter_seed(ctx, code, MISSES_P4, member, factor=LOCAL_CLI)
    drawn = draw_round(ctx, code, factor=LOCAL_CLI)
    (draw,) = _events(ctx, code, "draw")
    assert draw["targeted"] == ["P4"]
    assert "P4" not in draw["draws"]
    assert "P4" in drawn.to_count
    lines = [
        "batch," + ",".join(LIST) + ",invalid",
        *(f"{b}," + ",".join(map(str, GOOD_LIST[b])) for b in drawn.to_count),
    ]
    data = ("\n".join(lines) + "\n").encode()
    for who in ("counter-a", "counter-b"):
        decision = enter_counts(as_operator(ctx, who), code, data, "hand.csv", who, factor=LOCAL_CLI).decision
    assert decision == "confirmed"  # the boards find the protocol's figures: the copy was wrong
    (measured,) = _events(ctx, code, "round")
    assert measured["targeted"] == [{"batch": "P4", "differs": "no"}]
    assert measured["overturning"] == []
    client = TestClient(create_app(ctx))
    first = client.get(f"/events/{code}/audit.json").json()["rounds"][0]
    assert [b["batch"] for b in first["targeted"]] == ["P4"]
    assert (first["targeted"][0]["drawn"], first["targeted"][0]["discrepancy"]) == (0, {})
    page = client.get(f"/events/{code}/audit?lang=ru").text
    assert 'data-batch="P4" data-state="accepted" data-targeted>' in page
    assert "целевой: копия протокола у наблюдателя расходится" in page
