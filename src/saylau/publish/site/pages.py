"""Context of the public pages, built from a ResultsView: figures as strings, nothing left to compute."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from saylau.model import (
    Contest,
    DistrictContest,
    ElectionContest,
    Lang,
    NotFound,
    Outcome,
    QuestionContest,
    ResultsView,
    UnitCode,
    UnitResult,
)
from saylau.model.protocol import Counts
from saylau.publish.contests import colour, in_scope, option_rows
from saylau.publish.figures import percent_str, share
from saylau.publish.times import time_text

__all__ = ["ANSWERS", "unit_page"]

ANSWERS = ("yes", "no", "not_counted", "invalid")


def unit_page(view: ResultsView, unit: str, lang: Lang, urls: Mapping[str, str]) -> dict[str, Any]:
    """Everything the results template shows for ``unit`` (the country for the national page)."""
    if unit not in view.territory:
        raise NotFound(
            f"no unit {unit!r} in the territory of event {view.event.code!r}",
            details={"event": str(view.event.code), "unit": unit},
        )
    code = UnitCode(unit)
    territory = view.territory
    path = [*reversed(territory.ancestors(code)), code]
    children = [c for c in territory.children(code) if c in view.results]
    result = view.results.get(code)
    return {
        "event": {"code": str(view.event.code), "title": view.event.title, "date": view.event.date.isoformat()},
        "status": view.status,
        "phase": str(view.phase),
        "generated_at": time_text(view.generated_at),  # for reading; the JSON keeps ISO 8601
        "national": code == territory.root,
        "unit": {"code": code, "name": territory[code].name(lang), "kind": str(territory[code].kind)},
        "breadcrumbs": [{"name": territory[c].name(lang), "url": urls["unit"] + quote(c, safe="")} for c in path],
        "reporting": _reporting(result),
        "questions": [
            _question(view, q, code, children, lang, urls)
            for q in view.event.contests
            if isinstance(q, QuestionContest)
        ],
        "lists": [
            _options(view, q, code, lang)
            for q in view.event.contests
            if not isinstance(q, QuestionContest) and in_scope(view, q, code)
        ],
        "districts": _districts(view, code, lang),
        "children": [_child(view, c, lang, urls) for c in children],
    }


def _reporting(result: UnitResult | None) -> dict[str, str]:
    if result is None:
        return {"reported": "0", "expected": "0", "pct": "", "complete": ""}
    pct = percent_str(share({"r": result.reported, "e": result.expected}, "r", "e"))
    return {
        "reported": f"{result.reported:,}",
        "expected": f"{result.expected:,}",
        "pct": pct,
        "complete": "yes" if result.complete else "",
    }


def _figures(counts: Counts) -> dict[str, str]:
    out = {
        "registered": f"{counts.get('registered', 0):,}",
        "participated": f"{counts.get('participated', 0):,}",
        "turnout": percent_str(share(counts, "participated", "registered")),
    }
    for fld in ANSWERS:
        out[fld] = f"{counts.get(fld, 0):,}"
        out[fld + "_pct"] = percent_str(share(counts, fld, "participated"))
    return out


def _text(q: Contest, lang: Lang) -> tuple[str, bool]:
    """The question in ``lang`` when there is a text, else the first (official) one; and whether it is official."""
    text = q.text(lang) or (q.texts[0] if q.texts else None)
    return (text.text, text.official) if text is not None else (str(q.code), True)


def _question(
    view: ResultsView,
    q: QuestionContest,
    unit: UnitCode,
    children: Sequence[UnitCode],
    lang: Lang,
    urls: Mapping[str, str],
) -> dict[str, Any]:
    result = view.results.get(unit)
    counts = result.totals.get(q.code) if result is not None else None
    text, official = _text(q, lang)
    outcome = view.outcomes.get(q.code) if unit == view.territory.root else None
    rows = []
    for c in children:
        child_counts = view.results[c].totals.get(q.code)
        if child_counts is not None:
            rows.append(
                {"code": c, "name": view.territory[c].name(lang), "url": urls["unit"] + quote(c, safe="")}
                | _figures(child_counts)
            )
    return {
        "code": str(q.code),
        "text": text,
        "official": official,
        "figures": _figures(counts) if counts is not None else None,
        "outcome": _outcome(outcome) if outcome is not None else None,
        "children": rows,
    }


def _outcome(outcome: Outcome) -> dict[str, Any]:
    return {
        "verdict": "adopted" if outcome.adopted else ("rejected" if outcome.valid else "not_valid"),
        "turnout": percent_str(outcome.turnout),
        "yes_share": percent_str(outcome.yes_share),
        "yes_share_base": outcome.yes_share_base,
        "rules": f"{outcome.preset} {outcome.preset_version}",
        "explanation": list(outcome.explanation),
    }


def _options(view: ResultsView, q: ElectionContest, unit: UnitCode, lang: Lang) -> dict[str, Any]:
    """A party list or a district's candidates at ``unit``: votes, share, bar, and seats where decided."""
    result = view.results.get(unit)
    counts = result.totals.get(q.code, {}) if result is not None else {}
    seats = view.seat_outcomes.get(q.code)
    text, _ = _text(q, lang)
    return {
        "code": str(q.code),
        "title": text,
        "kind": str(q.kind),
        "figures": _figures(counts),
        "options": [
            {
                "code": str(r.option.code),
                "name": r.option.name(lang),
                "colour": colour(i, r.option),
                "votes": f"{r.votes:,}",
                "pct": percent_str(r.share),
                "seats": str(seats.seats.get(r.option.code, 0)) if seats is not None else "",
            }
            for i, r in enumerate(option_rows(q, counts))
        ],
        "explanation": list(seats.explanation) if seats is not None and unit == view.territory.root else [],
    }


def _districts(view: ResultsView, unit: UnitCode, lang: Lang) -> list[dict[str, Any]]:
    """On the national page, every single-member district with its winner (or that no one is elected)."""
    if unit != view.territory.root:
        return []
    out = []
    for q in view.event.contests:
        outcome = view.district_outcomes.get(q.code)
        if not isinstance(q, DistrictContest):
            continue
        winner = next((o for o in q.options if outcome is not None and o.code == outcome.winner), None)
        out.append({
            "name": view.territory[q.scope].name(lang),
            "url_unit": q.scope,
            "decided": outcome is not None,
            "winner": winner.name(lang) if winner is not None else "",
        })  # fmt: skip
    return out


def _child(view: ResultsView, code: UnitCode, lang: Lang, urls: Mapping[str, str]) -> dict[str, Any]:
    result = view.results[code]
    first = next(iter(result.totals.values()), {})
    return {
        "code": code,
        "contest": str(next(iter(result.totals), "")),  # whose turnout the row shows
        "name": view.territory[code].name(lang),
        "kind": str(view.territory[code].kind),
        "url": urls["unit"] + quote(code, safe=""),
        "turnout": percent_str(share(first, "participated", "registered")),
        "participated": f"{first.get('participated', 0):,}",
    } | {"reporting": _reporting(result)}
