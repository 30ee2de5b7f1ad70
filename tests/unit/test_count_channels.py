"""Channels in the aggregation (spec/counting.md §5) and the mapping of e2e options onto a preset's
counting categories: examples and every refusal."""

from __future__ import annotations

import pytest
from tests.integration.small import GOOD, TERRITORY, event_bytes

from saylau.count import Aggregator, ContestLayout
from saylau.count.channels import channel_contribution, counting_categories, derive_mapping
from saylau.count.layout import event_rules
from saylau.crypto.ballot import QuestionSpec
from saylau.io import parse_event, parse_territory
from saylau.model import InputError, NotFound, QuestionCode, UnitCode

Q1 = QuestionCode("q1")
FIELDS = ("registered", "received", "issued", "cancelled", "participated", "yes", "no", "not_counted", "invalid")
TERR = parse_territory(TERRITORY.encode(), "t.csv", "csv")
REF = parse_event(event_bytes(), "event.json")
RULES = event_rules(REF)
SCHEMAS = {q.code: RULES.version.protocol_schema(RULES.settings, q) for q in REF.contests}


def _paper() -> Aggregator:
    agg = Aggregator(TERR, [Q1], FIELDS)
    for p, row in GOOD.items():
        agg.set(UnitCode(p), {Q1: dict(zip(FIELDS, row, strict=True))})
    return agg


def test_a_channel_at_a_district_reaches_its_region_and_the_country_only() -> None:
    agg = _paper()
    agg.set_channel("electronic", UnitCode("R1-D1"), {Q1: {"participated": 10, "yes": 7, "no": 3}})
    district, region, other, country = (agg.result(UnitCode(u)) for u in ("R1-D1", "R1", "R2", "KZ"))
    assert district.totals[Q1]["yes"] == 500 + 400 + 7
    assert region.totals[Q1]["participated"] == 690 + 600 + 10
    assert country.totals[Q1]["no"] == 150 + 180 + 560 + 40 + 10 + 3
    assert country.totals[Q1]["registered"] == 3500  # the channel brings nothing to the register
    assert other.channels == {}
    assert Q1 in country.channels["electronic"]
    assert country.channels["electronic"][Q1]["yes"] == 7
    assert (district.expected, district.reported, district.missing) == (2, 2, ())
    assert agg.result(UnitCode("P1")).channels == {}


def test_a_channel_is_refused_at_a_precinct_and_outside_the_territory() -> None:
    agg = _paper()
    with pytest.raises(InputError) as err:
        agg.set_channel("electronic", UnitCode("P1"), {Q1: {"yes": 1}})
    assert err.value.problems[0].rule == "channel_unit"
    with pytest.raises(NotFound):
        agg.set_channel("electronic", UnitCode("NOPE"), {Q1: {"yes": 1}})
    with pytest.raises(InputError):
        agg.set_channel("", UnitCode("R1"), {Q1: {"yes": 1}})


def test_bad_channel_counts_are_all_named() -> None:
    agg = _paper()
    with pytest.raises(InputError) as err:
        agg.set_channel("electronic", UnitCode("R1"), {Q1: {"yes": -1, "maybe": 2}, QuestionCode("q9"): {}})
    rules = sorted(p.rule for p in err.value.problems)
    assert rules == ["channel_contest", "channel_field", "count"]
    assert agg.result(UnitCode("KZ")).totals == _paper().result(UnitCode("KZ")).totals  # nothing half applied


def test_a_scoped_contest_takes_a_channel_inside_its_scope_only() -> None:
    layout = [ContestLayout(Q1, ("participated", "yes", "no"), scope=UnitCode("R1"))]
    agg = Aggregator(TERR, layout)
    agg.set_channel("electronic", UnitCode("R1-D1"), {Q1: {"participated": 1, "yes": 1}})
    assert agg.result(UnitCode("R1")).totals[Q1]["yes"] == 1
    with pytest.raises(InputError) as err:
        agg.set_channel("electronic", UnitCode("R2"), {Q1: {"participated": 1, "yes": 1}})
    assert err.value.problems[0].rule == "channel_scope"


def test_the_categories_come_from_the_protocols_sum_relation() -> None:
    took_part, categories = counting_categories(SCHEMAS[Q1], REF.preset)
    assert took_part == "participated"
    assert categories == ("yes", "no", "not_counted", "invalid")


def test_yes_and_no_map_by_name_and_the_only_question_by_default() -> None:
    spec = QuestionSpec("ballot", ("yes", "no"), 1, 1)
    mapping = derive_mapping([spec], REF, SCHEMAS)
    (q,) = mapping.questions
    assert (q.question, q.contest, q.options) == ("ballot", Q1, (("yes", "yes"), ("no", "no")))
    assert channel_contribution(mapping, [[7, 3]], 10, {Q1: "participated"}) == {
        Q1: {"participated": 10, "yes": 7, "no": 3}
    }


def test_blank_needs_a_category_of_the_preset() -> None:
    spec = QuestionSpec("q1", ("yes", "no", "blank"), 1, 1)
    with pytest.raises(InputError) as err:
        derive_mapping([spec], REF, SCHEMAS)
    (problem,) = err.value.problems
    assert problem.field == "q1.blank"
    assert "kz-constitutional" in problem.message
    assert "blank" in problem.message
    # where the law counts blank ballots as invalid (kazakhstan.md, 2022 amendment), say so explicitly
    mapping = derive_mapping([spec], REF, SCHEMAS, option_map={"q1.blank": "invalid"})
    assert mapping.questions[0].options[2] == ("blank", "invalid")


def test_every_mapping_problem_is_named_at_once() -> None:
    specs = [QuestionSpec("a", ("yes", "no", "maybe"), 0, 2), QuestionSpec("b", ("yes", "no"), 1, 1)]
    with pytest.raises(InputError) as err:
        derive_mapping(
            specs,
            REF,
            SCHEMAS,
            question_map={"a": "q1", "b": "q1", "zz": "q1"},
            option_map={"a.yes": "no", "a.nope": "yes", "b.no": "registered"},
        )
    found = sorted((p.rule, p.field) for p in err.value.problems)
    assert found == [
        ("channel_map", "q1"),  # two e2e questions onto one event question
        ("channel_map", "zz"),  # not an e2e question
        ("channel_option", "a.maybe"),  # no category by that name
        ("channel_option", "a.nope"),  # not an option
        ("channel_option", "a.yes"),  # yes counts as yes only
        ("channel_option", "b.no"),  # no counts as no only
        ("channel_selections", "a"),  # not exactly one selection
    ]


def test_an_unknown_event_question_is_refused() -> None:
    with pytest.raises(InputError) as err:
        derive_mapping([QuestionSpec("x", ("yes", "no"), 1, 1)], REF, SCHEMAS, question_map={"x": "q7"})
    assert "q7" in err.value.problems[0].message


def test_a_result_that_does_not_add_up_is_refused() -> None:
    mapping = derive_mapping([QuestionSpec("q1", ("yes", "no"), 1, 1)], REF, SCHEMAS)
    with pytest.raises(Exception, match="does not add up"):
        channel_contribution(mapping, [[7, 2]], 10, {Q1: "participated"})
