"""The full hand count after an escalation (spec/audit.md §13b) and two plans at once, on SQLite and
PostgreSQL: every batch of the escalated scope is hand counted again under blind double entry; when the
last is accepted the record gets the ``hand_count`` event, whose outcome (the reported one stands, or is
overturned) is rebuilt from the hand counts for the scope and the reported figures elsewhere; the results
themselves are not changed. Two concurrent ``plan``s give one audit and a clean ``audit_exists``."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from tests.elections import SMALL, as_operator, load

from saylau.model import Conflict, Phase
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.audit.counting import enter_counts
from saylau.services.audit.reading import status, status_json
from saylau.services.audit.reported import figures_of
from saylau.services.audit.state import load as load_audit
from saylau.services.audit.workflow import draw_round, enter_seed, plan_audit, publish_manifest
from saylau.services.context import Context
from saylau.services.lookup import load_event, require_territory
from saylau.services.paper.lifecycle import advance
from saylau.store.audit_repo import AuditTx

SEED = "12345678901234567890"
P3 = (300, 560, 10, 10)  # reported: No ahead in R2, the unit the reported rejection rests on
FLIPPED = (500, 360, 10, 10)  # on paper, Yes ahead in R2


def _escalated(ctx: Context) -> None:
    load(ctx, SMALL, operators=("alice", "bob"))
    advance(ctx, "small", Phase.PROVISIONAL, LOCAL_CLI)
    advance(ctx, "small", Phase.FINAL, LOCAL_CLI)
    plan_audit(ctx, "small", factor=LOCAL_CLI)
    publish_manifest(ctx, "small", factor=LOCAL_CLI)
    enter_seed(ctx, "small", SEED, "member-1", factor=LOCAL_CLI)
    enter_seed(ctx, "small", SEED, "member-2", factor=LOCAL_CLI)
    draw_round(ctx, "small", factor=LOCAL_CLI)
    assert _count(ctx, {"P3": FLIPPED}) == "escalate"


def _count(ctx: Context, counts: dict[str, tuple[int, int, int, int]], ops: tuple[str, str] = ("c-a", "c-b")) -> Any:
    lines = ["batch,yes,no,invalid,not_counted", *(f"{b},{y},{n},{i},{c}" for b, (y, n, i, c) in counts.items())]
    data = ("\n".join(lines) + "\n").encode()
    enter_counts(as_operator(ctx, ops[0]), "small", data, "hand.csv", ops[0], factor=LOCAL_CLI)
    return enter_counts(as_operator(ctx, ops[1]), "small", data, "hand.csv", ops[1], factor=LOCAL_CLI).decision


def _record(ctx: Context) -> list[tuple[str, dict[str, Any]]]:
    with ctx.store.transaction() as tx:
        rows = load_audit(tx, "small").state.record
    return [(r.type, json.loads(r.payload)) for r in rows]


def _reported(ctx: Context) -> dict[str, tuple[int, ...]]:
    with ctx.store.transaction() as tx:
        row = load_event(tx, "small")
        figures = figures_of(tx, row, require_territory(tx, row), "q1")
    return {f.batch: (f.counts.yes, f.counts.no, f.counts.invalid, f.counts.not_counted) for f in figures}


@pytest.mark.parametrize(
    ("paper", "outcome", "holds"), [(P3, "stands", "yes"), (FLIPPED, "overturned", "no")], ids=["stands", "overturned"]
)
def test_the_full_hand_count_gives_the_final_event(
    ctx: Context, paper: tuple[int, int, int, int], outcome: str, holds: str
) -> None:
    _escalated(ctx)
    before = _reported(ctx)
    st = status(ctx, "small")
    assert st.waiting == ("P3",)  # counted in round 1, counted again in full
    assert "full hand count of R2" in st.missing
    assert _count(ctx, {"P3": paper}) == outcome
    record = _record(ctx)
    assert [t for t, _ in record[-4:]] == ["round", "finish", "entry", "hand_count"]
    entry, final = record[-2][1], record[-1][1]
    assert entry["round"] == 2  # the last round + 1
    assert entry["batch"] == "P3"
    assert final["scopes"] == ["R2"]
    yes, no, invalid, not_counted = paper
    assert final["tally"] == [{"scope": "R2", "yes": yes, "no": no, "invalid": invalid, "not_counted": not_counted}]
    with ctx.store.transaction() as tx:
        plan = load_audit(tx, "small").plan
    assert plan is not None
    assert [a["assertion"] for a in final["assertions"]] == [a.id for a in plan.assertions]
    r2 = next(a for a in plan.assertions if a.unit == "R2")
    assert {"assertion": r2.id, "holds": holds} in final["assertions"]
    assert final["outcome"] == outcome
    assert _reported(ctx) == before  # a finding for the commission: the count itself is not changed
    got = status_json(status(ctx, "small"))
    assert got["hand_count"] == final
    assert got["waiting"] == []
    with pytest.raises(Conflict) as err:
        _count(ctx, {"P3": paper}, ("c-c", "c-d"))
    assert err.value.code == "audit_finished"


def test_the_full_hand_count_takes_only_the_scope_and_double_entry(ctx: Context) -> None:
    _escalated(ctx)
    with pytest.raises(Conflict) as err:
        _count(ctx, {"P1": (500, 150, 20, 20)})
    assert err.value.code == "batch_not_open"
    data = b"batch,yes,no,invalid,not_counted\nP3,300,560,10,10\n"
    enter_counts(as_operator(ctx, "c-a"), "small", data, "hand.csv", "c-a", factor=LOCAL_CLI)
    mismatch = b"batch,yes,no,invalid,not_counted\nP3,301,559,10,10\n"
    report = enter_counts(as_operator(ctx, "c-b"), "small", mismatch, "hand.csv", "c-b", factor=LOCAL_CLI)
    assert report.outcomes[0].decision == "mismatch"
    assert report.decision is None
    assert status(ctx, "small").mismatches == ("P3",)
    assert (
        enter_counts(as_operator(ctx, "c-c"), "small", data, "hand.csv", "c-c", factor=LOCAL_CLI).decision == "stands"
    )


def test_two_plans_at_once_give_one_audit_and_audit_exists(ctx: Context) -> None:
    # PostgreSQL: both planners are held until each has looked and seen no audit, so both insert (the race);
    # SQLite serialises writers before they read, so there the second simply finds the first's audit.
    racing = ctx.store.engine.dialect.name != "sqlite"
    load(ctx, SMALL, operators=("alice", "bob"))
    advance(ctx, "small", Phase.PROVISIONAL, LOCAL_CLI)
    advance(ctx, "small", Phase.FINAL, LOCAL_CLI)
    both_looked = threading.Barrier(2, timeout=20)
    find = AuditTx.find

    def find_then_wait(self: AuditTx, event_id: int, *, lock: bool = False) -> Any:
        found = find(self, event_id, lock=lock)
        if racing and lock and threading.current_thread() is not threading.main_thread():
            both_looked.wait()  # both planners have seen no audit before either inserts
        return found

    errors: list[BaseException] = []

    def plan() -> None:
        try:
            plan_audit(ctx, "small", factor=LOCAL_CLI)
        except BaseException as exc:  # collected for the main thread
            errors.append(exc)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(AuditTx, "find", find_then_wait)
        threads = [threading.Thread(target=plan) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert len(errors) == 1, errors
    (err,) = errors
    assert isinstance(err, Conflict)
    assert err.code == "audit_exists"
    assert [t for t, _ in _record(ctx)] == ["plan"]
