"""What an event's protocols look like (count/layout.py), no database: the contests on a precinct's ballot
(every unscoped contest, and the single-member districts whose scope holds the precinct, in the event's
order) and each contest's protocol fields from its preset."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.elections import MINI, SMALL
from tests.property.test_count_aggregation import territory_of

from saylau.count import ContestLayout
from saylau.count.layout import ProtocolLayout, event_rules, protocol_layout
from saylau.io import parse_event
from saylau.model import QuestionCode, Territory, UnitCode, UnitKind


def _layout_of(election_event: bytes, territory: Territory) -> ProtocolLayout:
    ref = parse_event(election_event, "event.json")
    return protocol_layout(ref, event_rules(ref), territory)


def test_a_district_contest_is_on_the_ballots_of_its_scope_only() -> None:
    layout = _layout_of(MINI.event, MINI.units)
    assert layout.everywhere == ("list",)
    assert layout.scoped == {"P1": ("smd-1",), "P2": ("smd-1",), "P3": ("smd-2",)}
    assert [layout.contests_of(p) for p in ("P1", "P2", "P3", "P4")] == [
        ("list", "smd-1"),
        ("list", "smd-1"),
        ("list", "smd-2"),
        ("list",),  # abroad: in no single-member district
    ]
    assert layout.contests_of("NOWHERE") == ("list",)
    assert [(c.contest, c.scope) for c in layout.layouts] == [("list", None), ("smd-1", "E1"), ("smd-2", "E2")]


def test_the_fields_come_from_the_preset_and_match_the_fixture_protocols() -> None:
    """Each contest's fields are its preset schema's: the ballot part, then its options (party lists and
    candidates), so the fixture's good protocols fill exactly these columns."""
    layout = _layout_of(MINI.event, MINI.units)
    ballot = ("registered", "received", "issued", "cancelled", "participated", "invalid")
    assert layout.fields[QuestionCode("list")] == (*ballot, "amanat", "auyl", "respublica", "against_all")
    assert layout.fields[QuestionCode("smd-1")] == (*ballot, "c_one", "c_two", "against_all")
    assert layout.fields[QuestionCode("smd-2")] == (*ballot, "c_three", "c_four", "against_all")
    for precinct, contests in MINI.rows().items():
        assert tuple(contests) == layout.contests_of(precinct)
        for contest, counts in contests.items():
            assert set(counts) == set(layout.fields[QuestionCode(contest)]), (precinct, contest)


def test_a_referendum_has_one_contest_everywhere_and_nothing_scoped() -> None:
    layout = _layout_of(SMALL.event, SMALL.units)
    assert (layout.everywhere, layout.scoped) == (("q1",), {})
    assert all(layout.contests_of(p) == ("q1",) for p in SMALL.units.precincts())
    assert layout.fields[QuestionCode("q1")] == (
        "registered",
        "received",
        "issued",
        "cancelled",
        "participated",
        "yes",
        "no",
        "not_counted",
        "invalid",
    )


def test_contests_keep_the_events_order_when_a_district_comes_first() -> None:
    district, question = QuestionCode("d"), QuestionCode("q")
    layout = ProtocolLayout(
        schemas={},
        layouts=(ContestLayout(district, (), UnitCode("R")), ContestLayout(question, ())),
        everywhere=(question,),
        scoped={UnitCode("P1"): (district,)},
    )
    assert layout.contests_of("P1") == (district, question)
    assert layout.contests_of("P2") == (question,)


@st.composite
def rescoped(draw: st.DrawFn) -> tuple[bytes, Territory]:
    """The mini election's contests in any order, its two districts scoped to any units (above precincts)
    of a generated territory."""
    shape = draw(st.lists(st.lists(st.integers(0, 3), min_size=1, max_size=3), min_size=1, max_size=3))
    territory = territory_of(shape, draw(st.integers(0, 2)))
    above = [c for c in territory.walk() if territory[c].kind is not UnitKind.PRECINCT]
    event = json.loads(MINI.event)
    for q in event["questions"]:
        if q["kind"] == "district":
            q["scope"] = draw(st.sampled_from(above))
    event["questions"] = draw(st.permutations(event["questions"]))
    return json.dumps(event).encode(), territory


@settings(max_examples=60, deadline=None)
@given(rescoped())
def test_a_precincts_contests_are_those_whose_scope_holds_it_in_event_order(case: tuple[bytes, Territory]) -> None:
    event, territory = case
    ref = parse_event(event, "event.json")
    layout = protocol_layout(ref, event_rules(ref), territory)
    for precinct in territory.precincts():
        expected = tuple(q.code for q in ref.contests if q.scope is None or precinct in territory.precincts(q.scope))
        assert layout.contests_of(precinct) == expected
    assert set(layout.scoped) <= set(territory.precincts())
    assert all(extra for extra in layout.scoped.values())  # a precinct is listed only with a scoped contest
