"""An election contest's audit plan in Kazakh, Russian and English, said from the plan's structured facts
(spec/audit.md §15; the assertions of §3a).

The planner records each assertion's statement and why the hardest is hardest in English with the options'
codes (``audit.elections``, ``audit.contest``; the record and ``plan.json`` keep them). The pages say them in
the page's language from ``audit.json``'s ``plan``: each assertion's ``terms`` (``tag`` one of
``winner_over_loser``, ``threshold``, ``divisor_seat``, ``quota_seat``, with the facts of its kind), its exact
``margin``, and the options' names (``plan.options``), so that a party or a candidate is named as the ballot
names it. An assertion without terms (none the producer makes) is said in the planner's words.

Grammar: the options' names are said as they are (in quotes when the language needs it), never inflected;
the sentences are built so that no case ending falls on a name: Russian "у «…»", "место № n списка «…»",
Kazakh "«…» алған дауыстар", "«…» тізіміндегі № n орын".
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from saylau.model import LANGS, Lang
from saylau.model.numbers import percent
from saylau.rules.decide import threshold_str

__all__ = [
    "CONTEST_WORDS",
    "contest_outcome_text",
    "contest_statement_text",
    "contest_why_text",
    "field_text",
    "option_text",
    "scope_text",
]

CONTEST_WORDS: Mapping[Lang, Mapping[str, str]] = {
    "en": {
        "winner_over_loser": "{winner} has more votes than {loser}",
        "threshold_over": "{party} reaches the {t} threshold ({op} {t} of {base})",
        "threshold_under": "{party} stays under the {t} threshold (not {op} {t} of {base})",
        "base_all": "the votes for every option",
        "base_parties": "the parties' votes",
        "divisor_seat": "{a}'s seat {s} (votes/{d}) beats {b}'s seat {s2} (votes/{d2}), {method}",
        "quota_seat": (
            "{a}'s seat {s} (votes/quota − {s_1}) beats {b}'s seat {s2} (votes/quota − {s2_1}), quota = qualified"
            " votes/{m}"
        ),
        "quota_bound": " + 1 at most (claim > {k})",
        "dhondt": "D'Hondt",
        "sainte_lague": "Sainte-Laguë",
        "why": (
            "{statement} has the smallest diluted margin, {margin}: the sample size grows as 1/margin, so it sets"
            " the size of the audit; the {others} other assertion(s) are confirmed by fewer ballots"
        ),
        "why_none": "nothing needs a sample: the contest has a single option",
        "seats": "{name}: {n}",
        "winner": "winner: {name}",
        "nobody": "nobody elected",
        "nation": "the whole country",
        "invalid": "Invalid or blank",
        "against_all": "Against all",
    },
    "ru": {
        "winner_over_loser": "у {winner} больше голосов, чем у {loser}",
        "threshold_over": "{party} преодолевает порог {t} ({op} {t} от {base})",
        "threshold_under": "{party} не преодолевает порог {t} (неверно, что {op} {t} от {base})",
        "base_all": "голосов за все варианты",
        "base_parties": "голосов за партии",
        "divisor_seat": (
            "место № {s} списка {a} (голоса/{d}) опережает место № {s2} списка {b} (голоса/{d2}), {method}"
        ),
        "quota_seat": (
            "место № {s} списка {a} (голоса/квота − {s_1}) опережает место № {s2} списка {b} (голоса/квота − {s2_1}),"
            " квота = голоса допущенных партий/{m}"
        ),
        "quota_bound": " + 1 не более (требуется > {k})",
        "dhondt": "метод Д’Ондта",
        "sainte_lague": "метод Сент-Лагю",
        "why": (
            "{statement}: наименьший разбавленный запас, {margin}; объём выборки растёт как 1/запас, поэтому это"
            " утверждение задаёт объём аудита; остальные утверждения ({others}) подтверждаются меньшим числом"
            " бюллетеней"
        ),
        "why_none": "выборка не нужна: в контесте один вариант",
        "seats": "{name}: {n}",
        "winner": "победитель: {name}",
        "nobody": "никто не избран",
        "nation": "вся страна",
        "invalid": "Недействительные или пустые",
        "against_all": "Против всех",
    },
    "kk": {
        "winner_over_loser": "{winner} алған дауыстар {loser} алған дауыстардан көп",
        "threshold_over": "{party} {t} шегінен өтеді ({base} {t} {op})",
        "threshold_under": "{party} {t} шегінен өтпейді (орындалмайды: {base} {t} {op})",
        "base_all": "барлық нұсқаларға берілген дауыстардың",
        "base_parties": "партияларға берілген дауыстардың",
        "divisor_seat": (
            "{a} тізіміндегі № {s} орын (дауыстар/{d}) {b} тізіміндегі № {s2} орыннан (дауыстар/{d2}) озады, {method}"
        ),
        "quota_seat": (
            "{a} тізіміндегі № {s} орын (дауыстар/квота − {s_1}) {b} тізіміндегі № {s2} орыннан (дауыстар/квота −"
            " {s2_1}) озады, квота = өткен партиялардың дауыстары/{m}"
        ),
        "quota_bound": " + 1 артық емес (талап: > {k})",
        "dhondt": "Д’Ондт әдісі",
        "sainte_lague": "Сент-Лагю әдісі",
        "why": (
            "{statement}: сұйылтылған маржасы ең кіші, {margin}; іріктеме көлемі 1/маржа ретінде өседі, сондықтан"
            " аудит көлемін осы тұжырым анықтайды; қалған тұжырымдар ({others}) азырақ бюллетеньмен расталады"
        ),
        "why_none": "іріктеме қажет емес: контесте бір ғана нұсқа бар",
        "seats": "{name}: {n}",
        "winner": "жеңімпаз: {name}",
        "nobody": "ешкім сайланбады",
        "nation": "бүкіл ел",
        "invalid": "Жарамсыз немесе бос",
        "against_all": "Барлығына қарсы",
    },
}


def _lang(lang: str) -> Lang:
    return next((x for x in LANGS if x == lang), "en")


def option_text(plan: Mapping[str, Any], code: str, lang: str) -> str:
    """An option's name on the ballot in ``lang`` (English, then "against all" in ``lang`` for that option,
    then its code, where it has none)."""
    lg = _lang(lang)
    for o in plan["options"]:
        if o["code"] == code:
            names: Mapping[str, str] = o["names"]
            fallback = CONTEST_WORDS[lg]["against_all"] if o["kind"] == "against_all" else code
            return names.get(lg) or names.get("en") or fallback
    return code


def field_text(plan: Mapping[str, Any], field: str, lang: str) -> str:
    """A hand count's field: an option's name, or the ballots for no option."""
    return CONTEST_WORDS[_lang(lang)]["invalid"] if field == "invalid" else option_text(plan, field, lang)


def _quoted(plan: Mapping[str, Any], code: str, lg: Lang) -> str:
    name = option_text(plan, code, lg)
    return name if lg == "en" else f"«{name}»" if not name.startswith(("«", '"')) else name


def contest_statement_text(x: Mapping[str, Any], plan: Mapping[str, Any], lang: str) -> str:
    """An assertion of the contest's plan (``x``: one of ``plan.assertions``) in ``lang``."""
    lg = _lang(lang)
    w = CONTEST_WORDS[lg]
    t = x.get("terms")
    if t is None:
        return str(x["statement"])

    def name(code: str) -> str:
        return _quoted(plan, code, lg)

    match t["tag"]:
        case "winner_over_loser":
            return w["winner_over_loser"].format(winner=name(t["winner"]), loser=name(t["loser"]))
        case "threshold":
            key = "threshold_over" if t["over"] else "threshold_under"
            share = threshold_str(Fraction(t["share"]))
            return w[key].format(party=name(t["party"]), t=share, op=t["op"], base=w[f"base_{t['base']}"])
        case "divisor_seat":
            return w["divisor_seat"].format(a=name(t["winner"]), s=t["seat"], d=t["divisor"], b=name(t["loser"]),
                                            s2=t["next_seat"], d2=t["next_divisor"], method=w[t["method"]])  # fmt: skip
        case "quota_seat":
            k = Fraction(t["k"])
            text = w["quota_seat"].format(a=name(t["winner"]), s=t["seat"], s_1=t["seat"] - 1, b=name(t["loser"]),
                                          s2=t["next_seat"], s2_1=t["next_seat"] - 1, m=t["m"])  # fmt: skip
            return text + (w["quota_bound"].format(k=f"{k.numerator}/{k.denominator}" if k.denominator > 1
                                                   else str(k.numerator)) if k else "")  # fmt: skip
    return str(x["statement"])


def contest_why_text(plan: Mapping[str, Any], lang: str) -> str:
    """Why the hardest assertion sets the audit's size, in ``lang`` (the planner's facts: the hardest
    statement, its diluted margin, how many other assertions there are)."""
    lg = _lang(lang)
    w = CONTEST_WORDS[lg]
    assertions = plan["assertions"]
    hardest = next((a for a in assertions if a["id"] == plan["hardest"]), None)
    if hardest is None:
        return w["why_none"]
    return w["why"].format(
        statement=contest_statement_text(hardest, plan, lg),
        margin=percent(Fraction(hardest["margin"])),
        others=len(assertions) - 1,
    )


def contest_outcome_text(plan: Mapping[str, Any], lang: str) -> str:
    """The reported outcome: a party list's seats (most first), or a district's winner."""
    lg = _lang(lang)
    w = CONTEST_WORDS[lg]
    if plan["kind"] == "party_list":
        seats: Mapping[str, int] = plan["seats"] or {}
        ranked = sorted(seats, key=lambda p: (-seats[p], p))
        return " · ".join(w["seats"].format(name=option_text(plan, p, lg), n=seats[p]) for p in ranked)
    winner = plan["winner"]
    return w["winner"].format(name=option_text(plan, winner, lg)) if winner else w["nobody"]


def scope_text(plan: Mapping[str, Any], lang: str) -> str:
    """The contest's scope: the whole country, or its unit's name (and code)."""
    lg = _lang(lang)
    if plan["scope"] == "nation":
        return CONTEST_WORDS[lg]["nation"]
    names: Mapping[str, str] = plan.get("scope_names") or {}
    name = names.get(lg) or names.get("en")
    return f"{name} ({plan['scope']})" if name and name != plan["scope"] else str(plan["scope"])
