"""UI strings of the public pages in Kazakh, Russian and English. Unit names come from the territory."""

from __future__ import annotations

from collections.abc import Mapping

from saylau.model import LANGS, Lang

__all__ = ["LANG_LABELS", "UI", "strings"]

LANG_LABELS: Mapping[Lang, str] = {"kk": "Қазақша", "ru": "Русский", "en": "English"}

_KEYS = (
    "site", "results", "national", "took_part", "registered", "turnout", "yes", "no", "not_counted", "invalid",
    "status_provisional", "status_final", "status_certified", "reported", "precincts_reported", "unit",
    "children", "outcome", "adopted", "rejected", "not_valid", "explanation", "demo", "demo_label", "question",
    "translation", "events", "no_events", "live", "votes", "share", "seats", "party_lists", "districts",
    "winner", "no_winner", "language", "home", "error", "breadcrumbs", "of", "lead",
    "turnout_day", "turnout_note", "turnout_table", "no_turnout", "turnout_summed", "live_updated",
    "versions", "versions_note",
    "protocol_scan", "protocol_scans", "forensics",
)  # fmt: skip

UI: Mapping[Lang, Mapping[str, str]] = {
    "en": {
        "site": "Referendum and election results", "results": "Results", "national": "National result",
        "took_part": "Took part", "registered": "Registered voters", "turnout": "Turnout", "yes": "Yes",
        "no": "No", "not_counted": "Not counted", "invalid": "Invalid", "status_provisional": "PROVISIONAL",
        "status_final": "FINAL", "status_certified": "CERTIFIED", "reported": "Reported",
        "precincts_reported": "Precincts reported", "unit": "Unit", "children": "Subdivisions",
        "outcome": "Outcome", "adopted": "Adopted", "rejected": "Not adopted", "not_valid": "Not valid",
        "explanation": "Why (rules applied)", "question": "Question", "translation": "translation, not official",
        "demo": "this is a reconstruction of the 2022 constitutional referendum, not official data.",
        "demo_label": "DEMO",
        "events": "Events", "no_events": "No event in this database yet.", "live": "Updated live",
        "votes": "Votes", "share": "Share", "seats": "Seats", "party_lists": "Party lists",
        "districts": "Single-member districts", "winner": "Elected", "no_winner": "No one elected",
        "language": "Language", "home": "Home", "error": "Error", "breadcrumbs": "You are here", "of": "of",
        "lead": "Leading",
        "turnout_day": "Turnout during the day",
        "turnout_note": (
            "Share of registered voters who had voted by each reporting hour (local time), as reported by the"
            " commissions."
        ),
        "turnout_table": "Turnout by unit at each reporting hour",
        "no_turnout": "No turnout report yet.", "turnout_summed": "sum of the subdivisions' reports",
        "live_updated": "Figures updated",
        "versions": "Protocol versions and corrections",
        "versions_note": "every accepted version of this precinct's protocol, with the reason of each correction",
        "protocol_scan": "Scan of the signed protocol", "protocol_scans": "Protocol scans (each accepted version)",
        "forensics": "Statistical checks (forensics)",
    },
    "ru": {
        "site": "Итоги референдумов и выборов", "results": "Итоги", "national": "Итоги по стране",
        "took_part": "Приняли участие", "registered": "Избирателей в списках", "turnout": "Явка", "yes": "Да",
        "no": "Нет", "not_counted": "Неучтённые", "invalid": "Недействительные",
        "status_provisional": "ПРЕДВАРИТЕЛЬНЫЕ", "status_final": "ОКОНЧАТЕЛЬНЫЕ",
        "status_certified": "УТВЕРЖДЁННЫЕ", "reported": "Поступило",
        "precincts_reported": "Участков обработано", "unit": "Единица", "children": "Подразделения",
        "outcome": "Результат", "adopted": "Принято", "rejected": "Не принято",
        "not_valid": "Не состоялся", "explanation": "Почему (применённые нормы)", "question": "Вопрос",
        "translation": "перевод, не официальный текст",
        "demo": "это реконструкция конституционного референдума 2022 года, не официальные данные.",
        "demo_label": "ДЕМО",
        "events": "События", "no_events": "В базе данных пока нет событий.", "live": "Обновляется онлайн",
        "votes": "Голоса", "share": "Доля", "seats": "Мандаты", "party_lists": "Партийные списки",
        "districts": "Одномандатные округа", "winner": "Избран", "no_winner": "Никто не избран",
        "language": "Язык", "home": "Главная", "error": "Ошибка", "breadcrumbs": "Вы здесь", "of": "из",
        "lead": "Лидирует",
        "turnout_day": "Явка в течение дня",
        "turnout_note": (
            "Доля избирателей из списков, проголосовавших к каждому часу (местное время), по данным комиссий."
        ),
        "turnout_table": "Явка по единицам на каждый час",
        "no_turnout": "Данных о явке пока нет.", "turnout_summed": "сумма данных подразделений",
        "live_updated": "Данные обновлены",
        "versions": "Версии протокола и исправления",
        "versions_note": "каждая принятая версия протокола участка с причиной каждого исправления",
        "protocol_scan": "Скан подписанного протокола", "protocol_scans": "Сканы протокола (каждая принятая версия)",
        "forensics": "Статистические проверки",
    },
    "kk": {
        "site": "Референдумдар мен сайлаулардың қорытындылары", "results": "Қорытындылар",
        "national": "Ел бойынша қорытынды", "took_part": "Қатысты", "registered": "Тізімдегі сайлаушылар",
        "turnout": "Қатысу деңгейі", "yes": "Иә", "no": "Жоқ", "not_counted": "Есепке алынбаған",
        "invalid": "Жарамсыз", "status_provisional": "АЛДЫН АЛА", "status_final": "ТҮПКІЛІКТІ",
        "status_certified": "БЕКІТІЛГЕН", "reported": "Түсті", "precincts_reported": "Өңделген учаскелер",
        "unit": "Бірлік", "children": "Бөлімшелер", "outcome": "Нәтиже", "adopted": "Қабылданды",
        "rejected": "Қабылданбады", "not_valid": "Өтпеді", "explanation": "Неге (қолданылған нормалар)",
        "question": "Сұрақ", "translation": "аударма, ресми мәтін емес",
        "demo": "бұл 2022 жылғы конституциялық референдумның реконструкциясы, ресми деректер емес.",
        "demo_label": "ДЕМО",
        "events": "Оқиғалар", "no_events": "Дерекқорда әзірге оқиға жоқ.", "live": "Тікелей жаңартылады",
        "votes": "Дауыстар", "share": "Үлесі", "seats": "Мандаттар", "party_lists": "Партиялық тізімдер",
        "districts": "Бір мандатты округтер", "winner": "Сайланды", "no_winner": "Ешкім сайланбады",
        "language": "Тіл", "home": "Басты бет", "error": "Қате", "breadcrumbs": "Сіз мұндасыз", "of": "/",
        "lead": "Алда",
        "turnout_day": "Күн ішіндегі қатысу деңгейі",
        "turnout_note": (
            "Комиссиялардың деректері бойынша әр сағатқа қарай (жергілікті уақыт) дауыс берген"
            " сайлаушылардың үлесі."
        ),
        "turnout_table": "Әр сағаттағы бірліктер бойынша қатысу деңгейі",
        "no_turnout": "Қатысу деңгейі туралы деректер әзірге жоқ.", "turnout_summed": "бөлімшелер деректерінің сомасы",
        "live_updated": "Деректер жаңартылды",
        "versions": "Хаттама нұсқалары мен түзетулер",
        "versions_note": "учаске хаттамасының әр қабылданған нұсқасы, әр түзетудің себебімен",
        "protocol_scan": "Қол қойылған хаттаманың сканы",
        "protocol_scans": "Хаттама сканы (әр қабылданған нұсқа)",
        "forensics": "Статистикалық тексерулер",
    },
}  # fmt: skip


def strings(lang: Lang) -> Mapping[str, str]:
    return UI[lang]


def _check() -> None:
    for lang in LANGS:
        missing = set(_KEYS).symmetric_difference(UI[lang])
        if missing:  # a programming error, caught by the tests at import time
            raise RuntimeError(f"UI strings for {lang} differ from the keys: {sorted(missing)}")


_check()
