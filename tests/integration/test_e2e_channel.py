"""E-ballots of an e2e election as the electronic channel of a district of the small referendum
(spec/counting.md §5), through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import secrets
import threading
from collections.abc import Callable
from fractions import Fraction

import pytest
from rich.console import Console
from tests.elections import SMALL, load
from tests.elections.e2e import open_e2e
from tests.integration.small import GOOD

from saylau.crypto.ballot import QuestionSpec
from saylau.model import Conflict, InputError, LifecycleError, Phase, ResultsView
from saylau.publish.terminal import render_terminal
from saylau.record.events import EventType
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.channels import link_channel
from saylau.services.context import Context
from saylau.services.e2e.casting import cast_ballot
from saylau.services.e2e.demo import YES_NO
from saylau.services.e2e.lifecycle import (
    close_election,
    publish_result,
    record_events,
)
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.results import LiveResults, export, results

RNG = secrets.token_bytes
PAPER_PARTICIPATED = sum(r[4] for r in GOOD.values())
PAPER_YES = sum(r[5] for r in GOOD.values())


def _paper(ctx: Context) -> None:
    load(ctx, SMALL, operators=("alice", "bob"), source="batch.csv")


class _Election:
    def __init__(self, ctx: Context, code: str, choices: list[int], questions: tuple[QuestionSpec, ...] = YES_NO):
        self.ctx, self.code, self.choices = ctx, code, choices
        self.e2e = open_e2e(ctx, code, voters=len(choices), questions=questions, register=False)
        self.fingerprint = self.e2e.fingerprint

    def vote(self) -> None:
        self.e2e.register(self.ctx)
        for n, yes in enumerate(self.choices):
            cast_ballot(self.ctx, self.code, self.e2e.ballot(n, yes, f"b{n}", RNG))

    def publish(self) -> None:
        close_election(self.ctx, self.code)
        self.e2e.decrypt(self.ctx, (1, 3), RNG)
        publish_result(self.ctx, self.code)


def test_the_e_ballots_join_district_region_country_and_the_outcome(ctx: Context) -> None:
    _paper(ctx)
    election = _Election(ctx, "e-1", [1, 1, 1, 0])
    election.vote()
    link = link_channel(ctx, "e-1", "small", "R1-D1")
    assert [(q.question, q.contest, q.options) for q in link.mapping.questions] == [
        ("q1", "q1", (("yes", "yes"), ("no", "no")))
    ]
    live = LiveResults(ctx, "small")
    pending_view = live.refresh()
    (source,) = pending_view.channels
    assert (source.status, source.unit, source.head) == ("pending", "R1-D1", None)
    assert pending_view.results["KZ"].totals["q1"]["participated"] == PAPER_PARTICIPATED  # not counted yet
    doc = json.loads(export(pending_view, "json"))
    assert doc["channels"][0]["status"] == "pending"
    assert "channels" not in doc["units"][0]
    advance(ctx, "small", Phase.PROVISIONAL, LOCAL_CLI)
    with pytest.raises(LifecycleError) as err:
        advance(ctx, "small", Phase.FINAL, LOCAL_CLI)
    assert err.value.code == "channel_pending"
    assert "e-1" in err.value.message

    before = live.stamp()
    election.publish()
    assert live.stamp() != before  # the cached document and the SSE stream follow the result
    view = live.refresh()
    assert view == _same_as_fresh(ctx, view)
    for unit in ("R1-D1", "R1", "KZ"):
        assert view.results[unit].channels["electronic"]["q1"] == {
            "registered": 0,
            "received": 0,
            "issued": 0,
            "cancelled": 0,
            "participated": 4,
            "yes": 3,
            "no": 1,
            "not_counted": 0,
            "invalid": 0,
        }
    national = view.results["KZ"]
    assert national.totals["q1"]["participated"] == PAPER_PARTICIPATED + 4
    assert national.totals["q1"]["yes"] == PAPER_YES + 3
    assert national.totals["q1"]["registered"] == 3500  # e-voters are on the paper register already
    assert (national.expected, national.reported) == (5, 5)
    assert view.results["R2"].channels == {}
    assert view.results["R2"].totals["q1"]["participated"] == GOOD["P3"][4]
    outcome = view.outcomes["q1"]
    assert outcome.turnout == Fraction(PAPER_PARTICIPATED + 4, 3500)
    assert outcome.yes_share == Fraction(PAPER_YES + 3, PAPER_PARTICIPATED + 4)

    _check_publication(ctx, view, election)

    advance(ctx, "small", Phase.FINAL, LOCAL_CLI)  # nothing pending any more
    final = results(ctx, "small")
    assert final.results["KZ"].totals["q1"]["yes"] == PAPER_YES + 3


def _check_publication(ctx: Context, view: ResultsView, election: _Election) -> None:
    """JSON names the channel with the record's fingerprint and head; HTML says "of which"; CSV keeps
    its columns with totals that include the channel."""
    head = record_events(ctx, "e-1")[-1]
    assert head.type is EventType.RESULT
    doc = json.loads(export(view, "json"))
    district = next(u for u in doc["units"] if u["code"] == "R1-D1")
    (src,) = district["channels"]["electronic"]["sources"]
    assert (src["election"], src["fingerprint"], src["head"], src["ballots"]) == (
        "e-1",
        election.fingerprint,
        head.hash,
        4,
    )
    assert district["channels"]["electronic"]["counts"]["q1"]["yes"] == 3
    assert district["questions"]["q1"]["counts"]["yes"] == GOOD["P1"][5] + GOOD["P2"][5] + 3
    assert doc["channels"][0]["status"] == "counted"
    html = export(view, "html")
    assert "Of which electronic ballots: took part 4" in html
    assert head.hash in html
    assert not re.search(r"(src|href)\s*=|<script", html)  # still one self-contained file
    console = Console(record=True, width=200)
    render_terminal(view, console)
    shown = console.export_text()
    assert "of which electronic ballots: took part 4 · Yes 3 · No 1" in shown
    assert f"counted, head {head.hash}" in shown
    csv = export(view, "csv")
    assert f",{PAPER_PARTICIPATED + 4}," in csv  # CSV keeps its columns; the totals include the channel


def _same_as_fresh(ctx: Context, view: ResultsView) -> ResultsView:
    """The incremental view equals one built from scratch (generated_at aside)."""
    fresh = results(ctx, "small")
    assert fresh.results == view.results
    assert fresh.channels == view.channels
    assert fresh.outcomes == view.outcomes
    return view


def test_linking_is_validated(ctx: Context) -> None:
    _paper(ctx)
    _Election(ctx, "e-1", [1])
    with pytest.raises(InputError) as err:
        link_channel(ctx, "e-1", "small", "P1")
    assert "precinct" in err.value.problems[0].message
    with pytest.raises(InputError):
        link_channel(ctx, "e-1", "small", "NOWHERE")
    with pytest.raises(InputError) as err:
        link_channel(ctx, "e-1", "small", "R1", {"q1": "q2"})
    assert err.value.problems[0].rule == "channel_map"
    blank = (QuestionSpec("q1", ("yes", "no", "blank"), 1, 1),)
    _Election(ctx, "e-blank", [], blank)
    with pytest.raises(InputError) as err:
        link_channel(ctx, "e-blank", "small", "R1")
    assert err.value.problems[0].field == "q1.blank"
    assert "kz-constitutional" in err.value.problems[0].message
    link_channel(ctx, "e-blank", "small", "R2", option_map={"q1.blank": "invalid"})

    link_channel(ctx, "e-1", "small", "R1")
    with pytest.raises(Conflict) as conflict:
        link_channel(ctx, "e-1", "small", "R2")  # one election, one unit
    assert conflict.value.code == "channel_linked"
    _Election(ctx, "e-2", [1])
    with pytest.raises(Conflict) as conflict:
        link_channel(ctx, "e-2", "small", "R1")  # one election per channel of a unit
    assert conflict.value.code == "channel_taken"


def test_linking_is_refused_after_the_result_and_once_final(ctx: Context) -> None:
    _paper(ctx)
    done = _Election(ctx, "e-done", [1, 0])
    done.vote()
    done.publish()
    with pytest.raises(LifecycleError) as err:
        link_channel(ctx, "e-done", "small", "R1")
    assert err.value.code == "channel_after_result"
    advance(ctx, "small", Phase.PROVISIONAL, LOCAL_CLI)
    advance(ctx, "small", Phase.FINAL, LOCAL_CLI)
    _Election(ctx, "e-late", [1])
    with pytest.raises(LifecycleError) as err:
        link_channel(ctx, "e-late", "small", "R1")
    assert err.value.code == "closed"


def test_a_link_and_the_final_phase_at_the_same_moment_never_leave_a_pending_channel_in_a_final_count(
    ctx: Context,
) -> None:
    _paper(ctx)
    advance(ctx, "small", Phase.PROVISIONAL, LOCAL_CLI)
    _Election(ctx, "e-race", [1])
    barrier = threading.Barrier(2)
    outcome: dict[str, BaseException | None] = {}

    def run(name: str, step: Callable[[], object]) -> None:
        barrier.wait()
        try:
            step()
            outcome[name] = None
        except Exception as exc:  # the loser is refused (or, on SQLite, finds the database busy)
            outcome[name] = exc

    threads = [
        threading.Thread(target=run, args=("link", lambda: link_channel(ctx, "e-race", "small", "R1"))),
        threading.Thread(target=run, args=("final", lambda: advance(ctx, "small", Phase.FINAL, LOCAL_CLI))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    view = results(ctx, "small")
    pending = [c for c in view.channels if c.status == "pending"]
    assert not (view.phase is Phase.FINAL and pending), outcome
    assert (outcome["link"] is None) == bool(pending)
    assert (outcome["final"] is None) == (view.phase is Phase.FINAL)
    assert outcome["link"] is not None or outcome["final"] is not None  # never both
