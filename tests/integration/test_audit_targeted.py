"""Targeted batches (spec/audit.md §13a) on SQLite and PostgreSQL: a precinct where an observer's copy
differs from the official protocol is recorded in round 1's draw, hand counted beside the random draw and
reported in the round and the status, but never part of the measured risk; a targeted hand count that
contradicts the reported outcome escalates its scope."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pyotp
import pytest
from tests.elections import FIELDS, SMALL, as_operator, load
from tests.integration.small import GOOD

from saylau.audit import BallotCounts, Manifest, macro_plan, macro_risk
from saylau.model import Phase, QuestionCode
from saylau.services.access.accounts import Role, create_account
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.audit.counting import enter_counts
from saylau.services.audit.parallel import observer_account, submit_copy
from saylau.services.audit.reading import _plan_as_recorded, report, status, status_json
from saylau.services.audit.reported import figures_of, plan_of, plan_text, recorded_plan_text
from saylau.services.audit.state import load as load_audit
from saylau.services.audit.workflow import draw_round, enter_seed, plan_audit, publish_manifest
from saylau.services.context import Context
from saylau.services.paper.lifecycle import advance
from saylau.services.secret_key import SecretKey
from saylau.services.settings import DeploymentSettings

SEED = "12345678901234567890"
REPORTED = {"P1": (500, 150, 20, 20), "P2": (400, 180, 10, 10), "P3": (300, 560, 10, 10), "P4": (150, 40, 5, 5),
            "P5": (90, 10, 0, 0)}  # fmt: skip
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


@pytest.fixture
def final(ctx: Context) -> Context:
    ctx = dataclasses.replace(ctx, settings=DeploymentSettings(secret_key=SecretKey(bytes(range(32)))))
    load(ctx, SMALL, operators=("alice", "bob"))
    create_account(ctx, "obs", Role.OBSERVER, "correct horse battery staple 42", [], pyotp.random_base32())
    advance(ctx, "small", Phase.PROVISIONAL, LOCAL_CLI)
    advance(ctx, "small", Phase.FINAL, LOCAL_CLI)
    return ctx


def _copy(ctx: Context, precinct: str, yes: int, no: int) -> None:
    values = dict(zip(FIELDS, GOOD[precinct], strict=True)) | {"yes": yes, "no": no}
    submit_copy(ctx, "small", precinct, {QuestionCode("q1"): values}, PNG, observer_account(ctx, "obs"))


def _to_draw(ctx: Context) -> None:
    plan_audit(ctx, "small", factor=LOCAL_CLI)
    publish_manifest(ctx, "small", factor=LOCAL_CLI)
    enter_seed(ctx, "small", SEED, "member-1", factor=LOCAL_CLI)
    enter_seed(ctx, "small", SEED, "member-2", factor=LOCAL_CLI)


def _count(ctx: Context, counts: dict[str, tuple[int, int, int, int]]) -> str | None:
    lines = ["batch,yes,no,invalid,not_counted", *(f"{b},{y},{n},{i},{c}" for b, (y, n, i, c) in counts.items())]
    data = ("\n".join(lines) + "\n").encode()
    enter_counts(as_operator(ctx, "counter-a"), "small", data, "hand.csv", "counter-a", factor=LOCAL_CLI)
    return enter_counts(
        as_operator(ctx, "counter-b"), "small", data, "hand.csv", "counter-b", factor=LOCAL_CLI
    ).decision


def _events(ctx: Context, kind: str) -> list[dict[str, object]]:
    with ctx.store.transaction() as tx:
        rows = load_audit(tx, "small").state.record
    return [json.loads(r.payload) for r in rows if r.type == kind]


def _sample_risks(ctx: Context, draws: list[str], hand: dict[str, tuple[int, int, int, int]]) -> list[str]:
    """The risks of the random draws alone (macro_risk over the draws and their hand counts)."""
    with ctx.store.transaction() as tx:
        loaded = load_audit(tx, "small")
    published, plan = loaded.require_published()
    manifest: Manifest = published.manifest
    m = macro_risk(macro_plan(manifest, plan.assertions), draws, {b: BallotCounts(*hand[b]) for b in set(draws)},
                   plan.risk_limit)  # fmt: skip
    return [repr(x.risk) for x in m.measurements]


def test_a_differing_copy_makes_its_precinct_a_targeted_batch(final: Context) -> None:
    _copy(final, "P2", 380, 200)  # the copy says 380/200; the protocol 400/180
    _copy(final, "P1", *REPORTED["P1"][:2])  # an equal copy targets nothing
    _to_draw(final)
    drawn = draw_round(final, "small", factor=LOCAL_CLI)
    assert drawn.draws.batches == ("P3",) * len(drawn.draws.batches)  # the random draw: R2's one precinct
    assert drawn.to_count == ("P2", "P3")  # the targeted batch is counted beside it
    (draw,) = _events(final, "draw")
    assert draw["targeted"] == ["P2"]
    st = status(final, "small")
    assert st.targeted == ({"batch": "P2", "counted": "no", "differs": ""},)
    assert "P2" in st.waiting
    assert _count(final, {"P3": REPORTED["P3"]}) is None  # the round waits for the targeted batch too
    assert _count(final, {"P2": REPORTED["P2"]}) == "confirmed"  # the hand count agrees with the protocol
    (measured,) = _events(final, "round")
    assert measured["targeted"] == [{"batch": "P2", "differs": "no"}]
    assert measured["overturning"] == []
    assert [e["batch"] for e in _events(final, "entry")] == ["P3", "P2"]
    got = status_json(status(final, "small"))
    assert got["targeted"] == [{"batch": "P2", "counted": "yes", "differs": "no"}]
    assert [r["risk"] for r in measured["risks"]] == _sample_risks(final, list(drawn.draws.batches), REPORTED)  # type: ignore[index]


@pytest.mark.parametrize(
    "p2", [(400, 180, 10, 10), (380, 200, 10, 10), (600, 0, 0, 0)], ids=["as reported", "differs", "more yes"]
)
def test_targeted_hand_counts_never_lower_the_measured_risk(final: Context, p2: tuple[int, int, int, int]) -> None:
    _copy(final, "P2", 380, 200)
    _to_draw(final)
    drawn = draw_round(final, "small", factor=LOCAL_CLI)
    overstated = (330, 530, 10, 10)  # the random sample finds an overstatement: not confirmed in round 1
    decision = _count(final, {"P3": overstated, "P2": p2})
    assert decision == "next_round"  # a targeted batch with more Yes never confirms the outcome
    (measured,) = _events(final, "round")
    hand = REPORTED | {"P3": overstated}
    assert [r["risk"] for r in measured["risks"]] == _sample_risks(final, list(drawn.draws.batches), hand)  # type: ignore[index]
    differs = "no" if p2 == REPORTED["P2"] else "yes"
    assert measured["targeted"] == [{"batch": "P2", "differs": differs}]


ADOPTED = SMALL.protocols.replace(b"P3,q1,1200,1200,900,300,880,300,560,", b"P3,q1,1200,1200,900,300,880,560,300,")


@pytest.fixture
def adopted(ctx: Context) -> Context:
    """The small referendum with Yes ahead in R2 as well: adopted, resting on both regions."""
    ctx = dataclasses.replace(ctx, settings=DeploymentSettings(secret_key=SecretKey(bytes(range(32)))))
    load(ctx, SMALL, operators=("alice", "bob"), protocols=ADOPTED)
    create_account(ctx, "obs", Role.OBSERVER, "correct horse battery staple 42", [], pyotp.random_base32())
    advance(ctx, "small", Phase.PROVISIONAL, LOCAL_CLI)
    advance(ctx, "small", Phase.FINAL, LOCAL_CLI)
    return ctx


def test_a_targeted_hand_count_that_overturns_a_unit_escalates(adopted: Context) -> None:
    _copy(adopted, "P2", 10, 570)
    _to_draw(adopted)
    drawn = draw_round(adopted, "small", factor=LOCAL_CLI)
    assert "P2" in drawn.to_count
    reported = REPORTED | {"P3": (560, 300, 10, 10)}
    # the drawn batches as reported, but P2's paper says No: R1 (P1 500/150 + P2 10/570) no longer has Yes
    counts = {b: reported[b] for b in drawn.to_count} | {"P2": (10, 570, 10, 10)}
    assert _count(adopted, counts) == "escalate"
    (measured,) = _events(adopted, "round")
    (finish,) = _events(adopted, "finish")
    assert measured["overturning"]
    assert set(measured["overturning"]) <= set(finish["assertions"])  # type: ignore[arg-type]
    assert finish["outcome"] == "full_hand_count"
    assert "R1" in finish["scopes"] or "nation" in finish["scopes"]  # type: ignore[operator]
    assert {"P1", "P2"} <= set(finish["batches"])  # type: ignore[arg-type]
    assert status(adopted, "small").overturning == tuple(measured["overturning"])  # type: ignore[arg-type]


def test_a_targeted_discrepancy_the_outcome_absorbs_is_reported_only(adopted: Context) -> None:
    _copy(adopted, "P2", 380, 200)
    _to_draw(adopted)
    drawn = draw_round(adopted, "small", factor=LOCAL_CLI)
    reported = REPORTED | {"P3": (560, 300, 10, 10)}
    counts = {b: reported[b] for b in drawn.to_count} | {"P2": (380, 200, 10, 10)}
    decision = _count(adopted, counts)
    (measured,) = _events(adopted, "round")
    assert measured["overturning"] == []
    assert {"batch": "P2", "differs": "yes"} in measured["targeted"]  # type: ignore[operator]
    # the risks are the random draws' (P2 counts only where the random draw drew it, as any drawn batch)
    hand = reported | {"P2": (380, 200, 10, 10)}
    assert [r["risk"] for r in measured["risks"]] == _sample_risks(adopted, list(drawn.draws.batches), hand)  # type: ignore[index]
    confirmed = all(r["confirmed"] == "yes" for r in measured["risks"])  # type: ignore[index]
    assert decision == "confirmed" if confirmed else decision in {"next_round", "escalate"}


def test_the_report_holds_the_copies_round_1_was_targeted_from(final: Context, tmp_path: Path) -> None:
    """spec/audit.md §13a, §14: copies.json of the copies there were at round 1's draw (a later copy is not in
    it), hashed in that draw; each copy's kind of submitter, never the observer's name."""
    _copy(final, "P2", 380, 200)
    _to_draw(final)
    draw_round(final, "small", factor=LOCAL_CLI)
    _copy(final, "P4", 1, 2)  # after the draw: not what the targeted set came from
    written = report(final, "small", tmp_path / "report")
    text = written["copies.json"].read_text(encoding="utf-8")
    (draw,) = _events(final, "draw")
    assert draw["copies"] == 1
    assert draw["copies_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    document = json.loads(text)
    assert [(c["precinct"], c["submitter"]) for c in document["copies"]] == [("P2", "observer")]
    assert document["copies"][0]["figures"]["q1"]["yes"] == 380
    assert [(o["precinct"], o["figures"]["q1"]["yes"]) for o in document["official"]] == [("P2", 400)]
    assert '"obs"' not in text
    assert sorted(p.name for p in (tmp_path / "report").iterdir()) == [
        "copies.json", "manifest.json", "plan.json", "record.jsonl"
    ]  # fmt: skip


def test_an_audit_planned_before_the_law_key_reports_the_plan_it_recorded(final: Context) -> None:
    """spec/audit.md §10: plan.json of an audit whose plan event took the SHA-256 of the plan without ``law``
    is that text (its assertions are the same); a plan recorded with it keeps it."""
    _to_draw(final)
    with final.store.transaction() as tx:
        loaded = load_audit(tx, "small")
    assert loaded.plan is not None
    assert '"law":' in _plan_as_recorded(loaded)
    older = plan_text(dataclasses.replace(loaded.plan, law=None))
    loaded.state.plan_sha256 = hashlib.sha256(older.encode()).hexdigest()
    assert _plan_as_recorded(loaded) == older
    assert '"law":' not in older


def test_the_manifest_step_takes_the_plan_text_the_record_hashed(final: Context) -> None:
    """The manifest step compares the rebuilt plan with the recorded plan_sha256 by ``recorded_plan_text``,
    so an audit planned before plan.json carried ``law`` can still publish its manifest; a changed plan is
    no text the record hashed (results_changed)."""
    plan_audit(final, "small", factor=LOCAL_CLI)
    with final.store.transaction() as tx:
        loaded = load_audit(tx, "small")
        figures = figures_of(tx, loaded.row, loaded.territory, loaded.audit.question)
    plan = plan_of(loaded.row, loaded.territory, loaded.audit.question, figures, loaded.risk_limit)
    today = plan_text(plan)
    older = plan_text(dataclasses.replace(plan, law=None))
    assert hashlib.sha256(today.encode()).hexdigest() == loaded.state.plan_sha256
    assert recorded_plan_text(plan, loaded.state.plan_sha256) == today
    assert recorded_plan_text(plan, hashlib.sha256(older.encode()).hexdigest()) == older
    assert recorded_plan_text(plan, hashlib.sha256(b"another plan").hexdigest()) is None
    assert recorded_plan_text(plan, None) is None
    publish_manifest(final, "small", factor=LOCAL_CLI)  # the plan recorded today: its own text
