"""The results as CSV: one row per unit and question (spec/formats.md §5)."""

from __future__ import annotations

import csv
import io

from saylau.model.numbers import decimal_str
from saylau.model.results import ResultsView
from saylau.publish.figures import SHARES, field_names, question_codes, refuse_test, shares, units_in_order

__all__ = ["to_csv"]


def to_csv(view: ResultsView) -> str:
    """Columns: unit, name_en, kind, parent, question, expected, reported, every field, then shares
    (decimal, 4 places, half-even; empty when the denominator is zero). Lines end with LF."""
    refuse_test(view)
    fields = field_names(view.results)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    header = ["unit", "name_en", "kind", "parent", "question", "expected", "reported", *fields]
    writer.writerow([*header, *(name if name == "turnout" else f"{name}_share" for name, _, _ in SHARES)])
    codes = question_codes(view)
    for code, _, result in units_in_order(view):
        unit = view.territory[code]
        for q in codes:
            counts = result.totals.get(q)
            if counts is None:
                continue
            head = [code, unit.name("en"), str(unit.kind), unit.parent or "", q, result.expected, result.reported]
            values = [counts.get(f, "") for f in fields]
            figures = ["" if row.value is None else decimal_str(row.value, 4) for row in shares(counts)]
            writer.writerow([*head, *values, *figures])
    return buf.getvalue()
