"""The printable protocol of a certified result (PDF): national and per-region figures, the outcome with
its explanation, and the release number and hash that identify the published files.

Pure: view and release identity in, PDF bytes out, the same bytes for the same input (reportlab's
invariant mode: no creation time, a fixed document id). Text is set in PT Sans (ParaType, OFL-1.1, from
the ``fontpkg-pt-sans`` package), which has every Kazakh and Russian Cyrillic letter; reportlab's built-in
fonts have none.
"""

from __future__ import annotations

import datetime as dt
import io
from importlib import resources
from typing import Any, assert_never
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from saylau.model import (
    Contest,
    DistrictContest,
    ElectionContest,
    PartyListContest,
    QuestionContest,
    ResultsView,
    UnitCode,
)
from saylau.model.errors import SaylauError
from saylau.model.protocol import Counts
from saylau.publish.contests import option_rows
from saylau.publish.figures import percent_str, refuse_test, share

__all__ = ["FONT", "page_footer", "protocol_pdf"]

FONT = "SaylauPTSans"
FONT_BOLD = "SaylauPTSans-Bold"
_FONT_FILES = {FONT: "PT_Sans-Web-Regular.ttf", FONT_BOLD: "PT_Sans-Web-Bold.ttf"}

# Kazakh / Russian, both official languages of the protocol.
L = {
    "title": "Сайлау нәтижелерінің хаттамасы / Протокол об итогах голосования",
    "release": "Шығарылым / Выпуск",
    "hash": "SHA-256 хэші / Хэш SHA-256",
    "previous": "Алдыңғы шығарылым / Предыдущий выпуск",
    "published": "Жарияланды / Опубликовано",
    "status": "УТВЕРЖДЁННЫЕ ИТОГИ / БЕКІТІЛГЕН ҚОРЫТЫНДЫ",
    "national": "Ел бойынша / По стране",
    "regions": "Өңірлер бойынша / По регионам",
    "unit": "Бірлік / Единица",
    "registered": "Тізімдегі сайлаушылар / Избирателей в списках",
    "participated": "Қатысты / Приняли участие",
    "turnout": "Қатысу / Явка",
    "yes": "Иә / Да",
    "no": "Жоқ / Нет",
    "not_counted": "Есепке алынбаған / Неучтённые",
    "invalid": "Жарамсыз / Недействительные",
    "outcome": "Нәтиже / Результат",
    "adopted": "Қабылданды / Принято",
    "rejected": "Қабылданбады / Не принято",
    "not_valid": "Өтпеді / Не состоялся",
    "explanation": "Негіздеме / Обоснование",
    "votes": "Дауыстар / Голоса",
    "seats": "Мандаттар / Мандаты",
    "reported": "Өңделген учаскелер / Участков обработано",
}


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = resources.files("fontpkg_pt_sans") / "files"
    for name, file in _FONT_FILES.items():
        with resources.as_file(folder / file) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=11.5)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5),
        "h1": ParagraphStyle("h1", parent=body, fontName=FONT_BOLD, fontSize=14, leading=17, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=8),
        "h3": ParagraphStyle("h3", parent=body, fontName=FONT_BOLD, fontSize=9.5, leading=12, spaceBefore=5),
    }


def _n(counts: Counts, fld: str) -> str:
    return f"{counts.get(fld, 0):,}".replace(",", " ")


def _pct(counts: Counts, num: str, den: str) -> str:
    value = percent_str(share(counts, num, den))
    return f"{value}%" if value else "—"


def _table(rows: list[list[Any]], widths: list[float], *, header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, 8),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style += [("FONT", (0, 0), (-1, 0), FONT_BOLD, 7.5), ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]
    table.setStyle(TableStyle(style))
    return table


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _question_text(q: Contest) -> str:
    texts = [t.text for t in (q.text("kk"), q.text("ru")) if t is not None]
    return " / ".join(texts) or str(q.code)


def _national_question(view: ResultsView, q: QuestionContest, st: dict[str, ParagraphStyle]) -> list[Any]:
    result = view.results.get(view.territory.root)
    counts = result.totals.get(q.code, {}) if result is not None else {}
    out: list[Any] = [_para(f"{q.code}. {_question_text(q)}", st["h3"])]
    rows = [
        [L["registered"], _n(counts, "registered"), ""],
        [L["participated"], _n(counts, "participated"), _pct(counts, "participated", "registered")],
    ] + [[L[f], _n(counts, f), _pct(counts, f, "participated")] for f in ("yes", "no", "not_counted", "invalid")]
    out.append(_table(rows, [95 * mm, 40 * mm, 30 * mm], header=False))
    outcome = view.outcomes.get(q.code)
    if outcome is not None:
        verdict = "adopted" if outcome.adopted else ("rejected" if outcome.valid else "not_valid")
        out.append(_para(f"{L['outcome']}: {L[verdict]} ({outcome.preset} {outcome.preset_version})", st["h3"]))
        out.append(_para(f"{L['explanation']}:", st["body"]))
        out += [_para(f"• {line}", st["small"]) for line in outcome.explanation]
    return out


def _options(view: ResultsView, q: ElectionContest, st: dict[str, ParagraphStyle]) -> list[Any]:
    result = view.results.get(q.scope or view.territory.root)
    counts = result.totals.get(q.code, {}) if result is not None else {}
    seats = view.seat_outcomes.get(q.code)
    district = view.district_outcomes.get(q.code)
    rows: list[list[Any]] = [["", L["votes"], L["seats"] if seats is not None else ""]]
    for r in option_rows(q, counts):
        won = str(seats.seats.get(r.option.code, 0)) if seats is not None else ""
        rows.append([f"{r.option.name('kk')} / {r.option.name('ru')}", f"{r.votes:,}".replace(",", " "), won])
    out: list[Any] = [_para(_question_text(q), st["h3"]), _table(rows, [95 * mm, 40 * mm, 30 * mm])]
    explanation = seats.explanation if seats is not None else district.explanation if district is not None else ()
    out += [_para(f"• {line}", st["small"]) for line in explanation]
    return out


def _regions(view: ResultsView, q: QuestionContest, st: dict[str, ParagraphStyle]) -> list[Any]:
    header = [L["unit"], L["registered"], L["participated"], L["turnout"], L["yes"], L["no"], L["reported"]]
    rows: list[list[Any]] = [[_para(h, st["small"]) for h in header]]
    for code in view.territory.top_units():
        result = view.results.get(UnitCode(code))
        if result is None or q.code not in result.totals:
            continue
        c = result.totals[q.code]
        unit = view.territory[code]
        name = unit.name("kk") if unit.name("kk") == unit.name("ru") else f"{unit.name('kk')} / {unit.name('ru')}"
        rows.append([
            _para(name, st["small"]), _n(c, "registered"), _n(c, "participated"),
            _pct(c, "participated", "registered"), _pct(c, "yes", "participated"), _pct(c, "no", "participated"),
            f"{result.reported} / {result.expected}",
        ])  # fmt: skip
    widths = [50 * mm, 24 * mm, 24 * mm, 17 * mm, 17 * mm, 17 * mm, 23 * mm]
    return [_para(f"{L['regions']} — {q.code}", st["h2"]), _table(rows, widths)]


def protocol_pdf(
    view: ResultsView, *, number: int, release_hash: str, previous: str, published_at: dt.datetime
) -> bytes:
    """The protocol of the certified result as PDF bytes. Only a certified view has one."""
    refuse_test(view)
    if view.status != "certified":
        raise SaylauError(
            f"the printable protocol is of a certified result; event {view.event.code!r} is {view.status}",
            code="not_certified",
        )
    _register_fonts()
    st = _styles()
    ev = view.event
    story: list[Any] = [
        _para(L["title"], st["h1"]),
        _para(f"{ev.title} — {ev.date.isoformat()} ({ev.code})", st["h2"]),
        _para(L["status"], st["h3"]),
        _para(f"{L['release']}: {number} · {L['published']}: {published_at.isoformat(timespec='seconds')}", st["body"]),
        _para(f"{L['hash']}: {release_hash}", st["small"]),
        _para(f"{L['previous']}: {previous or '—'}", st["small"]),
        _para(L["national"], st["h2"]),
    ]
    for q in ev.contests:
        match q:
            case QuestionContest():
                story += _national_question(view, q, st)
            case PartyListContest() | DistrictContest():
                story += _options(view, q, st)
            case _:
                assert_never(q)
    for q in ev.contests:
        if isinstance(q, QuestionContest):
            story += [Spacer(1, 4 * mm), *_regions(view, q, st)]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{ev.code}: {L['title']}",
        author="saylau",
        subject=f"release {number} {release_hash}",
        invariant=1,
    )
    doc.build(story, onFirstPage=_footer(release_hash), onLaterPages=_footer(release_hash))
    return buffer.getvalue()


def _footer(release_hash: str) -> Any:
    return page_footer(f"SHA-256 {release_hash}", 15, 8)


def page_footer(text: str, side_mm: float, bottom_mm: float) -> Any:
    """A reportlab page callback: ``text`` at the bottom left of each A4 page, the page number at the right,
    ``side_mm`` from the sides and ``bottom_mm`` from the bottom (the protocol and the voter list's footers)."""

    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.drawString(side_mm * mm, bottom_mm * mm, text)
        canvas.drawRightString(A4[0] - side_mm * mm, bottom_mm * mm, str(doc.page))
        canvas.restoreState()

    return draw
