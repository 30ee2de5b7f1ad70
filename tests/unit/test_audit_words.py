"""The audit plan's sentences in kk/ru/en (publish.site.audit_words): said from the structured terms of
``audit.json``, in English word for word the planner's recorded statement and reason; in Kazakh and
Russian with no English word left; for every condition kind a shipped preset gives (a share of the valid
votes, a quorum of the register, a turnout reconciliation, a double majority, each holding or failing)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from saylau.audit import AuditPlan, plan_question
from saylau.model import LANGS
from saylau.model.ids import QuestionCode
from saylau.model.tally import Tally, UnitRow
from saylau.publish.site.audit_words import (
    QUANTITIES,
    WORDS,
    method_text,
    statement_text,
    unit_text,
    why_hardest_text,
)
from saylau.rules import load_preset
from saylau.services.audit.plan_facts import plan_facts

Q = QuestionCode("Q1")
ENGLISH = re.compile(r"\b(votes|ballots|voters|of|not|unit|margin|sample|participants|registered)\b")


def _plan(preset: str, national: Tally, units: list[UnitRow]) -> AuditPlan:
    return plan_question(load_preset(preset).versions[0], {}, Q, national, units)


def _plans() -> list[AuditPlan]:
    kz_units = [UnitRow(f"U{i:02d}", Tally(600_000, 400_000, 250_000 + 5_000 * i, 140_000 - 5_000 * i, 0, 10_000))
                for i in range(17)]  # fmt: skip
    cantons = [UnitRow(f"C{i:02d}", Tally(1_000, 800, 300 if i < 14 else 500, 500 if i < 14 else 300))
               for i in range(23)]  # fmt: skip
    return [
        _plan("kz-constitutional", Tally(11_734_642, 7_985_769, 6_163_516, 1_483_150, 0, 339_103), kz_units),
        _plan("tw", Tally(1_000_000, 400_000, 300_000, 90_000, 0, 10_000), []),  # an approval quorum, holding
        _plan("tw", Tally(1_000_000, 300_000, 200_000, 90_000, 0, 10_000), []),  # the quorum failing
        _plan("it-abrogative", Tally(1_000, 400, 300, 100), []),  # a reconciliation only: no hardest
        _plan("ch-double-majority", Tally(23_000, 18_400, 300 * 14 + 500 * 9 + 100_000, 500 * 14 + 300 * 9), cantons),
    ]


def _facts(plan: AuditPlan) -> dict[str, Any]:
    return plan_facts(plan, None)


@pytest.mark.parametrize("plan", _plans(), ids=lambda p: f"{p.preset}-{'adopted' if p.adopted else 'not'}")
def test_english_is_the_planners_own_words(plan: AuditPlan) -> None:
    facts = _facts(plan)
    for x in facts["assertions"]:
        assert statement_text(x, "en") == x["statement"]
    assert why_hardest_text(facts, "en") == plan.why_hardest


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("plan", _plans(), ids=lambda p: f"{p.preset}-{'adopted' if p.adopted else 'not'}")
def test_kazakh_and_russian_say_the_same_facts_in_their_own_words(plan: AuditPlan, lang: str) -> None:
    facts = _facts(plan)
    for x in facts["assertions"]:
        text = statement_text(x, lang)
        assert not ENGLISH.search(text), text
        assert x["terms"]["op"] in text
        negated = WORDS[lang]["negation"].split("{text}")[0]  # type: ignore[index]
        assert text.startswith(negated) == (not x["terms"]["holds"])
        assert method_text(x["method"], lang) != x["method"]
    why = why_hardest_text(facts, lang)
    assert not ENGLISH.search(why), why
    if plan.hardest is not None:
        hardest = next(x for x in facts["assertions"] if x["id"] == plan.hardest.id)
        assert statement_text(hardest, lang) in why
        assert (hardest["unit"] or "") in why


def test_the_kz_2022_plan_in_each_language() -> None:
    facts = _facts(_plans()[0])
    yes = next(x for x in facts["assertions"] if x["id"] == "national_yes")
    assert statement_text(yes, "en") == "Yes votes > 50% of participants"
    assert statement_text(yes, "ru") == "голоса «за» > 50% от участников голосования"
    assert statement_text(yes, "kk") == "«Иә» дауыстары > дауыс беруге қатысушылардың 50%"
    assert why_hardest_text(facts, "ru").startswith("голоса «за» > 50% от участников голосования (единица: U05): ")
    assert "(бірлік: U05)" in why_hardest_text(facts, "kk")


def test_a_failing_condition_and_a_named_unit() -> None:
    (quorum,) = _facts(_plans()[2])["assertions"]
    assert statement_text(quorum, "en") == "not (Yes votes >= 25% of registered voters)"
    assert statement_text(quorum, "ru") == "неверно, что голоса «за» >= 25% от избирателей в списках"
    assert statement_text(quorum, "kk") == "орындалмайды: «Иә» дауыстары >= тізімдегі сайлаушылардың 25%"
    named = {"unit": "R1", "unit_names": {"en": "North", "ru": "Север", "kk": "Солтүстік"}}
    assert [unit_text(named, lang) for lang in ("en", "ru", "kk")] == ["North (R1)", "Север (R1)", "Солтүстік (R1)"]
    assert unit_text({"unit": "R1", "unit_names": {}}, "kk") == "R1"
    assert unit_text({"unit": None, "unit_names": {}}, "ru") == ""


@pytest.mark.parametrize("lang", LANGS)
def test_every_quantity_has_its_words(lang: str) -> None:
    for num in QUANTITIES:
        for den in QUANTITIES:
            terms = {"num": num, "den": den, "op": ">", "threshold": "1/2", "holds": True}
            assert statement_text({"terms": terms}, lang).strip()
    assert set(WORDS[lang]) == set(WORDS["en"])  # type: ignore[index]
