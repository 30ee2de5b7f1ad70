"""Aggregation up the territory: totals, progress, missing precincts, corrections, outcome input."""

from __future__ import annotations

import time
from fractions import Fraction

import pytest
from kz_schema import Q1, kz_counts, synthetic_territory

from saylau.count import Aggregator, aggregate
from saylau.model import STANDARD_FIELDS, InputError, NotFound, QuestionCode, Tally, UnitCode

TERRITORY = synthetic_territory(regions=2, districts=2, precincts=2, abroad=1)
FIELDS = STANDARD_FIELDS


def u(code: str) -> UnitCode:
    return UnitCode(code)


def proto(**kw: int) -> dict[QuestionCode, dict[str, int]]:
    return {Q1: kz_counts(**kw)}


def test_empty_aggregator_expects_every_precinct() -> None:
    agg = Aggregator(TERRITORY, [Q1], FIELDS)
    country = agg.result(u("KZ"))
    assert (country.expected, country.reported, country.complete) == (9, 0, False)
    assert country.missing == TERRITORY.precincts()
    assert country.totals == {Q1: dict.fromkeys(FIELDS, 0)}


def test_totals_and_progress_at_every_level() -> None:
    agg = Aggregator(TERRITORY, [Q1], FIELDS)
    agg.set(u("R0D0P0"), proto())
    agg.set(u("R0D1P1"), proto(yes=400, no=280))
    region = agg.result(u("R0"))
    assert (region.expected, region.reported) == (4, 2)
    assert region.missing == (u("R0D0P1"), u("R0D1P0"))
    assert region.totals[Q1]["yes"] == 900
    assert region.totals[Q1]["participated"] == 1400
    assert agg.result(u("R0D0")).totals[Q1]["no"] == 180
    assert agg.result(u("R0D0P0")).missing == ()
    assert agg.result(u("R0D0P1")).missing == (u("R0D0P1"),)
    assert agg.result(u("KZ")).totals == region.totals


def test_a_correction_replaces_the_previous_version() -> None:
    agg = Aggregator(TERRITORY, [Q1], FIELDS)
    agg.set(u("R1D0P0"), proto(yes=500, no=180))
    agg.set(u("R1D0P0"), proto(yes=180, no=500))
    assert agg.result(u("KZ")).totals[Q1]["yes"] == 180
    assert agg.result(u("KZ")).reported == 1
    agg.remove(u("R1D0P0"))
    assert agg.result(u("KZ")).reported == 0
    assert agg.result(u("KZ")).totals[Q1]["yes"] == 0
    assert not agg.has(u("R1D0P0"))


def test_unknown_units_and_bad_counts_are_refused() -> None:
    agg = Aggregator(TERRITORY, [Q1], FIELDS)
    with pytest.raises(NotFound) as caught:
        agg.set(u("R0"), proto())
    assert caught.value.code == "unknown_precinct"
    with pytest.raises(NotFound):
        agg.result(u("nowhere"))
    bad = kz_counts()
    bad["yes"] = -1
    del bad["no"]
    with pytest.raises(InputError) as refused:
        agg.set(u("R0D0P0"), {Q1: bad})
    assert {p.field for p in refused.value.problems} == {"Q1.yes", "Q1.no"}
    assert not agg.has(u("R0D0P0"))


def test_outcome_input_weights_regions_one_and_abroad_zero() -> None:
    agg = Aggregator(TERRITORY, [Q1], FIELDS)
    for p in TERRITORY.precincts():
        agg.set(p, proto())
    national, rows = agg.outcome_input(Q1)
    assert national == Tally(9000, 6300, 4500, 1620, 45, 135)
    assert [(r.unit, r.weight) for r in rows] == [("R0", Fraction(1)), ("R1", Fraction(1)), ("ABR", Fraction(0))]
    assert Tally.total(r.tally for r in rows) == national
    with pytest.raises(NotFound):
        agg.outcome_input(QuestionCode("Q9"))


def test_outcome_input_needs_the_outcome_fields() -> None:
    agg = Aggregator(TERRITORY, [Q1], ("yes", "no"))
    with pytest.raises(InputError):
        agg.outcome_input(Q1)


def test_one_shot_aggregate_equals_incremental() -> None:
    protocols = {p: proto(yes=400 + i, no=280 - i) for i, p in enumerate(TERRITORY.precincts()[:5])}
    agg = Aggregator(TERRITORY, [Q1], FIELDS)
    for p, counts in protocols.items():
        agg.set(p, counts)
    one_shot = aggregate(TERRITORY, [Q1], FIELDS, protocols)
    assert one_shot == agg.results()
    assert list(one_shot) == list(TERRITORY.walk())


def test_one_more_protocol_is_fast_on_a_national_territory() -> None:
    territory = synthetic_territory(regions=17, districts=20, precincts=30)  # 10,200 precincts
    agg = Aggregator(territory, [Q1], FIELDS)
    precincts = territory.precincts()
    for p in precincts:
        agg.set(p, proto())
    start = time.perf_counter()
    for p in precincts[:1000]:
        agg.set(p, proto(yes=499, no=181))
    per_set = (time.perf_counter() - start) / 1000
    assert per_set < 1e-3
    assert agg.result(territory.root).totals[Q1]["yes"] == 500 * len(precincts) - 1000
