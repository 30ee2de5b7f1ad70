"""The pure half of the electronic channel (count/channels.py, spec/counting.md §5), no database: the
mapping's defaults and overrides, what a result contributes (a law: every counted ballot once in took
part and once in a category), and each link as published, pending or counted, from fake link records."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.elections import SMALL

from saylau.count.channels import (
    CHANNEL,
    ChannelMapping,
    channel_contribution,
    channel_sources,
    derive_mapping,
)
from saylau.count.layout import event_rules
from saylau.crypto.ballot import QuestionSpec
from saylau.model import InputError, LifecycleError, QuestionCode

Q1 = QuestionCode("q1")
REF = SMALL.referendum
RULES = event_rules(REF)
SCHEMAS = {q.code: RULES.version.protocol_schema(RULES.settings, q) for q in REF.contests}
TOOK_PART = {Q1: "participated"}
CATEGORIES = ("yes", "no", "not_counted", "invalid")  # kazakhstan.md §2.2: participated == yes + no + …


@dataclass(frozen=True)
class FakeEvent:
    payload: str
    hash: str


@dataclass(frozen=True)
class FakeLink:
    """What the store's ChannelLinkRow offers the channel (count.channels.LinkedRecord)."""

    election: str
    fingerprint: str
    unit: str
    channel: str
    mapping: str
    result: FakeEvent | None = None
    tally: FakeEvent | None = None


def _mapping(options: tuple[str, ...], option_map: dict[str, str] | None = None) -> ChannelMapping:
    return derive_mapping([QuestionSpec("q1", options, 1, 1)], REF, SCHEMAS, option_map=option_map)


def _link(election: str, counts: list[list[int]] | None, ballots: int, *, tally: bool = True) -> FakeLink:
    mapping = json.dumps(_mapping(("yes", "no")).plain())
    result = None if counts is None else FakeEvent(json.dumps({"counts": counts}), f"head-{election}")
    tallied = FakeEvent(json.dumps({"tally": {"ballots": ballots}}), "tally-hash") if tally else None
    return FakeLink(election, f"fp-{election}", "R1-D1", CHANNEL, mapping, result, tallied)


def test_an_option_that_is_no_category_counts_where_it_is_told() -> None:
    mapping = _mapping(("ja", "nein"), {"q1.ja": "yes", "q1.nein": "no"})
    assert mapping.questions[0].options == (("ja", "yes"), ("nein", "no"))
    with pytest.raises(InputError) as err:
        _mapping(("ja", "nein"), {"q1.ja": "yes"})
    assert [(p.rule, p.field) for p in err.value.problems] == [("channel_option", "q1.nein")]


def test_names_map_to_categories_whatever_their_case() -> None:
    mapping = _mapping(("Yes", "NO", "Invalid"))
    assert mapping.questions[0].options == (("Yes", "yes"), ("NO", "no"), ("Invalid", "invalid"))


def test_each_unmatched_e2e_question_is_named_when_there_are_several() -> None:
    specs = [QuestionSpec("a", ("yes", "no"), 1, 1), QuestionSpec("b", ("yes", "no"), 1, 1)]
    with pytest.raises(InputError) as err:
        derive_mapping(specs, REF, SCHEMAS)  # two e2e questions: no "only question" default
    assert sorted((p.rule, p.field) for p in err.value.problems) == [("channel_map", "a"), ("channel_map", "b")]
    assert all("--map" in p.message for p in err.value.problems)


def test_a_mapping_survives_its_stored_json() -> None:
    mapping = _mapping(("yes", "no", "blank"), {"q1.blank": "invalid"})
    assert ChannelMapping.from_json(json.dumps(mapping.plain())) == mapping


@st.composite
def results(draw: st.DrawFn) -> tuple[tuple[str, ...], dict[str, str], list[int]]:
    """Options named like categories or mapped onto one (several may share a category), and counts."""
    named = draw(st.lists(st.sampled_from(CATEGORIES), unique=True, max_size=4))
    extra = [f"other{i}" for i in range(draw(st.integers(0 if named else 1, 3)))]
    options = tuple(draw(st.permutations([*named, *extra])))
    option_map = {f"q1.{o}": draw(st.sampled_from(CATEGORIES)) for o in extra}
    counts = [draw(st.integers(0, 10_000)) for _ in options]
    return options, option_map, counts


@given(results())
def test_every_counted_ballot_counts_once_as_took_part_and_once_in_a_category(
    case: tuple[tuple[str, ...], dict[str, str], list[int]],
) -> None:
    options, option_map, counts = case
    mapping = _mapping(options, option_map)
    ballots = sum(counts)
    brought = channel_contribution(mapping, [counts], ballots, TOOK_PART)[Q1]
    assert brought["participated"] == ballots
    assert sum(n for field, n in brought.items() if field != "participated") == ballots
    assert set(brought) <= {"participated", *CATEGORIES}  # never registered: e-voters are on the register
    for field in CATEGORIES:
        targets = [o for o, f in mapping.questions[0].options if f == field]
        assert brought.get(field, 0) == sum(counts[options.index(o)] for o in targets)


@given(st.lists(st.integers(0, 1_000), min_size=1, max_size=4), st.integers(-5, 5))
def test_a_result_that_is_not_one_choice_per_ballot_is_refused(counts: list[int], off: int) -> None:
    mapping = _mapping(("yes", "no"))
    if len(counts) == 2 and off == 0:
        assert channel_contribution(mapping, [counts], sum(counts), TOOK_PART)[Q1]["participated"] == sum(counts)
        return
    with pytest.raises(LifecycleError) as err:
        channel_contribution(mapping, [counts], sum(counts) + off if len(counts) == 2 else sum(counts), TOOK_PART)
    assert err.value.code == "channel_result_shape"


def test_a_link_without_its_result_or_tally_is_pending_and_brings_nothing() -> None:
    no_result, no_tally = _link("e-1", None, 4), _link("e-2", [[3, 1]], 4, tally=False)
    sources = channel_sources([no_result, no_tally], TOOK_PART)
    assert [(s.election, s.status, s.head, s.ballots, counts) for s, counts in sources] == [
        ("e-1", "pending", None, None, None),
        ("e-2", "pending", None, None, None),
    ]
    assert all(s.questions == {"q1": Q1} and s.unit == "R1-D1" and s.channel == CHANNEL for s, _ in sources)


def test_a_counted_link_names_its_head_and_brings_its_counts_in_link_order() -> None:
    sources = channel_sources([_link("e-1", [[3, 1]], 4), _link("e-2", None, 0)], TOOK_PART)
    (counted, counts), (pending, nothing) = sources
    assert (counted.status, counted.head, counted.ballots, counted.fingerprint) == ("counted", "head-e-1", 4, "fp-e-1")
    assert counts == {Q1: {"participated": 4, "yes": 3, "no": 1}}
    assert (pending.election, pending.status, nothing) == ("e-2", "pending", None)


def test_a_counted_link_whose_result_does_not_add_up_is_refused() -> None:
    with pytest.raises(LifecycleError) as err:
        channel_sources([_link("e-1", [[3, 0]], 4)], TOOK_PART)
    assert err.value.code == "channel_result_shape"
