"""Laws of the assertions (spec/audit.md §2-4), over random counts (Hypothesis)."""

from __future__ import annotations

from fractions import Fraction as F

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from saylau.audit import (
    BallotCounts,
    Batch,
    Manifest,
    Seed,
    counts_of,
    draw_pps,
    macro_plan,
    macro_risk,
    macro_sample_size,
    plan_question,
    share_assertion,
)
from saylau.model.ids import QuestionCode
from saylau.model.tally import Tally
from saylau.rules import load_preset
from saylau.rules.types import Op, Quantity

small = st.builds(BallotCounts, st.integers(0, 12), st.integers(0, 12), st.integers(0, 4), st.integers(0, 2))
counts = st.builds(BallotCounts, st.integers(0, 500), st.integers(0, 500), st.integers(0, 50), st.integers(0, 20))


@st.composite
def same_size(draw: st.DrawFn, n: int) -> BallotCounts:
    """Any ballots of ``n`` ballots: the truth the reported counts may hide."""
    yes = draw(st.integers(0, n))
    no = draw(st.integers(0, n - yes))
    invalid = draw(st.integers(0, n - yes - no))
    return BallotCounts(yes, no, invalid, n - yes - no - invalid)


thresholds = st.sampled_from([F(1, 2), F(2, 3), F(3, 4), F(1, 4), F(1, 3), F(3, 10)])


def _share(c: BallotCounts, q: Quantity) -> int:
    return {
        "yes": c.yes,
        "no": c.no,
        "valid": c.yes + c.no,
        "participants": c.ballots,
        "invalid": c.invalid,
        "not_counted": c.not_counted,
    }[q]


@settings(max_examples=1500, deadline=None)
@given(
    data=st.data(),
    reported=small,
    num=st.sampled_from(["yes", "no"]),
    den=st.sampled_from(["valid", "participants", "registered"]),
    f=thresholds,
    op=st.sampled_from([">", ">="]),
    extra=st.integers(0, 40),
)
def test_the_claim_is_the_reported_side_of_the_condition(
    data: st.DataObject, reported: BallotCounts, num: Quantity, den: Quantity, f: F, op: Op, extra: int
) -> None:
    """Built from the reported counts, the claim speaks of any ballots of that population size: over the true
    ballots, the assorter's mean exceeds 1/2 exactly when the claim holds, and the claim holds exactly when
    the condition's reported side is true (for a ``≥`` on a ballot denominator: only when, never less
    evidence than the law needs; likewise for the complement of a ``>``).
    Small counts, so that the thresholds' edges are hit."""
    assume(reported.ballots > 0)
    true = data.draw(same_size(reported.ballots))
    registered = reported.ballots + extra
    tally = Tally(registered, reported.ballots, reported.yes, reported.no, reported.not_counted, reported.invalid)
    a = share_assertion(id="a", condition="c", unit=None, num=num, den=den, f=f, op=op, tally=tally, reason="r")
    claim_holds = a.claim.total(true) > a.claim.k
    d = registered if den == "registered" else _share(true, den)
    share = F(_share(true, num), d) if d else None
    side = share is not None and (share > f if op == ">" else share >= f)
    if not a.condition_holds:
        side = not side if share is not None else True
    if den == "registered" or (op == ">") == a.condition_holds:  # "x > t" and "not (x >= t)" are exact
        assert claim_holds == side or (share is None and not claim_holds)  # no votes: "not met", never claimed
    else:  # "x >= t" and "not (x > t)" are tested as strict: the claim only ever asks for more
        assert not claim_holds or side
    if a.assorter is not None:
        assert (a.assorter.total(true) / true.ballots > F(1, 2)) == claim_holds
    elif a.trivial:
        assert claim_holds
    else:
        assert a.margin == 0  # untestable by a sample: a full hand count


@settings(max_examples=60, deadline=None)
@given(
    batches=st.lists(st.tuples(st.integers(1, 400), st.integers(0, 300), st.integers(0, 20)), min_size=2, max_size=60),
    digits=st.text("0123456789", min_size=20, max_size=20),
)
def test_a_clean_audit_of_the_planned_size_confirms_the_outcome(
    batches: list[tuple[int, int, int]], digits: str
) -> None:
    rows = [Batch(f"B{i:03d}", None, BallotCounts(y, n, inv)) for i, (y, n, inv) in enumerate(batches)]
    total = sum((b.reported for b in rows), BallotCounts(0, 0))
    assume(total.yes > total.no)
    nat = Tally(2 * total.ballots, total.ballots, total.yes, total.no, 0, total.invalid)
    plan = plan_question(load_preset("uk").versions[0], {}, QuestionCode("Q"), nat, [])
    macro = macro_plan(Manifest.of(rows), plan.assertions)
    n = macro_sample_size(macro, plan.risk_limit)
    draws = draw_pps(Seed(digits), [b.id for b in macro.manifest.batches], macro.weights, n)
    risk = macro_risk(macro, draws, {b.id: b.reported for b in rows}, plan.risk_limit)
    assert risk.confirmed
    assert counts_of(nat) == total
