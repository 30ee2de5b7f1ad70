"""The results document as JSON-ready data (spec/formats.md §4). Keys are stable; no floats."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Literal

from saylau.model.ids import QuestionCode
from saylau.model.numbers import decimal_str, fraction_str
from saylau.model.protocol import Counts
from saylau.model.referendum import Referendum
from saylau.model.results import Correction, ResultsView, UnitResult
from saylau.model.territory import UnitKind
from saylau.publish.figures import question_codes, refuse_test, shares, units_in_order
from saylau.rules import outcome_json

__all__ = ["FORMAT", "FORMAT_VERSION", "to_json"]

FORMAT = "saylau-results"
FORMAT_VERSION = 1


def to_json(view: ResultsView, *, level: Literal["all", "top"] = "all") -> dict[str, Any]:
    """The published results document. Refused (``test_not_publishable``) for test data.

    ``level="top"`` keeps the country and its direct children only (a summary, e.g. the zero report).
    """
    refuse_test(view)
    codes = question_codes(view)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "event": _event(view.event),
        "mode": str(view.mode),
        "status": view.status,
        "phase": str(view.phase),
        "generated_at": view.generated_at.isoformat(),
        "units": [
            _unit(view, result, codes) for _, depth, result in units_in_order(view) if level == "all" or depth <= 1
        ],
        "outcomes": {str(q): outcome_json(o) for q, o in view.outcomes.items()},
        "warnings": [{"precinct": w.precinct, "code": w.code, "message": w.message} for w in view.warnings],
        "corrections": [_correction(c) for c in view.corrections],
    }


def exact(value: Fraction | None) -> dict[str, str] | None:
    """A share as ``{"decimal": "0.7718", "fraction": "6163516/7985769"}`` (None stays None)."""
    if value is None:
        return None
    return {"decimal": decimal_str(value, 4), "fraction": fraction_str(value)}


def _event(event: Referendum) -> dict[str, Any]:
    return {
        "code": event.code,
        "title": event.title,
        "date": event.date.isoformat(),
        "preset": event.preset,
        "description": event.description,
        "questions": [
            {
                "code": q.code,
                "texts": [
                    {"lang": t.lang, "text": t.text, "official": t.official, "source": t.source} for t in q.texts
                ],
            }
            for q in event.questions
        ],
    }


def _unit(view: ResultsView, result: UnitResult, codes: tuple[QuestionCode, ...]) -> dict[str, Any]:
    unit = view.territory[result.unit]
    out: dict[str, Any] = {
        "code": unit.code,
        "name": unit.name("en"),
        "names": dict(sorted(unit.names.items())),
        "kind": str(unit.kind),
        "parent": unit.parent,
        "expected": result.expected,
        "reported": result.reported,
        "missing_count": len(result.missing),
    }
    # Each missing precinct is listed once, under its own parent; higher levels give the count only.
    precincts_here = [c for c in view.territory.children(unit.code) if view.territory[c].kind is UnitKind.PRECINCT]
    if precincts_here:
        missing = set(result.missing)
        out["missing"] = [c for c in precincts_here if c in missing]
    out["questions"] = {str(q): _counts(result.totals[q]) for q in codes if q in result.totals}
    return out


def _counts(counts: Counts) -> dict[str, Any]:
    return {
        "counts": dict(counts),
        "shares": {row.name: exact(row.value) for row in shares(counts)},
    }


def _correction(c: Correction) -> dict[str, Any]:
    return {
        "precinct": c.precinct,
        "version": c.version,
        "reason": c.reason,
        "previous": _by_question(c.previous),
        "current": _by_question(c.current),
    }


def _by_question(counts: Mapping[QuestionCode, Counts]) -> dict[str, dict[str, int]]:
    return {str(q): dict(c) for q, c in counts.items()}
