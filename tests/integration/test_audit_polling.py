"""Ballot polling (BRAVO) as a workflow on the small referendum, SQLite and PostgreSQL: ballots drawn from
seed + manifest (recomputed with the pure core), the drawn ballots' categories entered per batch, and the
risk recomputed with ``bravo_risk`` (spec/audit.md §13)."""

from __future__ import annotations

from collections import Counter

import pytest
from tests.elections import SMALL, as_operator, load

from saylau.audit import BallotCounts, Seed, bravo_risk, draw_ballots, polling_shares
from saylau.model import InputError, Phase
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.audit.counting import enter_counts
from saylau.services.audit.reading import status
from saylau.services.audit.state import load as load_audit
from saylau.services.audit.workflow import draw_round, enter_seed, plan_audit, publish_manifest
from saylau.services.context import Context
from saylau.services.paper.lifecycle import advance

SEED = "27182818284590452353"
CATEGORY_ORDER = ("yes", "no", "invalid", "not_counted")  # how the test's paper ballots lie in each batch


def _category(counts: BallotCounts, position: int) -> str:
    """The category of the ballot at ``position`` (from 1) of a batch whose ballots lie in CATEGORY_ORDER."""
    for name in CATEGORY_ORDER:
        n = counts.get(name)
        if position <= n:
            return name
        position -= n
    raise AssertionError("position beyond the batch")


def _csv(rows: dict[str, Counter[str]]) -> bytes:
    lines = ["batch,yes,no,invalid,not_counted"]
    lines += [f"{b},{','.join(str(c[k]) for k in CATEGORY_ORDER)}" for b, c in sorted(rows.items())]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def polled(ctx: Context) -> str:
    code = load(ctx, SMALL, operators=("alice", "bob"))
    advance(ctx, code, Phase.PROVISIONAL, LOCAL_CLI)
    advance(ctx, code, Phase.FINAL, LOCAL_CLI)
    plan_audit(ctx, code, method="bravo", factor=LOCAL_CLI)
    publish_manifest(ctx, code, factor=LOCAL_CLI)
    enter_seed(ctx, code, SEED, "m1", factor=LOCAL_CLI)
    enter_seed(ctx, code, SEED, "m2", factor=LOCAL_CLI)
    return code


def test_a_polling_audit_draws_ballots_and_measures_bravo(ctx: Context, polled: str) -> None:
    drawn = draw_round(ctx, polled, factor=LOCAL_CLI).draws
    with ctx.store.transaction() as tx:
        loaded = load_audit(tx, polled)
    published, plan = loaded.require_published()
    ids = [b.id for b in published.manifest.batches]
    ballots = [b.ballots for b in published.manifest.batches]
    again = draw_ballots(Seed(SEED), ids, ballots, len(drawn.batches))
    assert tuple(zip(drawn.batches, drawn.positions, strict=True)) == again
    reported = {f.batch: f.counts for f in published.figures}
    found: dict[str, Counter[str]] = {}
    for batch, position in again:
        found.setdefault(batch, Counter())[_category(reported[batch], position)] += 1
    enter_counts(as_operator(ctx, "a"), polled, _csv(found), "a.csv", "a", factor=LOCAL_CLI)
    outcome = enter_counts(as_operator(ctx, "b"), polled, _csv(found), "b.csv", "b", factor=LOCAL_CLI)
    (assertion,) = [a for a in plan.assertions if a.method == "sample"]
    shares = polling_shares(assertion, BallotCounts(300, 560, 10, 10))
    assert shares is not None
    in_r2 = found.get("P3", Counter())
    risk = bravo_risk(shares, in_r2["no"] + in_r2["invalid"] + in_r2["not_counted"], in_r2["yes"])
    (measured,) = status(ctx, polled).risks
    assert float(measured["risk"]) == risk
    assert outcome.decision == ("confirmed" if risk <= 0.05 else "next_round")


def test_a_polling_hand_count_lists_exactly_the_ballots_drawn(ctx: Context, polled: str) -> None:
    drawn = draw_round(ctx, polled, factor=LOCAL_CLI).draws
    times = Counter(drawn.batches)
    batch, n = times.most_common(1)[0]
    with pytest.raises(InputError) as err:
        enter_counts(ctx, polled, _csv({batch: Counter(yes=n + 1)}), "x.csv", "a", factor=LOCAL_CLI)
    assert "drawn from this batch" in err.value.problems[0].message
