"""Aggregation of election contests: each contest its own fields; a district contest only in its scope."""

from __future__ import annotations

import pytest
from tests.unit.kz_schema import synthetic_territory

from saylau.count import Aggregator, ContestLayout
from saylau.model import InputError, QuestionCode, UnitCode

BALLOT = ("registered", "participated", "invalid")
LIST = ContestLayout(QuestionCode("list"), (*BALLOT, "amanat", "auyl", "against_all"))
D1 = ContestLayout(QuestionCode("smd-1"), (*BALLOT, "ivanov", "sultanov", "against_all"), UnitCode("R0D0"))
D2 = ContestLayout(QuestionCode("smd-2"), (*BALLOT, "petrova", "against_all"), UnitCode("R0D1"))


def _protocol(district: str, votes: tuple[int, ...]) -> dict[QuestionCode, dict[str, int]]:
    lst = dict(zip(LIST.fields, (1000, 700, 20, 400, 200, 80), strict=True))
    smd = D1 if district == "R0D0" else D2
    return {LIST.contest: lst, smd.contest: dict(zip(smd.fields, (1000, 700, 20, *votes), strict=True))}


def test_each_contest_keeps_its_own_fields_and_district_contests_stay_in_their_scope() -> None:
    territory = synthetic_territory(regions=1, districts=2, precincts=2)
    agg = Aggregator(territory, [LIST, D1, D2])
    agg.set(UnitCode("R0D0P0"), _protocol("R0D0", (300, 350, 30)))
    agg.set(UnitCode("R0D0P1"), _protocol("R0D0", (310, 340, 30)))
    agg.set(UnitCode("R0D1P0"), _protocol("R0D1", (650, 30)))
    d1 = agg.result(UnitCode("R0D0"))
    assert d1.totals[D1.contest]["sultanov"] == 690
    assert D2.contest not in d1.totals  # not on this district's ballots
    country = agg.result(UnitCode("KZ"))
    assert country.totals[LIST.contest]["amanat"] == 1200
    assert D2.contest not in country.totals  # reported in its district only
    assert agg.result(UnitCode("R0D1")).totals[D2.contest]["petrova"] == 650
    assert country.reported == 3
    assert agg.result(UnitCode("R0D1")).missing == ("R0D1P1",)


def test_a_protocol_lacking_a_contest_of_its_own_district_is_refused() -> None:
    territory = synthetic_territory(regions=1, districts=2, precincts=1)
    agg = Aggregator(territory, [LIST, D1, D2])
    protocol = _protocol("R0D0", (300, 350, 30))
    del protocol[D1.contest]
    with pytest.raises(InputError):
        agg.set(UnitCode("R0D0P0"), protocol)


def test_a_contest_listed_twice_is_refused() -> None:
    with pytest.raises(InputError):
        Aggregator(synthetic_territory(regions=1, districts=1, precincts=1), [LIST, LIST])
