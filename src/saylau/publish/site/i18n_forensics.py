"""UI strings of the forensics page and figures in Kazakh, Russian and English (spec/forensics.md §13).

The caveat and the synthetic note translate the core's (``saylau.forensics.CAVEAT``, ``SYNTHETIC_NOTE``);
the English ones are the core's own words.
"""

from __future__ import annotations

from collections.abc import Mapping

from saylau.forensics.results import CAVEAT, SYNTHETIC_NOTE
from saylau.model import LANGS, Lang

__all__ = ["FORENSICS_KEYS", "FORENSICS_UI", "forensics_strings"]

FORENSICS_KEYS = (
    "forensics", "forensics_title", "caveat", "synthetic", "synthetic_label", "weak", "contest", "winner_examined",
    "precincts", "analysed", "excluded", "exclusions", "reason", "region", "check", "result", "flagged",
    "not_flagged", "not_assessed", "skipped", "seed", "download_json", "not_examined", "reason_special", "reason_small",
    "reason_no_votes", "reason_over_registered", "check_fingerprint", "check_turnout", "check_share",
    "check_turnout_heaping", "check_share_heaping", "check_second_digit", "check_last_digit", "check_outliers",
    "check_channels", "figure", "fig_fingerprint", "fig_fingerprint_desc", "fig_turnout", "fig_share",
    "fig_hist_desc", "fig_digits", "fig_digits_desc", "fig_slopes", "fig_slopes_desc", "axis_turnout",
    "axis_share", "axis_precincts", "axis_digit", "axis_share_of_counts", "axis_slope", "digit_second_digit",
    "digit_last_digit", "national_slope", "outliers", "none", "status", "dip_between_regions",
    "dip_regions_flagged", "digit_mad",
)  # fmt: skip

FORENSICS_UI: Mapping[Lang, Mapping[str, str]] = {
    "en": {
        "forensics": "Forensics", "forensics_title": "Statistical checks of the precinct results",
        "caveat": CAVEAT, "synthetic": SYNTHETIC_NOTE, "synthetic_label": "SYNTHETIC DATA",
        "weak": "weak evidence", "contest": "Contest", "winner_examined": "Share examined",
        "precincts": "Precincts with a protocol", "analysed": "Analysed", "excluded": "Left out",
        "exclusions": "Precincts left out of the distribution checks", "reason": "Reason", "region": "Region",
        "check": "Check", "result": "Result", "flagged": "flagged", "not_flagged": "not flagged",
        "skipped": "not run",
        "not_assessed": "not assessed (too few precincts for the fit)",
        "seed": "Seed of the Monte Carlo parts", "download_json": "All figures (JSON)",
        "not_examined": "Not examined",
        "reason_special": "special precinct", "reason_small": "fewer registered voters than the minimum",
        "reason_no_votes": "no valid vote", "reason_over_registered": "more ballots than voters or votes than ballots",
        "check_fingerprint": "Fingerprint and fraud fit (Klimek et al. 2012)",
        "check_turnout": "Turnout: unimodality (dip test)", "check_share": "Winner's share: unimodality (dip test)",
        "check_turnout_heaping": "Turnout at integer percentages (Kobak et al. 2016)",
        "check_share_heaping": "Share at integer percentages (Kobak et al. 2016)",
        "check_second_digit": "Second digits (Benford)", "check_last_digit": "Last digits (uniform)",
        "check_outliers": "Precincts with very high turnout and share", "check_channels": "Paper against e-ballots",
        "figure": "Figure",
        "fig_fingerprint": "Fingerprint: turnout against the winner's share",
        "fig_fingerprint_desc": (
            "Each cell counts the precincts at that turnout and share (darker: more). Fitted incremental fraud"
            " {fi}%, extreme fraud {fe}%; excess kurtosis of turnout {k}."
        ),
        "fig_turnout": "Turnout of the precincts (0.1-point bins)",
        "fig_share": "Winner's share of the precincts (0.1-point bins)",
        "fig_hist_desc": "Mean {mean}%, standard deviation {sd} points, dip test p = {p}.",
        "fig_digits": "Digits of the vote counts against their expectation (weak evidence)",
        "fig_digits_desc": "Bars: the observed share of each digit; red marks: the expected share.",
        "fig_slopes": "Slope of the winner's share on turnout, by region",
        "fig_slopes_desc": "One bar per region from zero to its least-squares slope; dashed: the national slope.",
        "axis_turnout": "Turnout, %", "axis_share": "Winner's share, %", "axis_precincts": "Precincts",
        "axis_digit": "Digit", "axis_share_of_counts": "Share of counts", "axis_slope": "Slope",
        "digit_second_digit": "Second digit", "digit_last_digit": "Last digit", "national_slope": "National",
        "outliers": "Outlier precincts", "none": "none", "status": "Status of the results",
        "dip_between_regions": (
            "with each region's precincts centred on its median the distribution is unimodal (p = {p}): the"
            " bimodality is between regions, regions at different levels mixed"
        ),
        "dip_regions_flagged": "bimodal within {k} of the {m} regions tested (Holm-corrected): {regions}",
        "digit_mad": "mean absolute deviation {mad} (flags above {floor})",
    },
    "ru": {
        "forensics": "Статистика", "forensics_title": "Статистические проверки итогов по участкам",
        "caveat": (
            "Эти проверки выявляют аномалии, а не фальсификации. Стратегическое или блоковое голосование, очень"
            " малые участки, особые участки (больницы, за рубежом, воинские части) и честные региональные различия"
            " тоже дают сигналы; участки, исключённые из проверок распределений, перечислены с причинами."
            " Проверки цифр — слабое доказательство. Статистика дополняет аудиты с ограничением риска и"
            " наблюдателей, но не заменяет их."
        ),
        "synthetic": "Эти данные синтетические (реконструкция или моделирование), а не подсчёт комиссии.",
        "synthetic_label": "СИНТЕТИЧЕСКИЕ ДАННЫЕ", "weak": "слабое доказательство", "contest": "Вопрос или список",
        "winner_examined": "Исследуемая доля", "precincts": "Участков с протоколом", "analysed": "Проанализировано",
        "excluded": "Исключено", "exclusions": "Участки, исключённые из проверок распределений",
        "reason": "Причина", "region": "Регион", "check": "Проверка", "result": "Результат",
        "flagged": "сигнал", "not_flagged": "нет сигнала", "skipped": "не проводилась",
        "not_assessed": "не оценивается (слишком мало участков для подгонки)",
        "seed": "Начальное число методов Монте-Карло", "download_json": "Все показатели (JSON)",
        "not_examined": "Не исследовано",
        "reason_special": "особый участок", "reason_small": "избирателей меньше минимума",
        "reason_no_votes": "нет действительных голосов",
        "reason_over_registered": "бюллетеней больше, чем избирателей, или голосов больше, чем бюллетеней",
        "check_fingerprint": "Отпечаток и модель фальсификаций (Климек и др., 2012)",
        "check_turnout": "Явка: унимодальность (dip-тест)", "check_share": "Доля победителя: унимодальность (dip-тест)",
        "check_turnout_heaping": "Явка на целых процентах (Кобак и др., 2016)",
        "check_share_heaping": "Доля на целых процентах (Кобак и др., 2016)",
        "check_second_digit": "Вторые цифры (Бенфорд)", "check_last_digit": "Последние цифры (равномерно)",
        "check_outliers": "Участки с очень высокой явкой и долей", "check_channels": "Бумага и электронные бюллетени",
        "figure": "Показатель",
        "fig_fingerprint": "Отпечаток: явка и доля победителя",
        "fig_fingerprint_desc": (
            "Каждая клетка — число участков с такой явкой и долей (темнее — больше). Оценка постепенных"
            " фальсификаций {fi}%, крайних {fe}%; эксцесс явки {k}."
        ),
        "fig_turnout": "Явка на участках (интервалы 0,1 пункта)",
        "fig_share": "Доля победителя на участках (интервалы 0,1 пункта)",
        "fig_hist_desc": "Среднее {mean}%, стандартное отклонение {sd} пункта, dip-тест p = {p}.",
        "fig_digits": "Цифры числа голосов и их ожидаемые частоты (слабое доказательство)",
        "fig_digits_desc": "Столбцы — наблюдаемая доля каждой цифры; красные отметки — ожидаемая.",
        "fig_slopes": "Наклон доли победителя по явке, по регионам",
        "fig_slopes_desc": "Столбец на регион от нуля до наклона МНК; пунктир — наклон по стране.",
        "axis_turnout": "Явка, %", "axis_share": "Доля победителя, %", "axis_precincts": "Участков",
        "axis_digit": "Цифра", "axis_share_of_counts": "Доля чисел", "axis_slope": "Наклон",
        "digit_second_digit": "Вторая цифра", "digit_last_digit": "Последняя цифра", "national_slope": "По стране",
        "outliers": "Выделяющиеся участки", "none": "нет", "status": "Статус итогов",
        "dip_between_regions": (
            "если сдвинуть участки каждого региона к его медиане, распределение одномодально (p = {p}):"
            " двугорбость возникает между регионами, из смеси регионов с разным уровнем"
        ),
        "dip_regions_flagged": "двугорбость внутри {k} из {m} проверенных регионов (поправка Холма): {regions}",
        "digit_mad": "среднее абсолютное отклонение {mad} (сигнал выше {floor})",
    },
    "kk": {
        "forensics": "Статистика", "forensics_title": "Учаскелер нәтижелерін статистикалық тексеру",
        "caveat": (
            "Бұл тексерулер бұрмалауды емес, ауытқуларды көрсетеді. Стратегиялық немесе блоктық дауыс беру, өте"
            " шағын учаскелер, ерекше учаскелер (ауруханалар, шетелде, әскери бөлімдер) және адал өңірлік"
            " айырмашылықтар да белгі береді; таралу тексерулерінен шығарылған учаскелер себептерімен көрсетілген."
            " Цифрлар тексерулері — әлсіз дәлел. Статистика тәуекелі шектелген аудиттер мен байқаушыларды"
            " толықтырады, бірақ оларды алмастырмайды."
        ),
        "synthetic": "Бұл деректер синтетикалық (қайта құрастыру немесе модельдеу), комиссияның есебі емес.",
        "synthetic_label": "СИНТЕТИКАЛЫҚ ДЕРЕКТЕР", "weak": "әлсіз дәлел", "contest": "Сұрақ немесе тізім",
        "winner_examined": "Зерттелетін үлес", "precincts": "Хаттамасы бар учаскелер", "analysed": "Талданды",
        "excluded": "Шығарылды", "exclusions": "Таралу тексерулерінен шығарылған учаскелер",
        "reason": "Себебі", "region": "Өңір", "check": "Тексеру", "result": "Нәтиже",
        "flagged": "белгі бар", "not_flagged": "белгі жоқ", "skipped": "жүргізілмеді",
        "not_assessed": "бағаланбайды (сәйкестендіру үшін учаскелер тым аз)",
        "seed": "Монте-Карло бөліктерінің бастапқы саны", "download_json": "Барлық көрсеткіштер (JSON)",
        "not_examined": "Зерттелмеді",
        "reason_special": "ерекше учаске", "reason_small": "сайлаушылар саны ең аз шектен кем",
        "reason_no_votes": "жарамды дауыс жоқ",
        "reason_over_registered": "бюллетень сайлаушыдан немесе дауыс бюллетеньнен көп",
        "check_fingerprint": "Саусақ ізі және бұрмалау моделі (Климек және т.б., 2012)",
        "check_turnout": "Қатысу: бір шыңдылық (dip-тест)", "check_share": "Жеңімпаз үлесі: бір шыңдылық (dip-тест)",
        "check_turnout_heaping": "Бүтін пайыздағы қатысу (Кобак және т.б., 2016)",
        "check_share_heaping": "Бүтін пайыздағы үлес (Кобак және т.б., 2016)",
        "check_second_digit": "Екінші цифрлар (Бенфорд)", "check_last_digit": "Соңғы цифрлар (бірқалыпты)",
        "check_outliers": "Қатысуы мен үлесі өте жоғары учаскелер",
        "check_channels": "Қағаз және электрондық бюллетеньдер",
        "figure": "Көрсеткіш",
        "fig_fingerprint": "Саусақ ізі: қатысу және жеңімпаз үлесі",
        "fig_fingerprint_desc": (
            "Әр ұяшық — осындай қатысу мен үлесі бар учаскелер саны (қоюы — көбі). Біртіндеп бұрмалау бағасы"
            " {fi}%, шектен тыс бұрмалау {fe}%; қатысу эксцессі {k}."
        ),
        "fig_turnout": "Учаскелердегі қатысу (0,1 пункт аралықтар)",
        "fig_share": "Учаскелердегі жеңімпаз үлесі (0,1 пункт аралықтар)",
        "fig_hist_desc": "Орташа {mean}%, стандартты ауытқу {sd} пункт, dip-тест p = {p}.",
        "fig_digits": "Дауыс сандарының цифрлары және күтілетін жиіліктер (әлсіз дәлел)",
        "fig_digits_desc": "Бағандар — әр цифрдың байқалған үлесі; қызыл белгілер — күтілетіні.",
        "fig_slopes": "Жеңімпаз үлесінің қатысуға көлбеуі, өңірлер бойынша",
        "fig_slopes_desc": "Әр өңірге нөлден ең кіші квадраттар көлбеуіне дейін баған; үзік сызық — ел бойынша.",
        "axis_turnout": "Қатысу, %", "axis_share": "Жеңімпаз үлесі, %", "axis_precincts": "Учаскелер",
        "axis_digit": "Цифр", "axis_share_of_counts": "Сандар үлесі", "axis_slope": "Көлбеу",
        "digit_second_digit": "Екінші цифр", "digit_last_digit": "Соңғы цифр", "national_slope": "Ел бойынша",
        "outliers": "Ерекшеленетін учаскелер", "none": "жоқ", "status": "Нәтижелер мәртебесі",
        "dip_between_regions": (
            "әр өңірдің учаскелерін оның медианасына жылжытқанда таралу бір шыңды (p = {p}): екі шыңдылық"
            " өңірлер арасында, деңгейі әртүрлі өңірлердің қоспасынан туады"
        ),
        "dip_regions_flagged": "тексерілген {m} өңірдің {k} өңірінде екі шыңды (Холм түзетуі): {regions}",
        "digit_mad": "орташа абсолюттік ауытқу {mad} ({floor} жоғары болса белгі)",
    },
}  # fmt: skip


def forensics_strings(lang: Lang) -> Mapping[str, str]:
    return FORENSICS_UI[lang]


def _check() -> None:
    for lang in LANGS:
        missing = set(FORENSICS_KEYS).symmetric_difference(FORENSICS_UI[lang])
        if missing:  # a programming error, caught by the tests at import time
            raise RuntimeError(f"forensics strings for {lang} differ from the keys: {sorted(missing)}")


_check()
