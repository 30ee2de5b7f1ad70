"""The results document as JSON-ready data (spec/formats.md §4). Keys are stable; no floats."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Literal, assert_never

from saylau.model.ids import QuestionCode, UnitCode
from saylau.model.numbers import decimal_str, fraction_str
from saylau.model.protocol import Counts
from saylau.model.referendum import Contest, DistrictContest, PartyListContest, QuestionContest, Referendum
from saylau.model.results import ChannelSource, Correction, ResultsView, UnitResult
from saylau.model.territory import UnitKind
from saylau.publish.contests import in_scope
from saylau.publish.figures import SHARES, refuse_test, units_in_order
from saylau.publish.json_contests import (
    district_outcome_json,
    election_contest_json,
    election_counts_json,
    exact_ratio,
    seat_outcome_json,
)
from saylau.rules import outcome_json

__all__ = ["FORMAT", "FORMAT_VERSION", "channel_source_json", "channels_below", "to_json"]

FORMAT = "saylau-results"
FORMAT_VERSION = 1


def to_json(view: ResultsView, *, level: Literal["all", "top"] = "all") -> dict[str, Any]:
    """The published results document. Refused (``test_not_publishable``) for test data.

    ``level="top"`` keeps the country and its direct children only (a summary, e.g. the zero report).
    """
    refuse_test(view)
    below = channels_below(view)
    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "event": _event(view.event),
        "mode": str(view.mode),
        "status": view.status,
        "phase": str(view.phase),
        "generated_at": view.generated_at.isoformat(),
        "units": [
            _unit(view, result, below) for _, depth, result in units_in_order(view) if level == "all" or depth <= 1
        ],
        "outcomes": _outcomes(view),
        "warnings": [{"precinct": w.precinct, "code": w.code, "message": w.message} for w in view.warnings],
        "corrections": [_correction(c) for c in view.corrections],
    }
    if view.channels:  # only for an event with linked e2e elections (spec/formats.md §4)
        doc["channels"] = [channel_source_json(s) for s in view.channels]
    return doc


def channels_below(view: ResultsView) -> dict[UnitCode, list[ChannelSource]]:
    """Per unit, the counted channel sources at it or below it (what its ``channels`` sums came from)."""
    out: dict[UnitCode, list[ChannelSource]] = {}
    for source in view.channels:
        if source.status == "counted":
            for code in (source.unit, *view.territory.ancestors(source.unit)):
                out.setdefault(code, []).append(source)
    return out


def channel_source_json(source: ChannelSource) -> dict[str, Any]:
    """An e2e election as a channel: its id, record fingerprint and head (check it with saylau-verify)."""
    return {
        "channel": source.channel,
        "unit": source.unit,
        "election": source.election,
        "fingerprint": source.fingerprint,
        "status": source.status,
        "head": source.head,
        "ballots": source.ballots,
        "questions": dict(source.questions),
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
        "questions": [_contest(q) for q in event.contests],
    }


def _contest(q: Contest) -> dict[str, Any]:
    """A question keeps the referendum form (code, texts); an election contest adds kind, scope, seats, options."""
    texts = [{"lang": t.lang, "text": t.text, "official": t.official, "source": t.source} for t in q.texts]
    match q:
        case QuestionContest():
            return {"code": q.code, "texts": texts}
        case PartyListContest() | DistrictContest():
            return election_contest_json(q, texts)
        case _:
            assert_never(q)


def _outcomes(view: ResultsView) -> dict[str, Any]:
    """Per contest in ballot order: a question's Outcome, a party list's seats, a district's winner."""
    out: dict[str, Any] = {str(q): outcome_json(o) for q, o in view.outcomes.items()}
    for q in view.event.contests:
        seats, district = view.seat_outcomes.get(q.code), view.district_outcomes.get(q.code)
        if seats is not None:
            out[str(q.code)] = seat_outcome_json(seats)
        if district is not None:
            out[str(q.code)] = district_outcome_json(district, q.scope)
    return out


def _unit(view: ResultsView, result: UnitResult, below: Mapping[UnitCode, list[ChannelSource]]) -> dict[str, Any]:
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
    out["questions"] = {
        str(q.code): _contest_counts(q, result.totals[q.code])
        for q in view.event.contests
        if q.code in result.totals and in_scope(view, q, unit.code)
    }
    if result.channels:  # of the counts above, what each channel at or below this unit brought
        out["channels"] = {
            name: {
                "counts": _by_question(counts),
                "sources": [channel_source_json(s) for s in below.get(unit.code, []) if s.channel == name],
            }
            for name, counts in result.channels.items()
        }
    return out


def _contest_counts(q: Contest, counts: Counts) -> dict[str, Any]:
    match q:
        case QuestionContest():
            return _counts(counts)
        case PartyListContest() | DistrictContest():
            return election_counts_json(q, counts)
        case _:
            assert_never(q)


def _counts(counts: Counts) -> dict[str, Any]:
    """``shares`` as ``exact(share(...))`` of figures.SHARES, from the ints (some 50,000 shares a demo)."""
    return {
        "counts": dict(counts),
        "shares": {name: exact_ratio(counts, num, den) for name, num, den in SHARES},
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
