"""UI strings of the observers' parallel check (the copies of precinct protocols) in Kazakh, Russian and
English: the public page per unit, the anonymous form and the observer's form. Given to the templates as
``c`` beside the shared strings ``t``."""

from __future__ import annotations

from collections.abc import Mapping

from saylau.model import LANGS, Lang

__all__ = ["COPY_KEYS", "COPY_UI", "copy_strings"]

COPY_KEYS = (
    "copies", "copies_of", "copies_note", "no_copies", "shown_of", "copy", "submitted_by", "anonymous",
    "submitted_at", "status_equal", "status_different", "status_no_official", "official_version",
    "official", "copy_figure", "breaks_relations", "photo", "official_scan", "submit_copy", "submit_title",
    "submit_note", "label", "label_hint", "photo_hint", "send", "kept", "targeted", "field", "contest",
)  # fmt: skip

COPY_UI: Mapping[Lang, Mapping[str, str]] = {
    "en": {
        "copies": "Observers' copies", "copies_of": "Observers' copies of the protocols",
        "copies_note": (
            "Copies of precinct protocols submitted by observers and citizens, compared with the official entry."
            " A difference never changes the count: it is evidence for an audit or a dispute."
        ),
        "no_copies": "No copy has been submitted for this unit.", "shown_of": "newest shown, of",
        "copy": "Copy", "submitted_by": "Submitted by", "anonymous": "without an account",
        "submitted_at": "Submitted (UTC)", "status_equal": "Equal to the official entry",
        "status_different": "Differs from the official entry", "status_no_official": "No official entry yet",
        "official_version": "official version", "official": "Official", "copy_figure": "Copy",
        "breaks_relations": "This copy breaks control relations", "photo": "Photo of the copy",
        "official_scan": "Scan of the official protocol", "submit_copy": "Submit a copy of this protocol",
        "submit_title": "Copy of the protocol of precinct",
        "submit_note": "Type the figures of the protocol as you copied them and attach a photo of it.",
        "label": "Your label (published; no e-mail, no phone number)", "label_hint": "at most 64 characters",
        "photo_hint": "PNG or JPEG, at most", "send": "Submit the copy", "kept": "The copy was kept",
        "targeted": "Precincts where a copy differs (targeted for the audit)", "field": "Field",
        "contest": "Contest",
    },
    "ru": {
        "copies": "Копии наблюдателей", "copies_of": "Копии протоколов от наблюдателей",
        "copies_note": (
            "Копии протоколов участков, поданные наблюдателями и гражданами, в сравнении с официальным вводом."
            " Расхождение никогда не меняет подсчёт: это основание для аудита или жалобы."
        ),
        "no_copies": "По этой единице копий не подано.", "shown_of": "показаны последние, из",
        "copy": "Копия", "submitted_by": "Подал(а)", "anonymous": "без учётной записи",
        "submitted_at": "Подано (UTC)", "status_equal": "Совпадает с официальным вводом",
        "status_different": "Расходится с официальным вводом", "status_no_official": "Официального ввода ещё нет",
        "official_version": "официальная версия", "official": "Официально", "copy_figure": "Копия",
        "breaks_relations": "Копия нарушает контрольные соотношения", "photo": "Фото копии",
        "official_scan": "Скан официального протокола", "submit_copy": "Подать копию этого протокола",
        "submit_title": "Копия протокола участка",
        "submit_note": "Введите числа протокола так, как вы их списали, и приложите его фото.",
        "label": "Ваша подпись (публикуется; без e-mail и телефона)", "label_hint": "не более 64 символов",
        "photo_hint": "PNG или JPEG, не более", "send": "Подать копию", "kept": "Копия сохранена",
        "targeted": "Участки, где копия расходится (целевые для аудита)", "field": "Строка",
        "contest": "Вопрос",
    },
    "kk": {
        "copies": "Байқаушылардың көшірмелері", "copies_of": "Хаттамалардың байқаушылар көшірмелері",
        "copies_note": (
            "Байқаушылар мен азаматтар берген учаске хаттамаларының көшірмелері, ресми енгізумен салыстырылған."
            " Айырмашылық санақты ешқашан өзгертпейді: ол аудитке немесе шағымға негіз."
        ),
        "no_copies": "Бұл бірлік бойынша көшірме берілмеген.", "shown_of": "соңғылары көрсетілген, барлығы",
        "copy": "Көшірме", "submitted_by": "Берген", "anonymous": "тіркелгісіз",
        "submitted_at": "Берілген уақыты (UTC)", "status_equal": "Ресми енгізумен сәйкес",
        "status_different": "Ресми енгізуден өзгеше", "status_no_official": "Ресми енгізу әлі жоқ",
        "official_version": "ресми нұсқа", "official": "Ресми", "copy_figure": "Көшірме",
        "breaks_relations": "Көшірме бақылау арақатынастарын бұзады", "photo": "Көшірменің суреті",
        "official_scan": "Ресми хаттаманың сканы", "submit_copy": "Осы хаттаманың көшірмесін беру",
        "submit_title": "Учаске хаттамасының көшірмесі",
        "submit_note": "Хаттаманың сандарын көшіргеніңіздей енгізіп, оның суретін тіркеңіз.",
        "label": "Сіздің белгіңіз (жарияланады; e-mail мен телефонсыз)", "label_hint": "64 таңбадан аспайды",
        "photo_hint": "PNG немесе JPEG, ең көбі", "send": "Көшірмені беру", "kept": "Көшірме сақталды",
        "targeted": "Көшірмесі өзгеше учаскелер (аудитке мақсатты)", "field": "Жол",
        "contest": "Сұрақ",
    },
}  # fmt: skip


def copy_strings(lang: Lang) -> Mapping[str, str]:
    return COPY_UI[lang]


def _check() -> None:
    for lang in LANGS:
        missing = set(COPY_KEYS).symmetric_difference(COPY_UI[lang])
        if missing:  # a programming error, caught by the tests at import time
            raise RuntimeError(f"copy strings for {lang} differ from the keys: {sorted(missing)}")


_check()
