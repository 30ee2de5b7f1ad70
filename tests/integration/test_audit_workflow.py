"""The audit as a workflow on the small referendum (tests/elections/small), SQLite and PostgreSQL: plan,
manifest, seed under double entry, draws reproducible from seed + manifest, blind double entry of hand
counts, rounds, escalation, and the record's hash chain (spec/audit.md §11-§14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.elections import SMALL, as_operator, load, protocols_csv

from saylau.audit import Manifest, Seed, draw_pps, macro_plan, macro_risk
from saylau.model import Conflict, InputError, LifecycleError, Phase
from saylau.record.encoding import event_hash, payload_hash
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.audit.counting import enter_counts
from saylau.services.audit.reading import report, status
from saylau.services.audit.reported import parse_manifest, sha256
from saylau.services.audit.workflow import draw_round, enter_seed, plan_audit, publish_manifest
from saylau.services.context import Context
from saylau.services.paper.lifecycle import advance

SEED = "12345678901234567890"
# reported P3: yes 300, no 560, invalid 10, not counted 10 (the tight unit R2: the hardest assertion)
REPORTED = {"P1": (500, 150, 20, 20), "P2": (400, 180, 10, 10), "P3": (300, 560, 10, 10), "P4": (150, 40, 5, 5),
            "P5": (90, 10, 0, 0)}  # fmt: skip


def _final(ctx: Context) -> str:
    code = load(ctx, SMALL, operators=("alice", "bob"))
    advance(ctx, code, Phase.PROVISIONAL, LOCAL_CLI)
    advance(ctx, code, Phase.FINAL, LOCAL_CLI)
    return code


def _to_draw(ctx: Context, code: str) -> None:
    plan_audit(ctx, code, factor=LOCAL_CLI)
    publish_manifest(ctx, code, factor=LOCAL_CLI)
    enter_seed(ctx, code, SEED, "member-1", factor=LOCAL_CLI)
    enter_seed(ctx, code, SEED, "member-2", factor=LOCAL_CLI)


def _csv(counts: dict[str, tuple[int, int, int, int]]) -> bytes:
    lines = ["batch,yes,no,invalid,not_counted", *(f"{b},{y},{n},{i},{c}" for b, (y, n, i, c) in counts.items())]
    return ("\n".join(lines) + "\n").encode()


def _count(ctx: Context, code: str, counts: dict[str, tuple[int, int, int, int]]) -> str | None:
    enter_counts(as_operator(ctx, "counter-a"), code, _csv(counts), "hand.csv", "counter-a", factor=LOCAL_CLI)
    return enter_counts(
        as_operator(ctx, "counter-b"), code, _csv(counts), "hand.csv", "counter-b", factor=LOCAL_CLI
    ).decision


def test_an_audit_without_discrepancies_confirms_the_outcome(ctx: Context, tmp_path: Path) -> None:
    code = _final(ctx)
    _to_draw(ctx, code)
    drawn = draw_round(ctx, code, factor=LOCAL_CLI)
    assert drawn.round == 1
    assert drawn.to_count == ("P3",)  # every MACRO weight is R2's (its one precinct)
    assert _count(ctx, code, {b: REPORTED[b] for b in drawn.to_count}) == "confirmed"
    st = status(ctx, code)
    assert st.finish is not None
    assert st.finish["outcome"] == "confirmed"
    assert st.chain_ok
    assert all(r["confirmed"] == "yes" and float(r["risk"]) <= 0.05 for r in st.risks)
    files = report(ctx, code, tmp_path / "report")
    lines = [json.loads(x) for x in files["record.jsonl"].read_text().splitlines()]
    assert [e["type"] for e in lines] == ["plan", "manifest", "seed", "draw", "entry", "round", "finish"]
    parent = ""
    for height, e in enumerate(lines):  # the chain links, recomputed from the exported file
        text = json.dumps(e["payload"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert e["payload_hash"] == payload_hash(e["type"], text)
        assert (e["parent"], e["height"]) == (parent, height)
        assert e["hash"] == event_hash(parent, height, e["type"], e["payload_hash"])
        parent = e["hash"]
    manifest_text = files["manifest.json"].read_text()
    assert lines[1]["payload"]["sha256"] == sha256(manifest_text)
    assert lines[0]["payload"]["plan_sha256"] == sha256(files["plan.json"].read_text())


def test_the_draw_is_reproducible_from_the_seed_and_the_manifest(ctx: Context) -> None:
    code = _final(ctx)
    _to_draw(ctx, code)
    drawn = draw_round(ctx, code, factor=LOCAL_CLI)
    with ctx.store.transaction() as tx:
        from saylau.services.audit.state import load as load_audit  # noqa: PLC0415  # the test reads the store

        loaded = load_audit(tx, code)
    published, plan = loaded.require_published()
    again = Manifest.of(list(published.manifest.batches))
    weights = macro_plan(again, plan.assertions).weights
    ids = [b.id for b in again.batches]
    assert drawn.draws.batches == draw_pps(Seed(SEED), ids, weights, len(drawn.draws.batches))
    assert len(drawn.draws.batches) > 1


def test_an_overstatement_asks_for_a_second_round(ctx: Context) -> None:
    code = _final(ctx)
    _to_draw(ctx, code)
    drawn = draw_round(ctx, code, factor=LOCAL_CLI)
    found = {"P3": (330, 530, 10, 10)}  # 30 ballots reported No were Yes: the reported margin overstated
    assert _count(ctx, code, found) == "next_round"
    st = status(ctx, code)
    assert st.finish is None
    assert any(r["confirmed"] == "no" for r in st.risks)
    second = draw_round(ctx, code, factor=LOCAL_CLI)
    assert second.round == 2
    assert second.draws.first == len(drawn.draws.batches) + 1
    # P3 is already counted: round 2 draws it again and is measured at once, with the larger sample
    assert second.to_count == ()
    assert second.decision in {"confirmed", "next_round"}
    with ctx.store.transaction() as tx:
        from saylau.services.audit.state import load as load_audit  # noqa: PLC0415

        loaded = load_audit(tx, code)
    published, plan = loaded.require_published()
    m = macro_plan(published.manifest, plan.assertions)
    draws = [b for r in loaded.state.rounds for b in r.batches]
    from saylau.audit import BallotCounts  # noqa: PLC0415

    risk = macro_risk(m, draws, {"P3": BallotCounts(*found["P3"])}, plan.risk_limit)
    assert float(loaded.state.measured[-1]["risks"][0]["risk"]) == risk.measurements[0].risk


def test_hand_counts_that_flip_the_outcome_escalate_to_a_full_hand_count(ctx: Context) -> None:
    code = _final(ctx)
    _to_draw(ctx, code)
    draw_round(ctx, code, factor=LOCAL_CLI)
    assert _count(ctx, code, {"P3": (500, 360, 10, 10)}) == "escalate"  # Yes wins R2 on paper
    st = status(ctx, code)
    assert st.finish is not None
    assert st.finish["outcome"] == "full_hand_count"
    assert st.finish["scopes"] == ["R2"]
    assert st.finish["batches"] == ["P3"]  # confined to the failing unit
    with pytest.raises(Conflict) as err:
        draw_round(ctx, code, factor=LOCAL_CLI)
    assert err.value.code == "audit_finished"


def test_the_seed_needs_two_equal_entries_by_two_members(ctx: Context) -> None:
    code = _final(ctx)
    plan_audit(ctx, code, factor=LOCAL_CLI)
    with pytest.raises(LifecycleError) as early:
        enter_seed(ctx, code, SEED, "member-1", factor=LOCAL_CLI)  # the manifest comes first
    assert early.value.code == "audit_step"
    publish_manifest(ctx, code, factor=LOCAL_CLI)
    assert enter_seed(ctx, code, SEED, "member-1", factor=LOCAL_CLI).entries == 1
    with pytest.raises(Conflict) as same:
        enter_seed(ctx, code, SEED, "member-1", factor=LOCAL_CLI)
    assert same.value.code == "seed_same_operator"
    with pytest.raises(Conflict) as mismatch:
        enter_seed(ctx, code, "12345678901234567899", "member-2", factor=LOCAL_CLI)
    assert mismatch.value.code == "seed_mismatch"
    assert status(ctx, code).step == "manifest"  # nothing entered
    assert enter_seed(ctx, code, SEED, "member-2", factor=LOCAL_CLI).entries == 2
    assert status(ctx, code).step == "seed"


def test_a_mismatch_of_hand_counts_needs_a_third_entry(ctx: Context) -> None:
    code = _final(ctx)
    _to_draw(ctx, code)
    draw_round(ctx, code, factor=LOCAL_CLI)
    a = enter_counts(as_operator(ctx, "a"), code, _csv({"P3": REPORTED["P3"]}), "a.csv", "a", factor=LOCAL_CLI)
    assert a.outcomes[0].decision == "awaiting_second"
    b = enter_counts(as_operator(ctx, "b"), code, _csv({"P3": (301, 559, 10, 10)}), "b.csv", "b", factor=LOCAL_CLI)
    assert b.outcomes[0].decision == "mismatch"
    assert {d.field for d in b.outcomes[0].differences} == {"yes", "no"}
    assert status(ctx, code).mismatches == ("P3",)
    c = enter_counts(as_operator(ctx, "c"), code, _csv({"P3": REPORTED["P3"]}), "c.csv", "c", factor=LOCAL_CLI)
    assert c.outcomes[0].decision == "agreed"
    assert c.decision == "confirmed"


def test_an_audit_is_planned_only_on_final_results(ctx: Context) -> None:
    code = load(ctx, SMALL, operators=("alice", "bob"))
    with pytest.raises(LifecycleError) as err:
        plan_audit(ctx, code, factor=LOCAL_CLI)
    assert err.value.code == "audit_phase"


def test_the_plan_is_rebuilt_from_the_manifest_alone(ctx: Context) -> None:
    code = _final(ctx)
    plan_audit(ctx, code, factor=LOCAL_CLI)
    text, digest = publish_manifest(ctx, code, factor=LOCAL_CLI)
    assert digest == sha256(text)
    published = parse_manifest(text)
    assert [f.batch for f in published.figures] == sorted(REPORTED)
    figures = {f.batch: (f.counts.yes, f.counts.no, f.counts.invalid, f.counts.not_counted) for f in published.figures}
    assert figures == REPORTED


def test_a_correction_between_plan_and_manifest_is_refused(ctx: Context) -> None:
    from tests.integration.small import GOOD  # noqa: PLC0415

    from saylau.services.paper.protocols import enter_file  # noqa: PLC0415

    code = _final(ctx)
    plan_audit(ctx, code, factor=LOCAL_CLI)
    fixed = list(GOOD["P3"])
    fixed[5] += 200  # yes
    fixed[6] -= 200  # no: R2 now has a Yes majority, the outcome the plan was made for changes
    data = protocols_csv({"P3": tuple(fixed)}, "recount ordered by the commission")
    for who in ("alice", "bob"):
        enter_file(as_operator(ctx, who), code, data, "fix.csv", "csv", factor=LOCAL_CLI)
    with pytest.raises(Conflict) as err:
        publish_manifest(ctx, code, factor=LOCAL_CLI)
    assert err.value.code == "results_changed"
    assert status(ctx, code).step == "plan"


def test_names_are_bounded(ctx: Context) -> None:
    code = _final(ctx)
    _to_draw(ctx, code)
    draw_round(ctx, code, factor=LOCAL_CLI)
    with pytest.raises(InputError):
        enter_counts(ctx, code, _csv({"P3": REPORTED["P3"]}), "a.csv", "x" * 129, factor=LOCAL_CLI)
    with pytest.raises(InputError):
        enter_seed(ctx, code, SEED, " ", factor=LOCAL_CLI)
