"""The public page where a voter checks their own register entry (spec/register.md §8), in Kazakh,
Russian or English: a form for the identifier and birth date, and the answer (the precinct and the
status) or the one refusal. Pure rendering; no database, no web framework."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from saylau.model import LANGS, Lang
from saylau.publish.site.i18n import LANG_LABELS, strings
from saylau.publish.templating import render

__all__ = ["REGISTER_CHECK_PATH", "WORDS", "render_register_check"]

REGISTER_CHECK_PATH = "/register/check"

WORDS: dict[Lang, dict[str, str]] = {
    "en": {
        "title": "Check your entry in the voter register",
        "note": "Give your identification number (IIN) and birth date: you see your precinct and whether you "
        "are on its list. Nothing about anyone else is shown; attempts are limited.",
        "identifier": "Identification number (IIN)",
        "born": "Birth date",
        "send": "Check",
        "precinct": "Your precinct",
        "status": "Status",
        "not_found": "No entry for this identification number and birth date.",
        "bad_date": "The birth date is not a date (YYYY-MM-DD).",
        "active": "on the list",
        "deceased": "deceased",
        "moved": "moved away",
        "deprived": "deprived of the vote by a court",
    },
    "ru": {
        "title": "Проверьте свою запись в списке избирателей",
        "note": "Укажите ИИН и дату рождения: вы увидите свой участок и внесены ли вы в его список. Сведения о "
        "других лицах не показываются; число попыток ограничено.",
        "identifier": "ИИН",
        "born": "Дата рождения",
        "send": "Проверить",
        "precinct": "Ваш участок",
        "status": "Статус",
        "not_found": "Записи с таким ИИН и датой рождения нет.",
        "bad_date": "Дата рождения указана неверно (ГГГГ-ММ-ДД).",
        "active": "в списке",
        "deceased": "умер",
        "moved": "выбыл",
        "deprived": "лишён права голоса судом",
    },
    "kk": {
        "title": "Сайлаушылар тізіміндегі жазбаңызды тексеріңіз",
        "note": "ЖСН мен туған күніңізді енгізіңіз: учаскеңізді және оның тізімінде бар-жоғыңызды көресіз. "
        "Басқа адамдар туралы мәлімет көрсетілмейді; әрекет саны шектеулі.",
        "identifier": "ЖСН (ИИН)",
        "born": "Туған күні",
        "send": "Тексеру",
        "precinct": "Сіздің учаскеңіз",
        "status": "Мәртебесі",
        "not_found": "Мұндай ЖСН мен туған күнге жазба жоқ.",
        "bad_date": "Туған күн қате көрсетілген (ЖЖЖЖ-АА-КК).",
        "active": "тізімде",
        "deceased": "қайтыс болған",
        "moved": "басқа жерге кеткен",
        "deprived": "сот дауыс беру құқығынан айырған",
    },
}


def render_register_check(
    lang: Lang, *, csrf: str, found: Mapping[str, str] | None = None, problem: str | None = None
) -> str:
    """The form, with the answer to the last check: ``found`` (precinct and status) or ``problem`` (a key
    of WORDS: ``not_found`` or ``bad_date``)."""
    words = WORDS[lang]
    chrome: dict[str, Any] = {
        "lang": lang,
        "t": strings(lang),
        "demo": False,
        "langs": [
            {"code": c, "label": LANG_LABELS[c], "url": f"{REGISTER_CHECK_PATH}?lang={c}", "current": c == lang}
            for c in LANGS
        ],
        "events": [],
        "q": f"?lang={lang}",
    }
    answer = None
    if found is not None:
        answer = {"precinct": found["precinct"], "status": words.get(found["status"], found["status"])}
    return render(
        "site/register_check.html.j2",
        w=words,
        csrf=csrf,
        action=f"{REGISTER_CHECK_PATH}?lang={lang}",
        answer=answer,
        problem=words[problem] if problem is not None else None,
        **chrome,
    )
