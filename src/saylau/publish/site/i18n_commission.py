"""UI strings of the commission pages (log in, board, protocol entry, upload, audit log) in Kazakh,
Russian and English; merged over the public pages' strings (``saylau.publish.site.i18n``) for the shared layout.

Protocol field labels name the lines of the preset's protocol schema (shared/reference/kazakhstan.md §2.2:
the statutory wording of the Kazakh referendum protocol was not found, so the labels are descriptive, not
quoted); a field with no label here is shown by its code.
"""

from __future__ import annotations

from collections.abc import Mapping

from saylau.model import LANGS, Lang

__all__ = ["ACCOUNTS_UI", "COMMISSION_KEYS", "COMMISSION_UI", "FIELD_LABELS", "commission_strings", "field_label"]

COMMISSION_KEYS = (
    "commission", "signed_in_as", "log_out", "log_in", "login_title", "name", "password", "wrong_login",
    "event", "phase", "completeness", "upload_csv", "audit_log", "accounts_log", "unit", "missing",
    "awaiting_second_entry", "mismatch", "accepted", "implausible", "precinct", "parent", "state", "version",
    "warnings", "warning", "move_to", "one_time_code", "change_phase", "protocol", "protocol_of", "accepted_version",
    "on_register", "your_entry", "version_accepted", "mismatch_note", "differences", "contest", "field",
    "open_round", "keyed_already", "reason", "one_time_code_accept", "enter", "relations_hold",
    "scan", "scan_hint", "scan_required", "scans", "scan_kept", "no_scans", "sha256", "download",
    "upload_title", "upload_heading", "upload_help", "report", "line", "result", "refused_nothing",
    "problem", "csv_file", "paste_it", "enter_batch", "audit_heading", "audit_accounts", "when_utc", "who",
    "what", "outcome", "details", "state_missing", "state_awaiting_second", "state_mismatch", "state_accepted",
    "decision_agreed", "phase_setup", "phase_voting", "phase_counting", "phase_provisional", "phase_final",
    "phase_certified", "megabytes", "petitions",
)  # fmt: skip

COMMISSION_UI: Mapping[Lang, Mapping[str, str]] = {
    "en": {
        "petitions": "Petitions",
        "commission": "Commission", "signed_in_as": "Signed in as", "log_out": "Log out", "log_in": "Log in",
        "login_title": "Commission log in", "name": "Name", "password": "Password",
        "wrong_login": "Wrong name or password.", "event": "Event", "phase": "Phase",
        "completeness": "Completeness", "upload_csv": "Upload CSV", "audit_log": "Audit log",
        "accounts_log": "Log of accounts and sessions", "unit": "Unit", "missing": "Missing",
        "awaiting_second_entry": "Awaiting second entry", "mismatch": "Mismatch", "accepted": "Accepted",
        "implausible": "implausible", "precinct": "Precinct", "parent": "Parent", "state": "State",
        "version": "Version", "warnings": "Warnings", "warning": "Warning", "move_to": "Move to",
        "one_time_code": "One-time code", "change_phase": "Change phase", "protocol": "Protocol",
        "protocol_of": "Protocol of precinct", "accepted_version": "accepted version",
        "on_register": "on the register", "your_entry": "Your entry", "version_accepted": "accepted",
        "mismatch_note": (
            "It differs from an earlier entry; a district or central member will see the differences and a"
            " further entry resolves it."
        ),
        "differences": "Differences between the entries of the open round", "contest": "Contest",
        "field": "Field", "open_round": "Open round: keyed by",
        "keyed_already": "You keyed this round already; the next entry must come from another member.",
        "reason": "Reason for the correction (required)",
        "one_time_code_accept": "One-time code (this entry can accept the protocol)", "enter": "Enter",
        "relations_hold": "Control relations hold.", "scan": "Scan of the signed paper protocol",
        "scan_hint": "PDF, PNG or JPEG, at most", "scan_required": "required", "scans": "Scans of the protocol",
        "scan_kept": "Scan kept", "no_scans": "No scan yet.", "sha256": "SHA-256", "download": "download",
        "upload_title": "Upload protocols", "upload_heading": "Upload a batch of protocols (CSV)",
        "upload_help": "Header: precinct, question, the fields, and reason for corrections. The batch is entered"
        " all or nothing.",
        "report": "Report", "line": "Line", "result": "Result", "refused_nothing": "Refused: nothing was entered",
        "problem": "Problem", "csv_file": "CSV file", "paste_it": "or paste it", "enter_batch": "Enter the batch",
        "audit_heading": "Audit log", "audit_accounts": "of accounts and sessions", "when_utc": "When (UTC)",
        "who": "Who", "what": "What", "outcome": "Outcome", "details": "Details", "state_missing": "missing",
        "state_awaiting_second": "awaiting second", "state_mismatch": "mismatch", "state_accepted": "accepted",
        "decision_agreed": "agreed", "phase_setup": "setup", "phase_voting": "voting",
        "phase_counting": "counting", "phase_provisional": "provisional", "phase_final": "final",
        "phase_certified": "certified", "megabytes": "MB",
    },
    "ru": {
        "petitions": "Петиции",
        "commission": "Комиссия", "signed_in_as": "Вы вошли как", "log_out": "Выйти", "log_in": "Войти",
        "login_title": "Вход для членов комиссии", "name": "Имя", "password": "Пароль",
        "wrong_login": "Неверное имя или пароль.", "event": "Событие", "phase": "Этап",
        "completeness": "Полнота данных", "upload_csv": "Загрузить CSV", "audit_log": "Журнал действий",
        "accounts_log": "Журнал учётных записей и сеансов", "unit": "Единица", "missing": "Нет данных",
        "awaiting_second_entry": "Ожидают второго ввода", "mismatch": "Расхождение", "accepted": "Приняты",
        "implausible": "неправдоподобные", "precinct": "Участок", "parent": "Вышестоящая единица",
        "state": "Состояние", "version": "Версия", "warnings": "Предупреждения", "warning": "Предупреждение",
        "move_to": "Перевести в этап", "one_time_code": "Одноразовый код", "change_phase": "Сменить этап",
        "protocol": "Протокол", "protocol_of": "Протокол участка", "accepted_version": "принятая версия",
        "on_register": "в списках", "your_entry": "Ваш ввод", "version_accepted": "принята",
        "mismatch_note": (
            "Он расходится с предыдущим вводом; член районной или центральной комиссии увидит расхождения,"
            " и следующий ввод их разрешит."
        ),
        "differences": "Расхождения между вводами текущего раунда", "contest": "Вопрос или список",
        "field": "Строка", "open_round": "Текущий раунд: ввели",
        "keyed_already": "Вы уже ввели этот раунд; следующий ввод должен сделать другой член комиссии.",
        "reason": "Причина исправления (обязательно)",
        "one_time_code_accept": "Одноразовый код (этот ввод может принять протокол)", "enter": "Ввести",
        "relations_hold": "Контрольные соотношения выполняются.", "scan": "Скан подписанного бумажного протокола",
        "scan_hint": "PDF, PNG или JPEG, не более", "scan_required": "обязательно", "scans": "Сканы протокола",
        "scan_kept": "Скан сохранён", "no_scans": "Скана пока нет.", "sha256": "SHA-256", "download": "скачать",
        "upload_title": "Загрузка протоколов", "upload_heading": "Загрузка пакета протоколов (CSV)",
        "upload_help": "Заголовок: участок, вопрос, строки протокола и причина для исправлений. Пакет вводится"
        " целиком или не вводится вовсе.",
        "report": "Отчёт", "line": "Строка файла", "result": "Итог",
        "refused_nothing": "Отклонено: ничего не введено",
        "problem": "Проблема", "csv_file": "Файл CSV", "paste_it": "или вставьте его",
        "enter_batch": "Ввести пакет", "audit_heading": "Журнал действий",
        "audit_accounts": "учётных записей и сеансов", "when_utc": "Когда (UTC)", "who": "Кто", "what": "Что",
        "outcome": "Исход", "details": "Подробности", "state_missing": "нет данных",
        "state_awaiting_second": "ожидает второго ввода", "state_mismatch": "расхождение",
        "state_accepted": "принят", "decision_agreed": "совпал", "phase_setup": "подготовка",
        "phase_voting": "голосование", "phase_counting": "подсчёт", "phase_provisional": "предварительные итоги",
        "phase_final": "окончательные итоги", "phase_certified": "итоги утверждены", "megabytes": "МБ",
    },
    "kk": {
        "petitions": "Петициялар",
        "commission": "Комиссия", "signed_in_as": "Сіз кірдіңіз:", "log_out": "Шығу", "log_in": "Кіру",
        "login_title": "Комиссия мүшелерінің кіруі", "name": "Аты", "password": "Құпиясөз",
        "wrong_login": "Аты немесе құпиясөз қате.", "event": "Оқиға", "phase": "Кезең",
        "completeness": "Деректердің толықтығы", "upload_csv": "CSV жүктеу", "audit_log": "Әрекеттер журналы",
        "accounts_log": "Тіркелгілер мен сеанстар журналы", "unit": "Бірлік", "missing": "Деректер жоқ",
        "awaiting_second_entry": "Екінші енгізуді күтуде", "mismatch": "Сәйкессіздік", "accepted": "Қабылданды",
        "implausible": "күмәнді", "precinct": "Учаске", "parent": "Жоғары тұрған бірлік", "state": "Күйі",
        "version": "Нұсқа", "warnings": "Ескертулер", "warning": "Ескерту", "move_to": "Келесі кезеңге ауыстыру",
        "one_time_code": "Бір реттік код", "change_phase": "Кезеңді ауыстыру", "protocol": "Хаттама",
        "protocol_of": "Учаске хаттамасы", "accepted_version": "қабылданған нұсқа",
        "on_register": "тізімде", "your_entry": "Сіздің енгізуіңіз", "version_accepted": "қабылданды",
        "mismatch_note": (
            "Ол алдыңғы енгізумен сәйкес келмейді; аудандық немесе орталық комиссия мүшесі айырмашылықтарды"
            " көреді, ал келесі енгізу оларды шешеді."
        ),
        "differences": "Ағымдағы раунд енгізулерінің айырмашылықтары", "contest": "Сұрақ немесе тізім",
        "field": "Жол", "open_round": "Ағымдағы раунд: енгізгендер",
        "keyed_already": "Сіз бұл раундты енгіздіңіз; келесі енгізуді комиссияның басқа мүшесі жасауы тиіс.",
        "reason": "Түзету себебі (міндетті)",
        "one_time_code_accept": "Бір реттік код (бұл енгізу хаттаманы қабылдай алады)", "enter": "Енгізу",
        "relations_hold": "Бақылау арақатынастары орындалады.", "scan": "Қол қойылған қағаз хаттаманың сканы",
        "scan_hint": "PDF, PNG немесе JPEG, ең көбі", "scan_required": "міндетті", "scans": "Хаттама сканы",
        "scan_kept": "Скан сақталды", "no_scans": "Скан әзірге жоқ.", "sha256": "SHA-256",
        "download": "жүктеп алу", "upload_title": "Хаттамаларды жүктеу",
        "upload_heading": "Хаттамалар топтамасын жүктеу (CSV)",
        "upload_help": "Тақырып жолы: учаске, сұрақ, хаттама жолдары және түзетулер үшін себеп. Топтама толығымен"
        " енгізіледі немесе мүлдем енгізілмейді.",
        "report": "Есеп", "line": "Файл жолы", "result": "Нәтиже",
        "refused_nothing": "Қабылданбады: ештеңе енгізілмеді",
        "problem": "Мәселе", "csv_file": "CSV файлы", "paste_it": "немесе оны қойыңыз",
        "enter_batch": "Топтаманы енгізу", "audit_heading": "Әрекеттер журналы",
        "audit_accounts": "тіркелгілер мен сеанстар", "when_utc": "Қашан (UTC)", "who": "Кім", "what": "Не",
        "outcome": "Нәтижесі", "details": "Толығырақ", "state_missing": "деректер жоқ",
        "state_awaiting_second": "екінші енгізуді күтуде", "state_mismatch": "сәйкессіздік",
        "state_accepted": "қабылданды", "decision_agreed": "сәйкес келді", "phase_setup": "дайындық",
        "phase_voting": "дауыс беру", "phase_counting": "санау", "phase_provisional": "алдын ала қорытынды",
        "phase_final": "түпкілікті қорытынды", "phase_certified": "қорытынды бекітілді", "megabytes": "МБ",
    },
}  # fmt: skip

# The administrator's accounts page (issue #9): kept apart from the catalogue above, merged into it.
ACCOUNTS_UI: Mapping[Lang, Mapping[str, str]] = {
    "en": {
        "accounts": "Accounts", "role": "Role", "units": "Units", "account_state": "State",
        "account_active": "active", "account_disabled": "disabled", "open_sessions": "Open sessions",
        "account_actions": "Actions", "in_event": "in event", "every_event": "every event",
        "new_password": "New password (reset password only)", "your_code": "Your one-time code",
        "do_disable": "Disable", "do_enable": "Enable", "do_reset_password": "Reset password",
        "do_reset_totp": "Reset one-time codes", "do_revoke_sessions": "End sessions",
        "done_disable": "disabled", "done_enable": "enabled", "done_reset-password": "password reset",
        "done_reset-totp": "one-time codes reset", "done_revoke-sessions": "sessions ended",
        "sessions_ended": "sessions ended", "account": "Account",
        "new_totp_uri": "New provisioning URI for the member's authenticator (shown only this once):",
        "accounts_help": "Each action needs your own one-time code and ends every open session of the account.",
    },
    "ru": {
        "accounts": "Учётные записи", "role": "Роль", "units": "Единицы", "account_state": "Состояние",
        "account_active": "действует", "account_disabled": "отключена", "open_sessions": "Открытые сеансы",
        "account_actions": "Действия", "in_event": "в событии", "every_event": "любое событие",
        "new_password": "Новый пароль (только для сброса пароля)", "your_code": "Ваш одноразовый код",
        "do_disable": "Отключить", "do_enable": "Включить", "do_reset_password": "Сбросить пароль",
        "do_reset_totp": "Сбросить одноразовые коды", "do_revoke_sessions": "Завершить сеансы",
        "done_disable": "отключена", "done_enable": "включена", "done_reset-password": "пароль сброшен",
        "done_reset-totp": "одноразовые коды сброшены", "done_revoke-sessions": "сеансы завершены",
        "sessions_ended": "завершено сеансов", "account": "Учётная запись",
        "new_totp_uri": "Новый URI для приложения-аутентификатора члена комиссии (показывается только сейчас):",
        "accounts_help": "Каждое действие требует вашего одноразового кода и завершает все открытые сеансы"
        " учётной записи.",
    },
    "kk": {
        "accounts": "Тіркелгілер", "role": "Рөлі", "units": "Бірліктер", "account_state": "Күйі",
        "account_active": "белсенді", "account_disabled": "өшірілген", "open_sessions": "Ашық сеанстар",
        "account_actions": "Әрекеттер", "in_event": "оқиғада", "every_event": "кез келген оқиға",
        "new_password": "Жаңа құпиясөз (тек құпиясөзді қалпына келтіру үшін)", "your_code": "Сіздің бір реттік кодыңыз",
        "do_disable": "Өшіру", "do_enable": "Қосу", "do_reset_password": "Құпиясөзді қалпына келтіру",
        "do_reset_totp": "Бір реттік кодтарды қалпына келтіру", "do_revoke_sessions": "Сеанстарды аяқтау",
        "done_disable": "өшірілді", "done_enable": "қосылды", "done_reset-password": "құпиясөз қалпына келтірілді",
        "done_reset-totp": "бір реттік кодтар қалпына келтірілді", "done_revoke-sessions": "сеанстар аяқталды",
        "sessions_ended": "аяқталған сеанстар", "account": "Тіркелгі",
        "new_totp_uri": "Мүшенің аутентификатор қолданбасына арналған жаңа URI (тек осы жолы көрсетіледі):",
        "accounts_help": "Әр әрекет сіздің бір реттік кодыңызды талап етеді және тіркелгінің барлық ашық"
        " сеанстарын аяқтайды.",
    },
}  # fmt: skip

FIELD_LABELS: Mapping[Lang, Mapping[str, str]] = {
    "en": {
        "registered": "Voters on the register", "received": "Ballots received", "issued": "Ballots issued",
        "cancelled": "Ballots cancelled", "participated": "Voters who took part", "yes": "Yes", "no": "No",
        "not_counted": "Ballots not counted", "invalid": "Invalid ballots",
    },
    "ru": {
        "registered": "Число избирателей в списках", "received": "Получено бюллетеней",
        "issued": "Выдано бюллетеней", "cancelled": "Погашено бюллетеней",
        "participated": "Приняли участие в голосовании", "yes": "Да", "no": "Нет",
        "not_counted": "Неучтённые бюллетени", "invalid": "Недействительные бюллетени",
    },
    "kk": {
        "registered": "Тізімдегі сайлаушылар саны", "received": "Алынған бюллетеньдер",
        "issued": "Берілген бюллетеньдер", "cancelled": "Өтелген бюллетеньдер",
        "participated": "Дауыс беруге қатысқандар", "yes": "Иә", "no": "Жоқ",
        "not_counted": "Есепке алынбаған бюллетеньдер", "invalid": "Жарамсыз бюллетеньдер",
    },
}  # fmt: skip


def commission_strings(lang: Lang) -> Mapping[str, str]:
    return {**COMMISSION_UI[lang], **ACCOUNTS_UI[lang]}


def field_label(lang: Lang, field: str) -> str:
    """A protocol field's label in ``lang``, or its code (underscores as spaces) when it has none."""
    return FIELD_LABELS[lang].get(field, field.replace("_", " "))


def _check() -> None:
    for lang in LANGS:
        missing = set(COMMISSION_KEYS).symmetric_difference(COMMISSION_UI[lang])
        if missing:  # a programming error, caught by the tests at import time
            raise RuntimeError(f"commission strings for {lang} differ from the keys: {sorted(missing)}")
        if set(ACCOUNTS_UI[lang]) != set(ACCOUNTS_UI["en"]) or set(ACCOUNTS_UI[lang]) & set(COMMISSION_KEYS):
            raise RuntimeError(f"account page strings for {lang} differ from English or shadow the catalogue")
        if set(FIELD_LABELS[lang]) != set(FIELD_LABELS["en"]):
            raise RuntimeError(f"field labels for {lang} differ from English")


_check()
