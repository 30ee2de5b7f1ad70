"""Ballot-level comparison (spec/audit.md §18) as a workflow on the small referendum, SQLite and PostgreSQL:
a precinct's cast-vote records checked against its protocol and hashed into the manifest, ballots drawn
as for polling, each drawn ballot read by two operators, the risk recomputed with the pure core (ALPHA
against the CVR, or the batch's ONE CVR, with the estimator the manifest event fixed)."""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction

import pytest
from tests.elections import SMALL, as_operator, load

from saylau.audit import BallotCounts, Category, oneaudit_risk, shrinkage
from saylau.audit.alpha import COMPARISON_D
from saylau.audit.oneaudit import Cvr
from saylau.model import Conflict, InputError, LifecycleError, Phase
from saylau.publish.static_site import audit_data
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.audit.counting import enter_counts
from saylau.services.audit.cvr import enter_cvr
from saylau.services.audit.reading import audit_view, public_json, status
from saylau.services.audit.release import published_audit
from saylau.services.audit.state import load as load_audit
from saylau.services.audit.workflow import draw_round, enter_seed, plan_audit, publish_manifest
from saylau.services.context import Context
from saylau.services.paper.lifecycle import advance

SEED = "31415926535897932384"
ORDER: tuple[Category, ...] = ("yes", "no", "invalid", "not_counted")


def _ballots(counts: BallotCounts) -> list[Category]:
    """The ballots of a batch, in a fixed interleaved order (what its CVRs say, ballot by ballot)."""
    left = {c: counts.get(c) for c in ORDER}
    out: list[Category] = []
    while any(left.values()):
        for c in ORDER:
            if left[c]:
                out.append(c)
                left[c] -= 1
    return out


def _cvr_file(ballots: list[Category]) -> bytes:
    return ("position,reading\r\n" + "".join(f"{i},{c}\r\n" for i, c in enumerate(ballots, 1))).encode()


def _reported(ctx: Context, code: str) -> dict[str, BallotCounts]:
    with ctx.store.transaction() as tx:
        loaded = load_audit(tx, code)
        from saylau.services.audit.reported import figures_of  # noqa: PLC0415

        return {f.batch: f.counts for f in figures_of(tx, loaded.row, loaded.territory, loaded.audit.question)}


@pytest.fixture
def planned(ctx: Context) -> str:
    code = load(ctx, SMALL, operators=("alice", "bob"))
    advance(ctx, code, Phase.PROVISIONAL, LOCAL_CLI)
    advance(ctx, code, Phase.FINAL, LOCAL_CLI)
    plan_audit(ctx, code, method="comparison", factor=LOCAL_CLI)
    return code


def test_cvrs_that_disagree_with_the_protocol_are_refused(ctx: Context, planned: str) -> None:
    reported = _reported(ctx, planned)
    batch = sorted(reported)[0]
    ballots = _ballots(reported[batch])
    wrong = ["no" if c == "yes" else c for c in ballots[:1]] + ballots[1:]
    with pytest.raises(InputError) as err:
        enter_cvr(ctx, planned, batch, _cvr_file(wrong), "p.csv", factor=LOCAL_CLI)
    rules = {p.rule for p in err.value.problems}
    assert rules == {"totals"}
    assert all(p.file == "p.csv" for p in err.value.problems)
    with pytest.raises(InputError) as err:
        enter_cvr(ctx, planned, batch, _cvr_file(ballots[:-1]), "p.csv", factor=LOCAL_CLI)
    assert {p.rule for p in err.value.problems} == {"count"}
    twice = _cvr_file(ballots).replace(b"\r\n2,", b"\r\n1,", 1).replace(b"\r\n3,", b"\r\n3,maybe", 1)
    with pytest.raises(InputError) as err:  # position 1 twice (2 missing), an unknown reading
        enter_cvr(ctx, planned, batch, twice, "p.csv", factor=LOCAL_CLI)
    found = {(p.rule, p.line, p.field) for p in err.value.problems}
    assert ("duplicate_position", 3, "position") in found
    assert ("reading", 4, "reading") in found
    with pytest.raises(InputError) as err:
        enter_cvr(ctx, planned, "NOPE", _cvr_file(ballots), "p.csv", factor=LOCAL_CLI)
    assert err.value.problems[0].rule == "not_a_precinct"
    enter_cvr(ctx, planned, batch, _cvr_file(ballots), "p.csv", factor=LOCAL_CLI)
    with pytest.raises(Conflict) as again:
        enter_cvr(ctx, planned, batch, _cvr_file(ballots), "p.csv", factor=LOCAL_CLI)
    assert again.value.code == "cvr_exists"


def test_a_comparison_audit_measures_alpha_against_cvrs_and_one_cvrs(ctx: Context, planned: str) -> None:
    reported = _reported(ctx, planned)
    with_cvrs = sorted(reported)[:2]
    for batch in with_cvrs:
        enter_cvr(ctx, planned, batch, _cvr_file(_ballots(reported[batch])), f"{batch}.csv", factor=LOCAL_CLI)
    manifest = json.loads(publish_manifest(ctx, planned, factor=LOCAL_CLI)[0])
    for b in manifest["batches"]:
        if b["id"] in with_cvrs:
            rows = enumerate(_ballots(reported[b["id"]]), 1)
            canonical = "position,reading\n" + "".join(f"{i},{c}\n" for i, c in rows)
            assert b["cvr"] == hashlib.sha256(canonical.encode()).hexdigest()
        else:
            assert "cvr" not in b
    with pytest.raises(LifecycleError):  # after the manifest, no more CVRs
        enter_cvr(ctx, planned, with_cvrs[0], b"position,reading\n", "late.csv", factor=LOCAL_CLI)
    enter_seed(ctx, planned, SEED, "m1", factor=LOCAL_CLI)
    enter_seed(ctx, planned, SEED, "m2", factor=LOCAL_CLI)
    drawn = draw_round(ctx, planned, factor=LOCAL_CLI).draws
    pairs = list(zip(drawn.batches, drawn.positions, strict=True))
    assert pairs
    truth = {b: _ballots(c) for b, c in reported.items()}
    # the paper: as the CVRs say, except that the first drawn ballot of a batch with CVRs reads "no"
    misread = next(((b, p) for b, p in pairs if b in with_cvrs and truth[b][p - 1] == "yes"), None)
    lines = ["batch,position,reading"]
    for b, p in sorted(set(pairs)):
        reading = "no" if (b, p) == misread else truth[b][p - 1]
        lines.append(f"{b},{p},{reading}")
    data = ("\n".join(lines) + "\n").encode()
    with pytest.raises(InputError) as err:  # a drawn ballot left out
        enter_counts(ctx, planned, ("\n".join(lines[:-1]) + "\n").encode(), "x.csv", "a", factor=LOCAL_CLI)
    assert err.value.problems[0].rule == "bad_hand_count"
    enter_counts(as_operator(ctx, "a"), planned, data, "a.csv", "a", factor=LOCAL_CLI)
    outcome = enter_counts(as_operator(ctx, "b"), planned, data, "b.csv", "b", factor=LOCAL_CLI)
    assert outcome.decision is not None
    with ctx.store.transaction() as tx:
        loaded = load_audit(tx, planned)
    _, plan = loaded.require_published()
    etas = loaded.state.estimators
    sampled = [a for a in plan.assertions if a.method == "sample" and not a.trivial and a.assorter is not None]
    assert set(etas) == {a.id for a in sampled}
    measured = {r["assertion"]: float(r["risk"]) for r in status(ctx, planned).risks}
    units = {b["id"]: b["unit"] for b in manifest["batches"]}
    for a in sampled:
        draws: list[tuple[Cvr, Category | None]] = []
        for b, p in pairs:
            if a.unit is None or units[b] == a.unit:
                cvr: Cvr = truth[b][p - 1] if b in with_cvrs else reported[b]
                draws.append((cvr, "no" if (b, p) == misread else truth[b][p - 1]))
        est = shrinkage(Fraction(etas[a.id]), COMPARISON_D)
        assert measured[a.id] == oneaudit_risk(a, draws, est)
    _check_page(ctx, planned, {b for b, _ in pairs})


def _check_page(ctx: Context, code: str, drawn: set[str]) -> None:
    page = public_json(audit_view(ctx, code))  # the public page reads a comparison audit too
    assert page["method"] == "comparison"
    assert {b["batch"] for b in page["rounds"][0]["batches"]} == drawn


def test_readings_against_the_outcome_escalate_after_the_third_round(ctx: Context, planned: str) -> None:
    """Every drawn ballot not found (the worst reading for every assertion, §5): no round confirms; ALPHA's risk 1
    alone does not escalate (§18), the third round does; the full hand count (per-batch counts, §13b) then finds
    the protocols right: the outcome stands."""
    reported = _reported(ctx, planned)
    publish_manifest(ctx, planned, factor=LOCAL_CLI)
    enter_seed(ctx, planned, SEED, "m1", factor=LOCAL_CLI)
    enter_seed(ctx, planned, SEED, "m2", factor=LOCAL_CLI)
    decisions = []
    for _ in range(3):
        drawn = draw_round(ctx, planned, factor=LOCAL_CLI).draws
        rows = "".join(f"{b},{p},not_found\n" for b, p in sorted(set(zip(drawn.batches, drawn.positions, strict=True))))
        data = ("batch,position,reading\n" + rows).encode()
        enter_counts(as_operator(ctx, "a"), planned, data, "a.csv", "a", factor=LOCAL_CLI)
        decisions.append(enter_counts(as_operator(ctx, "b"), planned, data, "b.csv", "b", factor=LOCAL_CLI).decision)
    assert decisions == ["next_round", "next_round", "escalate"]
    st = status(ctx, planned)
    assert st.finish is not None
    assert st.finish["outcome"] == "full_hand_count"
    counts = "".join(
        f"{b},{reported[b].yes},{reported[b].no},{reported[b].invalid},{reported[b].not_counted}\n"
        for b in st.finish["batches"]
    )
    full = ("batch,yes,no,invalid,not_counted\n" + counts).encode()
    enter_counts(as_operator(ctx, "a"), planned, full, "f.csv", "a", factor=LOCAL_CLI)
    done = enter_counts(as_operator(ctx, "b"), planned, full, "f.csv", "b", factor=LOCAL_CLI)
    assert done.decision == "stands"


def test_per_batch_counts_are_not_a_comparison_round(ctx: Context, planned: str) -> None:
    publish_manifest(ctx, planned, factor=LOCAL_CLI)
    enter_seed(ctx, planned, SEED, "m1", factor=LOCAL_CLI)
    enter_seed(ctx, planned, SEED, "m2", factor=LOCAL_CLI)
    batch = draw_round(ctx, planned, factor=LOCAL_CLI).draws.batches[0]
    counts = f"batch,yes,no,invalid,not_counted\n{batch},1,0,0,0\n".encode()
    with pytest.raises(Conflict) as kind:
        enter_counts(ctx, planned, counts, "c.csv", "a", factor=LOCAL_CLI)
    assert kind.value.code == "audit_step"


def test_the_static_release_carries_the_records_the_manifest_lists(ctx: Context, planned: str) -> None:
    """spec/formats.md §9, spec/audit.md §18: audit/cvr/<batch>.csv for each batch the manifest lists with a
    cvr, each hashing to it; none before the manifest."""
    reported = _reported(ctx, planned)
    with_cvrs = sorted(reported)[:2]
    for batch in with_cvrs:
        enter_cvr(ctx, planned, batch, _cvr_file(_ballots(reported[batch])), f"{batch}.csv", factor=LOCAL_CLI)
    before = published_audit(ctx, planned)
    assert before is not None
    assert not [name for name in audit_data(before) if name.startswith("audit/cvr/")]
    manifest = json.loads(publish_manifest(ctx, planned, factor=LOCAL_CLI)[0])
    release = published_audit(ctx, planned)
    assert release is not None
    files = audit_data(release)
    listed = {b["id"]: b["cvr"] for b in manifest["batches"] if "cvr" in b}
    assert sorted(listed) == with_cvrs
    assert {name for name in files if name.startswith("audit/cvr/")} == {f"audit/cvr/{b}.csv" for b in listed}
    assert all(hashlib.sha256(files[f"audit/cvr/{b}.csv"]).hexdigest() == h for b, h in listed.items())
