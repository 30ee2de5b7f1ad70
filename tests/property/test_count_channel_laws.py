"""Laws of channels (spec/counting.md §5): paper + channels = the sum, in any order, replace and remove
undo exactly, and a channel never counts as an expected or reported precinct."""

from __future__ import annotations

from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.property.test_count_aggregation import (
    FIELDS,
    QUESTIONS,
    Protocols,
    conserved,
    protocols_st,
    scenarios,
)

from saylau.count import Aggregator
from saylau.model import QuestionCode, Territory, UnitCode, UnitKind

Channel = tuple[str, UnitCode, dict[QuestionCode, dict[str, int]]]


@st.composite
def e_counts(draw: st.DrawFn) -> dict[str, int]:
    """What a channel brings: ballots to participated and each one to a category; never registered."""
    yes, no, nc, inv = (draw(st.integers(0, 5_000)) for _ in range(4))
    return {"participated": yes + no + nc + inv, "yes": yes, "no": no, "not_counted": nc, "invalid": inv}


@st.composite
def with_channels(draw: st.DrawFn) -> tuple[Territory, Protocols, list[Channel]]:
    territory, protocols = draw(scenarios())
    above = [c for c in territory.walk() if territory[c].kind is not UnitKind.PRECINCT]
    keys = draw(st.lists(st.tuples(st.sampled_from(("electronic", "mail")), st.sampled_from(above)), unique=True))
    channels = [
        (name, unit, {q: draw(e_counts()) for q in draw(st.sets(st.sampled_from(QUESTIONS), min_size=1))})
        for name, unit in keys
    ]
    return territory, protocols, channels


def _paper(territory: Territory, protocols: Protocols) -> Aggregator:
    agg = Aggregator(territory, QUESTIONS, FIELDS)
    for p, counts in protocols.items():
        agg.set(p, counts)
    return agg


def _expected(territory: Territory, protocols: Protocols, channels: list[Channel], unit: UnitCode) -> dict:
    under = set(territory.walk(unit))
    out = {q: dict.fromkeys(FIELDS, 0) for q in QUESTIONS}
    for p, counts in protocols.items():
        if p in under:
            for q in QUESTIONS:
                for f in FIELDS:
                    out[q][f] += counts[q][f]
    for _, at, counts in channels:
        if at in under:
            for q, per in counts.items():
                for f, v in per.items():
                    out[q][f] += v
    return out


@settings(max_examples=150, deadline=None)
@given(with_channels(), st.randoms(use_true_random=False))
def test_paper_plus_channels_is_the_sum_in_any_order(
    case: tuple[Territory, Protocols, list[Channel]], rnd: Random
) -> None:
    territory, protocols, channels = case
    steps: list[tuple[str, object]] = [("p", p) for p in protocols] + [("c", c) for c in channels]
    rnd.shuffle(steps)
    agg = Aggregator(territory, QUESTIONS, FIELDS)
    for kind, item in steps:
        if kind == "p":
            agg.set(item, protocols[item])  # type: ignore[arg-type]
        else:
            name, unit, counts = item  # type: ignore[misc]
            agg.set_channel(name, unit, counts)
    paper = _paper(territory, protocols)
    for code in territory.walk():
        got, alone = agg.result(code), paper.result(code)
        assert got.totals == _expected(territory, protocols, channels, code)
        # channels never touch the precinct counts
        assert (got.expected, got.reported, got.missing) == (alone.expected, alone.reported, alone.missing)
        # the breakdown: per channel, exactly what it brought at or below
        under = set(territory.walk(code))
        for name in ("electronic", "mail"):
            mine = [c for c in channels if c[0] == name and c[1] in under]
            if not mine:
                assert name not in got.channels
                continue
            for q in QUESTIONS:
                for f in FIELDS:
                    assert got.channels[name][q][f] == sum(c[2].get(q, {}).get(f, 0) for c in mine)
        for q in QUESTIONS:
            for f in FIELDS:
                assert got.totals[q][f] == alone.totals[q][f] + sum(got.channels[n][q][f] for n in got.channels)
        # conservation holds when it holds in every protocol and every channel
        assert all(conserved(got.totals[q]) for q in QUESTIONS)


@settings(max_examples=100, deadline=None)
@given(with_channels(), st.data())
def test_replace_and_remove_undo_exactly(case: tuple[Territory, Protocols, list[Channel]], data: st.DataObject) -> None:
    territory, protocols, channels = case
    agg = _paper(territory, protocols)
    before = agg.results()
    for name, unit, counts in channels:
        other = {q: data.draw(e_counts()) for q in counts}
        agg.set_channel(name, unit, other)
        agg.set_channel(name, unit, counts)  # a replacement: the newest counts, once
    for code in territory.walk():
        assert agg.result(code).totals == _expected(territory, protocols, channels, code)
    for name, unit, _ in channels:
        agg.remove_channel(name, unit)
        agg.remove_channel(name, unit)  # a second removal is a no-op
    assert agg.results() == before
    assert agg.channel_units() == []
    assert all(not r.channels for r in agg.results().values())


@settings(max_examples=50, deadline=None)
@given(scenarios(), protocols_st)
def test_outcome_input_includes_the_channel(case: tuple[Territory, Protocols], extra: dict) -> None:
    territory, protocols = case
    agg = _paper(territory, protocols)
    top = territory.top_units()[0]
    national_before, _ = agg.outcome_input(QUESTIONS[0])
    e = {"participated": 7, "yes": 5, "no": 2}
    agg.set_channel("electronic", top, {QUESTIONS[0]: e})
    national, rows = agg.outcome_input(QUESTIONS[0])
    assert national.yes == national_before.yes + 5
    assert national.participated == national_before.participated + 7
    assert national.registered == national_before.registered  # e-voters are on the paper register
    assert next(r for r in rows if r.unit == top).tally.participated >= 7
