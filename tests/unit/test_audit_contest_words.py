"""An election contest's audit plan in kk/ru/en (publish.site.audit_contest_words, spec/audit.md §15): every
assertion kind of §3a — a district's winner over a loser, a threshold crossed and not crossed (of every option's
votes and of the parties'), a last seat by D'Hondt and Sainte-Laguë, by largest remainders (Hare) and by the
floored Droop quota's bound — said from its structured ``terms`` with the options' names in the page's
language, never their codes; Russian and Kazakh with no English word; why the hardest is hardest in each."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import pytest

from saylau.audit import OptionAssertion, allocation_assertions, district_assertions, party_list_assertions
from saylau.model import LANGS
from saylau.publish.site.audit_contest_words import (
    contest_outcome_text,
    contest_statement_text,
    contest_why_text,
    field_text,
    option_text,
    scope_text,
)
from saylau.seats import Method, SeatRules, Threshold
from saylau.services.audit.contest_facts import terms_json

NAMES = {
    "a": {"en": "Alpha", "ru": "Альфа", "kk": "Альфа"},
    "b": {"en": "Beta", "ru": "Бета", "kk": "Бета"},
    "c": {"en": "Gamma", "ru": "Гамма", "kk": "Гамма"},
}
VOTES = {"a": 5_000, "b": 3_000, "c": 400, "x": 600}  # x: "against all"
SEATS = {"a": 6, "b": 3, "c": 0}
ENGLISH = re.compile(r"\b(votes|seat|beats|quota|reaches|stays|threshold|more|than|winner|of|not|the)\b")


def _plan(assertions: tuple[OptionAssertion, ...], kind: str = "party_list") -> dict[str, Any]:
    options = [{"code": o, "kind": "party", "names": n} for o, n in NAMES.items()]
    options.append({"code": "x", "kind": "against_all", "names": {}})
    return {
        "kind": kind,
        "scope": "nation",
        "scope_names": {},
        "options": options,
        "seats": SEATS if kind == "party_list" else None,
        "winner": "a" if kind == "district" else None,
        "assertions": [
            {"id": a.id, "statement": a.statement, "margin": str(a.margin), "terms": terms_json(a.terms)}
            for a in assertions
        ],
        "hardest": assertions[0].id if assertions else None,
    }


def _said(plan: dict[str, Any], ident: str, lang: str) -> str:
    return contest_statement_text(next(x for x in plan["assertions"] if x["id"] == ident), plan, lang)


RULES = SeatRules(Method.HARE, Threshold(Fraction(1, 20)))
DROOP = SeatRules(Method.DROOP, Threshold(Fraction(1, 20), base="parties"))
CASES = {  # (assertions, id, {lang: the sentence})
    "winner_over_loser": (
        district_assertions(VOTES, 10_000),
        "a>b",
        {"en": "Alpha has more votes than Beta", "ru": "у «Альфа» больше голосов, чем у «Бета»",
         "kk": "«Альфа» алған дауыстар «Бета» алған дауыстардан көп"},
    ),
    "against_all": (
        district_assertions(VOTES, 10_000),
        "a>x",
        {"en": "Alpha has more votes than Against all", "ru": "у «Альфа» больше голосов, чем у «Против всех»",
         "kk": "«Альфа» алған дауыстар «Барлығына қарсы» алған дауыстардан көп"},
    ),
    "threshold_over": (
        allocation_assertions(VOTES, SEATS, 10_000, RULES, non_parties=frozenset({"x"})),
        "threshold:b",
        {"en": "Beta reaches the 5% threshold (≥ 5% of the votes for every option)",
         "ru": "«Бета» преодолевает порог 5% (≥ 5% от голосов за все варианты)",
         "kk": "«Бета» 5% шегінен өтеді (барлық нұсқаларға берілген дауыстардың 5% ≥)"},
    ),
    "threshold_under": (
        allocation_assertions(VOTES, SEATS, 10_000, DROOP, non_parties=frozenset({"x"})),
        "threshold:c",
        {"en": "Gamma stays under the 5% threshold (not ≥ 5% of the parties' votes)",
         "ru": "«Гамма» не преодолевает порог 5% (неверно, что ≥ 5% от голосов за партии)",
         "kk": "«Гамма» 5% шегінен өтпейді (орындалмайды: партияларға берілген дауыстардың 5% ≥)"},
    ),
    "dhondt": (
        party_list_assertions(VOTES, SEATS, 10_000, "dhondt", Fraction(1, 20)),
        "seat:a>b",
        {"en": "Alpha's seat 6 (votes/6) beats Beta's seat 4 (votes/4), D'Hondt",
         "ru": "место № 6 списка «Альфа» (голоса/6) опережает место № 4 списка «Бета» (голоса/4), метод Д’Ондта",
         "kk": "«Альфа» тізіміндегі № 6 орын (дауыстар/6) «Бета» тізіміндегі № 4 орыннан (дауыстар/4) озады, "
               "Д’Ондт әдісі"},
    ),
    "sainte_lague": (
        party_list_assertions(VOTES, SEATS, 10_000, "sainte_lague"),
        "seat:b>a",
        {"en": "Beta's seat 3 (votes/5) beats Alpha's seat 7 (votes/13), Sainte-Laguë",
         "ru": "место № 3 списка «Бета» (голоса/5) опережает место № 7 списка «Альфа» (голоса/13), метод Сент-Лагю",
         "kk": "«Бета» тізіміндегі № 3 орын (дауыстар/5) «Альфа» тізіміндегі № 7 орыннан (дауыстар/13) озады, "
               "Сент-Лагю әдісі"},
    ),
    "hare": (
        allocation_assertions(VOTES, SEATS, 10_000, RULES, non_parties=frozenset({"x"})),
        "seat:a>b",
        {"en": "Alpha's seat 6 (votes/quota − 5) beats Beta's seat 4 (votes/quota − 3), quota = qualified votes/9",
         "ru": "место № 6 списка «Альфа» (голоса/квота − 5) опережает место № 4 списка «Бета» (голоса/квота − 3), "
               "квота = голоса допущенных партий/9",
         "kk": "«Альфа» тізіміндегі № 6 орын (дауыстар/квота − 5) «Бета» тізіміндегі № 4 орыннан (дауыстар/квота − "
               "3) озады, квота = өткен партиялардың дауыстары/9"},
    ),
    "droop_bound": (
        allocation_assertions(VOTES, SEATS, 10_000, DROOP, non_parties=frozenset({"x"})),
        "seat:a>b",
        {"en": "Alpha's seat 6 (votes/quota − 5) beats Beta's seat 4 (votes/quota − 3), quota = qualified votes/10"
               " + 1 at most (claim > 20)",
         "ru": "место № 6 списка «Альфа» (голоса/квота − 5) опережает место № 4 списка «Бета» (голоса/квота − 3), "
               "квота = голоса допущенных партий/10 + 1 не более (требуется > 20)",
         "kk": "«Альфа» тізіміндегі № 6 орын (дауыстар/квота − 5) «Бета» тізіміндегі № 4 орыннан (дауыстар/квота − "
               "3) озады, квота = өткен партиялардың дауыстары/10 + 1 артық емес (талап: > 20)"},
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("lang", LANGS)
def test_every_assertion_kind_is_said_in_each_language(case: str, lang: str) -> None:
    assertions, ident, sentences = CASES[case]
    plan = _plan(assertions, "district" if case in ("winner_over_loser", "against_all") else "party_list")
    said = _said(plan, ident, lang)
    assert said == sentences[lang]
    assert not any(code in re.findall(r"\w+", said) for code in ("a", "b", "c", "x"))  # names, never codes
    if lang != "en":
        assert not ENGLISH.search(said), said


@pytest.mark.parametrize("lang", LANGS)
def test_why_the_hardest_is_hardest_names_it_its_margin_and_the_others(lang: str) -> None:
    assertions = allocation_assertions(VOTES, SEATS, 10_000, RULES, non_parties=frozenset({"x"}))
    plan = _plan(assertions)
    why = contest_why_text(plan, lang)
    hardest = _said(plan, assertions[0].id, lang)
    assert why.startswith(hardest)
    assert f"({len(assertions) - 1})" in why or f"the {len(assertions) - 1} other" in why
    assert re.search(r"\d+\.\d\d%", why)
    if lang != "en":
        assert not ENGLISH.search(why.replace(hardest, "")), why
    empty = _plan(())
    assert contest_why_text(empty, lang) != contest_why_text(plan, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_outcome_scope_and_fields_are_said_by_name(lang: str) -> None:
    plan = _plan(district_assertions(VOTES, 10_000), "party_list")
    outcome = contest_outcome_text(plan, lang)
    assert outcome.startswith(f"{NAMES['a'][lang]}: 6 · {NAMES['b'][lang]}: 3")
    district = _plan(district_assertions(VOTES, 10_000), "district")
    assert NAMES["a"][lang] in contest_outcome_text(district, lang)
    assert contest_outcome_text(district | {"winner": None}, lang) not in ("", contest_outcome_text(district, lang))
    assert scope_text(plan, lang) != "nation"
    assert scope_text(plan | {"scope": "E1", "scope_names": {"en": "District 1"}}, lang) == "District 1 (E1)"
    assert field_text(plan, "b", lang) == NAMES["b"][lang]
    assert field_text(plan, "invalid", lang) not in ("invalid", "")
    assert option_text(plan, "x", lang) not in ("x", "")


def test_an_assertion_without_terms_is_said_in_the_planners_words() -> None:
    plan = _plan(district_assertions(VOTES, 10_000), "district")
    x = plan["assertions"][0] | {"terms": None}
    assert contest_statement_text(x, plan, "kk") == x["statement"]
