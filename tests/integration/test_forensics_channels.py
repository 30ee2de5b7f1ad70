"""Forensics where an e2e election is counted as a unit's electronic channel: the unit's paper votes (its
precincts) against its e-ballots (spec/forensics.md §9, §12), on SQLite and PostgreSQL."""

from __future__ import annotations

import secrets

import pytest
from tests.elections import SMALL, load
from tests.elections.e2e import open_e2e
from tests.integration.small import GOOD

from saylau.forensics import ChannelPair
from saylau.services.channels import link_channel
from saylau.services.context import Context
from saylau.services.e2e.casting import cast_ballot
from saylau.services.e2e.lifecycle import close_election, publish_result
from saylau.services.paper.forensics import event_forensics, forensics_input
from saylau.services.paper.results import results

CHOICES = (1, 1, 1, 0)  # three Yes, one No


def _counted_with_a_channel(ctx: Context) -> None:
    load(ctx, SMALL, operators=("alice", "bob"))
    e2e = open_e2e(ctx, "e-1", voters=len(CHOICES), register=False)
    e2e.register(ctx)
    for n, yes in enumerate(CHOICES):
        cast_ballot(ctx, "e-1", e2e.ballot(n, yes, f"b{n}", secrets.token_bytes))
    link_channel(ctx, "e-1", "small", "R1-D1")
    close_election(ctx, "e-1")
    e2e.decrypt(ctx, (1, 3), secrets.token_bytes)
    publish_result(ctx, "e-1")


def test_the_unit_s_paper_votes_are_compared_with_its_e_ballots(ctx: Context) -> None:
    _counted_with_a_channel(ctx)
    view = results(ctx, "small")
    data = forensics_input(view, view.event.contests[0], synthetic=False)
    paper = {"yes": GOOD["P1"][5] + GOOD["P2"][5], "no": GOOD["P1"][6] + GOOD["P2"][6]}  # R1-D1's precincts
    assert data.channels == (ChannelPair("R1-D1", paper, {"yes": 3, "no": 1}),)
    assert [p.votes for p in data.precincts if p.code == "P1"] == [{"yes": GOOD["P1"][5], "no": GOOD["P1"][6]}]
    (contest,) = event_forensics(ctx, "small").document["contests"]
    channels = contest["channels"]
    assert not channels.get("skipped")
    (unit,) = channels["units"]
    assert (unit["unit"], unit["paper_votes"], unit["electronic_votes"]) == ("R1-D1", sum(paper.values()), 4)
    assert unit["electronic_share"] == 0.75
    assert unit["paper_share"] == pytest.approx(paper["yes"] / sum(paper.values()), rel=1e-9)  # 10 digits, §13
