"""The referendum use cases end to end through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from fractions import Fraction

import pytest
from tests.elections import SMALL, load
from tests.integration.small import GOOD, TERRITORY, event_bytes, protocols_csv

from saylau.model import Conflict, InputError, LifecycleError, Mode, Phase, SaylauError
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context
from saylau.services.lookup import load_event
from saylau.services.paper.events import create_event, import_territory
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.protocols import enter_file
from saylau.services.paper.results import LiveResults, export, precinct_states, results
from saylau.store import is_current


def _as(ctx: Context, who: str) -> Context:
    return Context(ctx.store, ctx.clock, who)


def _setup(ctx: Context, *, to: Phase = Phase.COUNTING) -> None:
    load(ctx, SMALL, until=to)


def _enter(ctx: Context, who: str, rows: dict[str, tuple[int, ...]], reason: str | None = None, mode: Mode = Mode.LIVE):
    return enter_file(
        _as(ctx, who), "small", protocols_csv(rows, reason), "batch.csv", "csv", mode=mode, factor=LOCAL_CLI
    )


def test_migrations_are_current(store) -> None:
    assert is_current(store.engine)


def test_double_entry_accepts_only_agreeing_entries(ctx: Context) -> None:
    _setup(ctx)
    first = _enter(ctx, "alice", GOOD)
    assert first.count("awaiting_second") == 5
    assert results(ctx, "small").results["KZ"].reported == 0  # one entry never counts
    second = _enter(ctx, "bob", GOOD)
    assert second.count("agreed") == 5
    view = results(ctx, "small")
    national = view.results["KZ"]
    assert national.reported == national.expected == 5
    assert national.totals["q1"]["participated"] == sum(r[4] for r in GOOD.values())
    assert national.totals["q1"]["yes"] == sum(r[5] for r in GOOD.values())
    assert view.results["R1"].totals["q1"]["registered"] == 1800


def test_same_operator_twice_is_refused(ctx: Context) -> None:
    _setup(ctx)
    _enter(ctx, "alice", {"P1": GOOD["P1"]})
    with pytest.raises(InputError) as err:
        _enter(ctx, "alice", {"P1": GOOD["P1"]})
    assert err.value.problems[0].rule == "same_operator"


def test_mismatch_is_held_and_resolved_by_a_third_entry(ctx: Context) -> None:
    _setup(ctx)
    swapped = list(GOOD["P1"])
    swapped[5], swapped[6] = swapped[6], swapped[5]  # Yes and No swapped: breaks no control relation
    _enter(ctx, "alice", {"P1": GOOD["P1"]})
    report = _enter(ctx, "bob", {"P1": tuple(swapped)})
    (outcome,) = report.outcomes
    assert outcome.decision == "mismatch"
    assert {d.field for d in outcome.differences} == {"yes", "no"}
    states = {s.precinct: s.state for s in precinct_states(ctx, "small")}
    assert states["P1"] == "mismatch"
    assert results(ctx, "small").results["P1"].reported == 0
    third = _enter(ctx, "carol", {"P1": GOOD["P1"]})
    assert third.outcomes[0].decision == "agreed"
    assert results(ctx, "small").results["P1"].totals["q1"]["yes"] == GOOD["P1"][5]


def test_a_batch_with_one_bad_row_changes_nothing(ctx: Context) -> None:
    _setup(ctx)
    bad = dict(GOOD)
    bad["P3"] = (1200, 1200, 900, 300, 880, 300, 560, 10, 11)  # took part != sum of the four piles
    with pytest.raises(InputError) as err:
        _enter(ctx, "alice", bad)
    assert any(p.line == 4 for p in err.value.problems)
    assert all(s.state == "missing" for s in precinct_states(ctx, "small"))


def test_correction_needs_a_reason_keeps_both_versions_and_aggregates_follow_the_newest(ctx: Context) -> None:
    _setup(ctx)
    _enter(ctx, "alice", GOOD)
    _enter(ctx, "bob", GOOD)
    fixed = (1000, 1000, 700, 300, 690, 510, 140, 20, 20)
    with pytest.raises(InputError) as err:
        _enter(ctx, "alice", {"P1": fixed})
    assert err.value.problems[0].rule == "correction_needs_reason"
    _enter(ctx, "alice", {"P1": fixed}, reason="recount ordered by the district commission")
    assert results(ctx, "small").results["P1"].totals["q1"]["yes"] == 500  # one entry is not enough
    _enter(ctx, "bob", {"P1": fixed}, reason="recount ordered by the district commission")
    view = results(ctx, "small")
    assert view.results["P1"].totals["q1"]["yes"] == 510
    (correction,) = view.corrections
    assert correction.version == 2
    assert correction.previous["q1"]["yes"] == 500
    assert correction.current["q1"]["yes"] == 510


def test_lifecycle_is_explicit_and_final_needs_every_precinct(ctx: Context) -> None:
    _setup(ctx, to=Phase.VOTING)
    with pytest.raises(LifecycleError):
        advance(ctx, "small", Phase.FINAL, LOCAL_CLI)
    with pytest.raises(InputError):  # live protocols are refused before counting opens
        _enter(ctx, "alice", GOOD)
    change = advance(ctx, "small", Phase.COUNTING, LOCAL_CLI)
    assert change.zero_report_sha256
    _enter(ctx, "alice", {k: v for k, v in GOOD.items() if k != "P5"})
    _enter(ctx, "bob", {k: v for k, v in GOOD.items() if k != "P5"})
    advance(ctx, "small", Phase.PROVISIONAL, LOCAL_CLI)
    view = results(ctx, "small")
    assert view.status == "provisional"
    assert view.results["KZ"].missing == ("P5",)
    with pytest.raises(LifecycleError) as err:
        advance(ctx, "small", Phase.FINAL, LOCAL_CLI)
    assert "P5" in err.value.message
    _enter(ctx, "alice", {"P5": GOOD["P5"]})
    _enter(ctx, "bob", {"P5": GOOD["P5"]})
    advance(ctx, "small", Phase.FINAL, LOCAL_CLI)
    advance(ctx, "small", Phase.CERTIFIED, LOCAL_CLI)
    assert results(ctx, "small").status == "certified"
    with pytest.raises(InputError):  # nothing changes after certification
        _enter(ctx, "alice", {"P1": GOOD["P1"]}, reason="too late")


def test_outcome_is_decided_by_the_preset(ctx: Context) -> None:
    _setup(ctx)
    _enter(ctx, "alice", GOOD)
    _enter(ctx, "bob", GOOD)
    outcome = results(ctx, "small").outcomes["q1"]
    participated = sum(r[4] for r in GOOD.values())
    assert outcome.turnout == Fraction(participated, sum(r[0] for r in GOOD.values()))
    assert outcome.yes_share == Fraction(sum(r[5] for r in GOOD.values()), participated)
    # Region Two votes No: Yes majority in 1 of 2 units, 2 required (ceil of 2/3 of 2)
    assert outcome.units_yes == 1
    assert outcome.units_total == 2
    assert outcome.adopted is False
    assert outcome.explanation


def test_test_mode_is_kept_apart_and_never_published(ctx: Context) -> None:
    _setup(ctx, to=Phase.VOTING)
    _enter(ctx, "alice", GOOD, mode=Mode.TEST)
    _enter(ctx, "bob", GOOD, mode=Mode.TEST)
    test_view = results(ctx, "small", mode=Mode.TEST)
    assert test_view.results["KZ"].reported == 5
    with pytest.raises(SaylauError) as err:
        export(test_view, "json")
    assert err.value.code == "test_not_publishable"
    advance(ctx, "small", Phase.COUNTING, LOCAL_CLI)  # the zero report is zero despite the test data
    live = results(ctx, "small")
    assert live.results["KZ"].reported == 0
    assert live.results["KZ"].totals["q1"]["participated"] == 0


def test_duplicate_event_and_territory_are_refused(ctx: Context) -> None:
    _setup(ctx, to=Phase.VOTING)
    with pytest.raises(Conflict):
        create_event(ctx, event_bytes(), "event.json")
    with pytest.raises(LifecycleError):
        import_territory(ctx, "small", TERRITORY.encode(), "territory.csv", "csv")


def test_audit_log_records_refusals(ctx: Context) -> None:
    _setup(ctx)
    with pytest.raises(InputError):
        _enter(ctx, "alice", {"P1": (1000, 1000, 700, 300, 690, 500, 150, 20, 21)})
    with ctx.store.transaction() as tx:
        rows = tx.audit_rows("small")
    assert [r["outcome"] for r in rows if r["action"] == "protocols.enter"] == ["refused"]
    assert rows[-1]["actor"] == "alice"


def test_live_results_recover_a_version_committed_out_of_id_order(ctx: Context) -> None:

    _setup(ctx)
    live = LiveResults(ctx, "small")
    assert live.refresh().results["KZ"].reported == 0
    _enter(ctx, "alice", {"P1": GOOD["P1"]})
    _enter(ctx, "bob", {"P1": GOOD["P1"]})
    assert live.refresh().results["KZ"].reported == 1
    # As if a later id had been seen before an earlier one committed (PostgreSQL sequences allow it):
    _enter(ctx, "alice", {"P2": GOOD["P2"]})
    _enter(ctx, "bob", {"P2": GOOD["P2"]})
    assert live._state is not None
    live._state.last_id += 1000
    view = live.refresh()
    assert view.results["KZ"].reported == 2
    assert view.results["P2"].totals["q1"]["yes"] == GOOD["P2"][5]


def test_final_waits_for_an_open_correction_round_read_without_decoding_counts(ctx: Context) -> None:
    _setup(ctx)
    _enter(ctx, "alice", GOOD)
    _enter(ctx, "bob", GOOD)
    fixed = (1000, 1000, 700, 300, 690, 510, 140, 20, 20)
    reason = "recount ordered by the district commission"
    _enter(ctx, "alice", {"P1": fixed}, reason=reason)  # round 2 of P1 holds one entry: open
    advance(ctx, "small", Phase.PROVISIONAL, LOCAL_CLI)
    with pytest.raises(LifecycleError) as err:
        advance(ctx, "small", Phase.FINAL, LOCAL_CLI)
    assert err.value.details == {"missing": [], "open_rounds": ["P1"]}
    with ctx.store.transaction() as tx:
        event_id = load_event(tx, "small").id
        assert tx.current_versions(event_id, Mode.LIVE) == dict.fromkeys(GOOD, 1)
        assert tx.entry_rounds(event_id, Mode.LIVE) == {(p, 1) for p in GOOD} | {("P1", 2)}
        assert tx.current_versions(event_id, Mode.TEST) == {}
    _enter(ctx, "bob", {"P1": fixed}, reason=reason)
    with ctx.store.transaction() as tx:
        assert tx.current_versions(load_event(tx, "small").id, Mode.LIVE)["P1"] == 2
    advance(ctx, "small", Phase.FINAL, LOCAL_CLI)
