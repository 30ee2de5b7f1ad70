"""The printable voter list extract of one precinct (PDF, kk/ru headings): the voters on its list at the
close of the list, in the order of their names, with a column for the signature on receipt of the ballot
(spec/register.md §7). Never published: the commission prints it for its own precinct.

Pure: the list in, PDF bytes out, the same bytes for the same input (reportlab's invariant mode). Text
in PT Sans, as the protocol's PDF (publish/pdf_protocol.py), for every Kazakh and Russian letter.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from saylau.publish.pdf_protocol import FONT, FONT_BOLD, _register_fonts, page_footer
from saylau.register import Entry

__all__ = ["list_extract_pdf"]

L = {
    "title": "Сайлаушылар тізімінен үзінді / Выписка из списка избирателей",
    "precinct": "Учаскe / Участок",
    "at": "Тізім жасалған күн / Список на",
    "polling_day": "Дауыс беру күні / День голосования",
    "total": "Тізімде / В списке",
    "n": "№",
    "name": "Тегі, аты, әкесінің аты / Фамилия, имя, отчество",
    "born": "Туған күні / Дата рождения",
    "address": "Мекенжайы / Адрес",
    "signature": "Қолы / Подпись",
    "private": "Жариялануға жатпайды / Не подлежит опубликованию",
}


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def list_extract_pdf(precinct: str, at: dt.datetime, polling_day: dt.date, voters: Sequence[Entry]) -> bytes:
    """The extract as PDF bytes; ``voters`` in the order printed (the caller sorts them)."""
    _register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=8, leading=10)
    head = ParagraphStyle("head", parent=body, fontName=FONT_BOLD, fontSize=12, leading=15, spaceAfter=4)
    rows: list[list[Any]] = [[L["n"], _para(L["name"], body), _para(L["born"], body), _para(L["address"], body),
                              _para(L["signature"], body)]]  # fmt: skip
    for n, e in enumerate(voters, 1):
        rows.append([str(n), _para(e.full_name.title(), body), e.birth_date.isoformat(), _para(e.address, body), ""])
    table = Table(rows, colWidths=[10 * mm, 62 * mm, 22 * mm, 56 * mm, 30 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ]
        )
    )
    story = [
        _para(L["title"], head),
        _para(f"{L['precinct']}: {precinct}", body),
        _para(f"{L['at']}: {at.isoformat(timespec='seconds')} · {L['polling_day']}: {polling_day.isoformat()}", body),
        _para(f"{L['total']}: {len(voters)}", body),
        _para(L["private"], body),
        table,
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=10 * mm,
        rightMargin=10 * mm,
        topMargin=12 * mm,
        bottomMargin=14 * mm,
        title=f"{precinct}: {L['title']}",
        author="saylau",
        invariant=1,
    )
    doc.build(story, onFirstPage=_footer(precinct), onLaterPages=_footer(precinct))
    return buffer.getvalue()


def _footer(precinct: str) -> Any:
    return page_footer(f"{precinct} · {L['private']}", 10, 7)
