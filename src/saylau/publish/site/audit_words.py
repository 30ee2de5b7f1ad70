"""The audit plan's sentences in Kazakh, Russian and English, said from the plan's structured facts.

The planner records each assertion's statement and the reason the hardest assertion is hardest in English
(``audit.assertions``, ``audit.plan``; the record and ``plan.json`` keep those words). The pages say them
in the page's language from the terms beside them in ``audit.json`` (spec/audit.md §15): an assertion's
``terms`` {``num``, ``den``, ``op``, ``threshold`` ("p/q"), ``holds``}, its ``unit`` and ``unit_names``,
its ``method`` and exact ``margin``. In English the sentences are the planner's own, word for word.

Grammar: the numerator is said in the nominative and the denominator as the language needs it after the
share (English "of …", Russian "от …" with the genitive plural, Kazakh the genitive before the share:
"жарамды дауыстардың 50%").
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from saylau.model import LANGS, Lang
from saylau.model.numbers import percent
from saylau.rules.decide import threshold_str

__all__ = ["QUANTITIES", "WORDS", "method_text", "statement_text", "unit_text", "why_hardest_text"]

QUANTITIES = ("registered", "participants", "yes", "no", "valid", "not_counted", "invalid")

_NOUNS: Mapping[Lang, Mapping[str, tuple[str, str]]] = {  # quantity: (as the numerator, as the denominator)
    "en": {
        "registered": ("registered voters", "registered voters"),
        "participants": ("participants", "participants"),
        "yes": ("Yes votes", "Yes votes"),
        "no": ("No votes", "No votes"),
        "valid": ("valid votes", "valid votes"),
        "not_counted": ("ballots not counted", "ballots not counted"),
        "invalid": ("invalid ballots", "invalid ballots"),
    },
    "ru": {
        "registered": ("избиратели в списках", "избирателей в списках"),
        "participants": ("участники голосования", "участников голосования"),
        "yes": ("голоса «за»", "голосов «за»"),
        "no": ("голоса «против»", "голосов «против»"),
        "valid": ("действительные голоса", "действительных голосов"),
        "not_counted": ("неучтённые бюллетени", "неучтённых бюллетеней"),
        "invalid": ("недействительные бюллетени", "недействительных бюллетеней"),
    },
    "kk": {
        "registered": ("тізімдегі сайлаушылар", "тізімдегі сайлаушылардың"),
        "participants": ("дауыс беруге қатысушылар", "дауыс беруге қатысушылардың"),
        "yes": ("«Иә» дауыстары", "«Иә» дауыстарының"),
        "no": ("«Жоқ» дауыстары", "«Жоқ» дауыстарының"),
        "valid": ("жарамды дауыстар", "жарамды дауыстардың"),
        "not_counted": ("есепке алынбаған бюллетеньдер", "есепке алынбаған бюллетеньдердің"),
        "invalid": ("жарамсыз бюллетеньдер", "жарамсыз бюллетеньдердің"),
    },
}

WORDS: Mapping[Lang, Mapping[str, str]] = {
    "en": {
        "share": "{num} {op} {t} of {den}",
        "negation": "not ({text})",
        "where": " in unit {unit}",
        "why": (
            "{statement}{where} has the smallest diluted margin, {margin}: the sample size grows as 1/margin, so it"
            " sets the size of the audit; the {others} other sampled assertion(s) are confirmed by fewer ballots"
        ),
        "why_none": "nothing needs a sample: every assertion holds whatever the ballots say or is a reconciliation",
        "method_sample": "sample",
        "method_reconciliation": "reconciliation",
    },
    "ru": {
        "share": "{num} {op} {t} от {den}",
        "negation": "неверно, что {text}",
        "where": " (единица: {unit})",
        "why": (
            "{statement}{where}: наименьший разбавленный запас, {margin}; объём выборки растёт как 1/запас,"
            " поэтому это утверждение задаёт объём аудита; остальные выборочные утверждения ({others})"
            " подтверждаются меньшим числом бюллетеней"
        ),
        "why_none": (
            "выборка не нужна: каждое утверждение верно при любых бюллетенях или проверяется сверкой с числом"
            " избирателей"
        ),
        "method_sample": "выборка",
        "method_reconciliation": "сверка",
    },
    "kk": {
        "share": "{num} {op} {den} {t}",
        "negation": "орындалмайды: {text}",
        "where": " (бірлік: {unit})",
        "why": (
            "{statement}{where}: сұйылтылған маржасы ең кіші, {margin}; іріктеме көлемі 1/маржа ретінде өседі,"
            " сондықтан аудит көлемін осы тұжырым анықтайды; іріктелетін қалған тұжырымдар ({others}) азырақ"
            " бюллетеньмен расталады"
        ),
        "why_none": (
            "іріктеме қажет емес: әр тұжырым бюллетеньдерге қарамастан орындалады немесе сайлаушылар санымен"
            " салыстыру арқылы тексеріледі"
        ),
        "method_sample": "іріктеме",
        "method_reconciliation": "салыстыру",
    },
}


def _lang(lang: str) -> Lang:
    return next((x for x in LANGS if x == lang), "en")


def _fraction(text: str) -> Fraction:
    return Fraction(text)  # "p/q" as public_json writes it


def statement_text(x: Mapping[str, Any], lang: str) -> str:
    """An assertion's statement (``x``: one of ``audit.json``'s ``plan.assertions``) in ``lang``."""
    lg = _lang(lang)
    terms = x["terms"]
    nouns, words = _NOUNS[lg], WORDS[lg]
    text = words["share"].format(
        num=nouns[terms["num"]][0],
        op=terms["op"],
        t=threshold_str(_fraction(terms["threshold"])),
        den=nouns[terms["den"]][1],
    )
    return text if terms["holds"] else words["negation"].format(text=text)


def unit_text(x: Mapping[str, Any], lang: str) -> str:
    """An assertion's unit as the page names it: its name in ``lang`` and its code ("" for the nation)."""
    unit = x.get("unit")
    if not unit:
        return ""
    names: Mapping[str, str] = x.get("unit_names") or {}
    name = names.get(_lang(lang)) or names.get("en")
    return f"{name} ({unit})" if name and name != unit else str(unit)


def method_text(method: str, lang: str) -> str:
    """An assertion's method (``sample`` or ``reconciliation``) in ``lang``."""
    return WORDS[_lang(lang)][f"method_{method}"]


def why_hardest_text(plan: Mapping[str, Any], lang: str) -> str:
    """Why the hardest assertion sets the audit's size (``plan``: ``audit.json``'s ``plan``) in ``lang``:
    in English the planner's words (``audit.plan``), in kk and ru the same facts in their words."""
    lg = _lang(lang)
    words = WORDS[lg]
    assertions = plan["assertions"]
    hardest = next((a for a in assertions if a["id"] == plan["hardest"]), None)
    if hardest is None:
        return words["why_none"]
    sampled = sum(1 for a in assertions if a["method"] == "sample" and not a["trivial"])
    unit = hardest["unit"] if lg == "en" else unit_text(hardest, lg)
    return words["why"].format(
        statement=statement_text(hardest, lg),
        where=words["where"].format(unit=unit) if hardest["unit"] else "",
        margin=percent(_fraction(hardest["margin"])),
        others=sampled - 1,
    )
