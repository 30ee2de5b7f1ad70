"""Laws of aggregation: conservation, order invariance, corrections undone, incremental == one-shot."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.count import Aggregator, aggregate
from saylau.model import QuestionCode, Territory, Unit, UnitCode, UnitKind

Q1, Q2 = QuestionCode("Q1"), QuestionCode("Q2")
QUESTIONS = (Q1, Q2)
FIELDS = ("registered", "participated", "yes", "no", "not_counted", "invalid")
Protocols = dict[UnitCode, dict[QuestionCode, dict[str, int]]]


def territory_of(shape: list[list[int]], abroad: int) -> Territory:
    """Regions with districts of the given numbers of precincts, some precincts directly under a region."""
    units = [Unit(UnitCode("C"), UnitKind.COUNTRY, None)]
    for r, districts in enumerate(shape):
        region = UnitCode(f"R{r}")
        units.append(Unit(region, UnitKind.REGION, UnitCode("C")))
        for d, n in enumerate(districts):
            parent = region if d == 0 else UnitCode(f"{region}D{d}")
            if d:
                units.append(Unit(parent, UnitKind.DISTRICT, region))
            units.extend(Unit(UnitCode(f"{parent}P{p}"), UnitKind.PRECINCT, parent, registered=9) for p in range(n))
    if abroad:
        units.append(Unit(UnitCode("A"), UnitKind.ABROAD, UnitCode("C")))
        units.extend(Unit(UnitCode(f"AP{p}"), UnitKind.PRECINCT, UnitCode("A"), registered=9) for p in range(abroad))
    return Territory.build(units)


@st.composite
def question_counts(draw: st.DrawFn) -> dict[str, int]:
    yes, no, nc, inv = (draw(st.integers(0, 10_000)) for _ in range(4))
    participated = yes + no + nc + inv
    return {
        "registered": participated + draw(st.integers(0, 5_000)),
        "participated": participated,
        "yes": yes,
        "no": no,
        "not_counted": nc,
        "invalid": inv,
    }


protocols_st = st.fixed_dictionaries({Q1: question_counts(), Q2: question_counts()})


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Territory, Protocols]:
    shape = draw(st.lists(st.lists(st.integers(0, 3), min_size=1, max_size=3), min_size=1, max_size=4))
    territory = territory_of(shape, draw(st.integers(0, 2)))
    reported = draw(st.lists(st.sampled_from(territory.precincts()), unique=True)) if territory.precincts() else []
    return territory, {p: draw(protocols_st) for p in reported}


def conserved(counts: dict[str, int]) -> bool:
    return counts["participated"] == counts["yes"] + counts["no"] + counts["not_counted"] + counts["invalid"]


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_conservation_holds_in_every_aggregate(scenario: tuple[Territory, Protocols]) -> None:
    territory, protocols = scenario
    for result in aggregate(territory, QUESTIONS, FIELDS, protocols).values():
        assert all(conserved(dict(result.totals[q])) for q in QUESTIONS)
        assert result.reported + len(result.missing) == result.expected


@settings(max_examples=150, deadline=None)
@given(scenarios(), st.randoms(use_true_random=False), st.data())
def test_order_and_undone_corrections_do_not_matter(scenario, rnd, data) -> None:  # type: ignore[no-untyped-def]
    territory, protocols = scenario
    expected = aggregate(territory, QUESTIONS, FIELDS, protocols)
    order = list(protocols)
    rnd.shuffle(order)
    agg = Aggregator(territory, QUESTIONS, FIELDS)
    for p in order:
        wrong = data.draw(protocols_st)
        agg.set(p, wrong)  # a mistaken version first...
        if data.draw(st.booleans()):
            agg.remove(p)
    for p in reversed(order):
        agg.set(p, protocols[p])  # ...then corrected, in another order
    assert agg.results() == expected


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_incremental_equals_one_shot_and_top_units_sum_to_country(scenario: tuple[Territory, Protocols]) -> None:
    territory, protocols = scenario
    agg = Aggregator(territory, QUESTIONS, FIELDS)
    for p, counts in protocols.items():
        agg.set(p, counts)
    results = agg.results()
    assert results == aggregate(territory, QUESTIONS, FIELDS, protocols)
    country = results[territory.root]
    for q in QUESTIONS:
        for f in FIELDS:
            assert country.totals[q][f] == sum(protocols[p][q][f] for p in protocols)
            assert country.totals[q][f] == sum(results[t].totals[q][f] for t in territory.top_units())
        national, rows = agg.outcome_input(q)
        assert national.participated == sum(r.tally.participated for r in rows)
    assert country.reported == len(protocols)
    assert country.expected == sum(results[t].expected for t in territory.top_units())
