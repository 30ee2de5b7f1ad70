"""MACRO over an election contest's batches (spec/audit.md §4, §10a): the same arithmetic as a referendum
question's (a Yes/No "district" gives the referendum's weights, sizes and risks), discrepancies raise the
risk, and a party list's plan over the Hare assertions of §3a."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.audit import (
    AuditCode,
    AuditError,
    BallotCounts,
    Batch,
    ContestBatch,
    Manifest,
    allocation_assertions,
    contest_macro,
    contest_plan,
    contest_plan_json,
    contest_risk,
    contest_sample_size,
    district_assertions,
    macro_plan,
    macro_risk,
    macro_sample_size,
    share_assertion,
)
from saylau.model.tally import Tally
from saylau.seats import Method, PartyRow, SeatRules, Threshold, allocate

ALPHA = F(1, 20)
RULES = SeatRules(Method.HARE, Threshold(F(5, 100)))


def _batch(i: int, yes: int, no: int, invalid: int) -> ContestBatch:
    return ContestBatch(f"P{i:03}", "R", (("yes", yes), ("no", no)), invalid)


_BATCHES = st.lists(st.tuples(st.integers(0, 400), st.integers(0, 200), st.integers(0, 30)), min_size=1, max_size=30)


@settings(max_examples=100, deadline=None)
@given(rows=_BATCHES, seen=st.lists(st.tuples(st.integers(0, 29), st.integers(0, 3)), max_size=8))
def test_a_yes_no_district_is_audited_as_the_referendum_question(
    rows: list[tuple[int, int, int]], seen: list[tuple[int, int]]
) -> None:
    yes, no, inv = (sum(r[i] for r in rows) for i in range(3))
    if yes <= no:
        return  # the district's winner is Yes, as the referendum's "Yes > 1/2 of valid votes"
    batches = [_batch(i, *r) for i, r in enumerate(rows)]
    contest = contest_macro(batches, district_assertions({"yes": yes, "no": no}, yes + no + inv))
    tally = Tally(0, yes + no + inv, yes, no, 0, inv)
    question = share_assertion(id="m", condition="m", unit=None, num="yes", den="valid", f=F(1, 2), op=">",
                               tally=tally, reason="")  # fmt: skip
    manifest = Manifest.of([Batch(b.id, "R", BallotCounts(*r)) for b, r in zip(batches, rows, strict=True)])
    referendum = macro_plan(manifest, [question])
    assert contest.u == referendum.u
    assert contest_sample_size(contest, ALPHA) == macro_sample_size(referendum, ALPHA)
    draws = [batches[i % len(batches)].id for i, _ in seen]
    # a hand count that finds some Yes votes were No votes (the same change in both forms)
    hand_c, hand_r = {}, {}
    for i, shift in seen:
        b, r = batches[i % len(batches)], rows[i % len(rows)]
        moved = min(shift, r[0])
        hand_c[b.id] = ContestBatch(b.id, "R", (("yes", r[0] - moved), ("no", r[1] + moved)), r[2])
        hand_r[b.id] = BallotCounts(r[0] - moved, r[1] + moved, r[2], 0)
    got = contest_risk(contest, draws, hand_c, ALPHA).measurements[0].risk
    want = macro_risk(referendum, draws, hand_r, ALPHA).measurements[0].risk
    assert got == pytest.approx(want, rel=1e-12)


def _list_plan() -> tuple[list[ContestBatch], dict[str, int], dict[str, int]]:
    rows = [(400, 100, 60, 30, 10), (300, 120, 50, 20, 10), (450, 90, 100, 40, 20), (40, 5, 10, 5, 0)]
    names = ("a", "b", "c", "against")
    batches = [ContestBatch(f"P{i}", "R", tuple(zip(names, r[:4], strict=True)), r[4]) for i, r in enumerate(rows)]
    votes = {n: sum(r[i] for r in rows) for i, n in enumerate(names)}
    rows_ = [PartyRow(n, v, order=i, eligible=n != "against") for i, (n, v) in enumerate(votes.items())]
    seats = {r.party: r.seats for r in allocate(rows_, 10, RULES).rows if r.party != "against"}
    assert seats == {"a": 7, "b": 2, "c": 1}  # Hare over 1,725 qualified votes: 6 + 1 + 1, remainders to a and b
    return batches, votes, seats


def test_a_party_list_plan_and_a_wrong_hand_count_raises_the_risk() -> None:
    batches, votes, seats = _list_plan()
    ballots = sum(b.ballots for b in batches)
    assertions = allocation_assertions(votes, seats, ballots, RULES, non_parties=frozenset({"against"}))
    assert all(a.holds(votes) for a in assertions)
    plan = contest_plan(contest="list", kind="party_list", scope="nation", preset="p", preset_version="v",
                        risk_limit=ALPHA, ballots=ballots, votes=tuple(votes.items()), seats=tuple(seats.items()),
                        winner=None, assertions=assertions)  # fmt: skip
    doc = contest_plan_json(plan)
    assert doc["hardest"] == assertions[0].id
    assert doc["seats"] == seats
    assert "smallest diluted margin" in doc["why_hardest"]
    macro = contest_macro(batches, plan.assertions)
    n = contest_sample_size(macro, ALPHA)
    assert n >= 1
    exact = {b.id: b for b in batches}
    clean = contest_risk(macro, ["P2"] * n, exact, ALPHA)
    assert clean.confirmed  # n draws with no discrepancy reach the risk limit
    # P2's hand count finds 30 of b's votes were c's: b's last seat against c's next is overstated
    wrong = ContestBatch("P2", "R", (("a", 450), ("b", 60), ("c", 130), ("against", 40)), 20)
    dirty = contest_risk(macro, ["P2"] * n, {**exact, "P2": wrong}, ALPHA)
    before = {m.assertion: m.risk for m in clean.measurements}
    after = {m.assertion: m.risk for m in dirty.measurements}
    assert after["seat:b>c"] > before["seat:b>c"]
    assert "seat:b>c" in dirty.escalate
    assert after["seat:a>b"] <= before["seat:a>b"]  # b lost votes: an understatement for a over b


def test_missing_ballots_count_against_and_more_ballots_are_refused() -> None:
    batches, votes, seats = _list_plan()
    ballots = sum(b.ballots for b in batches)
    rules = SeatRules(Method.HARE, Threshold(F(5, 100)))
    macro = contest_macro(
        batches, allocation_assertions(votes, seats, ballots, rules, non_parties=frozenset({"against"}))
    )
    fewer = ContestBatch("P0", "R", (("a", 300), ("b", 100), ("c", 60), ("against", 30)), 10)
    assert contest_risk(macro, ["P0"], {"P0": fewer}, ALPHA).measurements[0].risk > contest_risk(
        macro, ["P0"], {"P0": batches[0]}, ALPHA).measurements[0].risk  # fmt: skip
    more = ContestBatch("P0", "R", (("a", 500), ("b", 100), ("c", 60), ("against", 30)), 10)
    with pytest.raises(AuditError) as err:
        contest_risk(macro, ["P0"], {"P0": more}, ALPHA)
    assert err.value.code == AuditCode.BAD_HAND_COUNT
    with pytest.raises(AuditError) as err:
        contest_macro(batches[:2], macro.assertions)  # the results' ballots are not the manifest's
    assert err.value.code == AuditCode.BAD_MANIFEST
