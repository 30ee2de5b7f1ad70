"""The results as CSV (spec/formats.md §5): a contests table, and a long table of option votes."""

from __future__ import annotations

import io
from typing import Literal, TypeGuard, assert_never

from saylau.model.numbers import ratio_decimal_str
from saylau.model.protocol import STANDARD_FIELDS, Counts
from saylau.model.referendum import Contest, DistrictContest, ElectionContest, PartyListContest, QuestionContest
from saylau.model.results import ResultsView
from saylau.publish.contests import base, in_scope
from saylau.publish.csv_cells import csv_writer, safe_cells
from saylau.publish.figures import SHARES, refuse_test, units_in_order

__all__ = ["OPTION_COLUMNS", "to_csv"]

_HEAD = ("unit", "name_en", "kind", "parent")
OPTION_COLUMNS = (*_HEAD, "contest", "contest_kind", "option", "option_kind", "option_name_en", "party",
                  "votes", "base", "share")  # fmt: skip


def to_csv(view: ResultsView, *, table: Literal["contests", "options"] = "contests") -> str:
    """``contests``: one row per unit and contest: unit, name_en, kind, parent, question (the contest
    code), expected, reported, every ballot field, then shares (decimal, 4 places, half-even; empty when
    the denominator is zero or the contest has no such field). An election contest's option votes are
    not columns here: ``options`` gives one row per unit, election contest and option. LF line ends."""
    refuse_test(view)
    match table:
        case "contests":
            return _contests(view)
        case "options":
            return _options(view)
        case _:
            assert_never(table)


def _is_election(q: Contest) -> TypeGuard[ElectionContest]:
    match q:
        case QuestionContest():
            return False
        case PartyListContest() | DistrictContest():
            return True
        case _:
            assert_never(q)


def _ballot_fields(view: ResultsView) -> tuple[str, ...]:
    """The standard fields present, in their order, then any other field sorted; never an option field."""
    seen: set[str] = set()
    for result in view.results.values():
        for q in view.event.contests:
            counts = result.totals.get(q.code)
            if counts is not None:
                seen.update(counts)
                if _is_election(q):
                    seen.difference_update(q.option_fields)
    extra = sorted(seen.difference(STANDARD_FIELDS))
    return (*(f for f in STANDARD_FIELDS if f in seen), *extra)


def _contests(view: ResultsView) -> str:
    fields = _ballot_fields(view)
    buf = io.StringIO()
    writer = csv_writer(buf)
    header = [*_HEAD, "question", "expected", "reported", *fields]
    writer.writerow([*header, *(name if name == "turnout" else f"{name}_share" for name, _, _ in SHARES)])
    for code, _, result in units_in_order(view):
        unit = view.territory[code]
        for q in view.event.contests:
            counts = result.totals.get(q.code)
            if counts is None or not in_scope(view, q, code):
                continue
            head = [code, unit.name("en"), str(unit.kind), unit.parent or "", q.code, result.expected, result.reported]
            values = [counts.get(f, "") for f in fields]
            figures = [_share_cell(counts, num, den) for _, num, den in SHARES]
            writer.writerow([*head, *values, *figures])
    return buf.getvalue()


def _share_cell(counts: Counts, num: str, den: str) -> str:
    """``decimal_str(share(counts, num, den), 4)``, or empty where the share is None (figures.share)."""
    whole = counts.get(den, 0)
    return "" if whole == 0 or num not in counts else ratio_decimal_str(counts[num], whole, 4)


def _options(view: ResultsView) -> str:
    """share = votes / base, where base is the sum of the contest's options (the ballots cast for a
    party or candidate and against all: the threshold base)."""
    buf = io.StringIO()
    writer = csv_writer(buf)
    writer.writerow(OPTION_COLUMNS)
    contests = [q for q in view.event.contests if _is_election(q)]
    # the option's cells, the same on every unit's rows: neutralised once
    described = {(q.code, o.code): safe_cells((q.code, str(q.kind), o.code, str(o.kind), o.name("en"), o.party or ""))
                 for q in contests for o in q.options}  # fmt: skip
    for code, _, result in units_in_order(view):
        unit = view.territory[code]
        head = safe_cells((code, unit.name("en"), str(unit.kind), unit.parent or ""))
        for q in contests:
            counts = result.totals.get(q.code)
            if counts is None or not in_scope(view, q, code):
                continue
            whole = base(q, counts)
            for o in q.options:  # the rows of contests.option_rows, each share from the ints
                votes = counts.get(o.code, 0)
                figure = ratio_decimal_str(votes, whole, 4) if whole else ""
                writer.writerow_after(head, described[q.code, o.code], (votes, whole, figure))
    return buf.getvalue()
