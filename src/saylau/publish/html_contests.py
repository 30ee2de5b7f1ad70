"""The HTML page's election sections: party lists (votes, seats, elected lists) and the districts table.

Plain dicts of already formatted strings for the template; the template escapes every one of them.
"""

from __future__ import annotations

from typing import Any

from saylau.model.numbers import grouped_decimal_str
from saylau.model.outcome import SeatOutcome
from saylau.model.referendum import DistrictContest, OptionKind, PartyListContest
from saylau.model.results import ResultsView
from saylau.publish.contests import (
    AGAINST_ALL_COLOUR,
    OptionRow,
    colour,
    contest_result,
    district_row,
    election_contests,
    option_rows,
    party_label,
)
from saylau.publish.figures import percent_str, share

__all__ = ["districts", "party_lists"]


def _title(q: PartyListContest | DistrictContest) -> str:
    text = q.text("en") or (q.texts[0] if q.texts else None)
    return text.text if text is not None else str(q.code)


def _colours(view: ResultsView) -> dict[str, str]:
    """A party's colour, by its position on the (first) party-list ballot; district candidates share it."""
    out: dict[str, str] = {}
    for q in election_contests(view, PartyListContest):
        for i, o in enumerate(q.options):
            out.setdefault(o.code, colour(i, o))
    return out


def party_lists(view: ResultsView) -> list[dict[str, Any]]:
    return [_party_list(view, q) for q in election_contests(view, PartyListContest)]


def _party_list(view: ResultsView, q: PartyListContest) -> dict[str, Any]:
    result, counts = contest_result(view, q)
    seats = view.seat_outcomes.get(q.code)
    colours = _colours(view)
    rows = option_rows(q, counts)
    return {
        "code": q.code,
        "title": _title(q),
        "seats_total": sum(seats.seats.values()) if seats else q.seats or 0,
        "registered": f"{counts.get('registered', 0):,}",
        "participated": f"{counts.get('participated', 0):,}",
        "turnout": percent_str(share(counts, "participated", "registered")),
        "invalid": f"{counts.get('invalid', 0):,}",
        "invalid_pct": percent_str(share(counts, "invalid", "participated")),
        "base": f"{sum(r.votes for r in rows):,}",
        "reported": f"{result.reported:,}" if result else "0",
        "expected": f"{result.expected:,}" if result else "0",
        "complete": result.complete if result else False,
        "options": [_option(r, seats, colours) for r in rows],
        "outcome": _seats(q, seats, colours) if seats else None,
        "units": _units(view, q, colours),
    }


def _option(row: OptionRow, seats: SeatOutcome | None, colours: dict[str, str]) -> dict[str, Any]:
    o = row.option
    party = o.kind is not OptionKind.AGAINST_ALL
    return {
        "name": o.name("en"),
        "colour": colours.get(o.code, AGAINST_ALL_COLOUR),
        "votes": f"{row.votes:,}",
        "pct": percent_str(row.share),
        "against_all": not party,
        "qualified": ("yes" if o.code in seats.qualified else "no") if seats and party else "—",
        "seats": f"{seats.seats.get(o.code, 0):,}" if seats and party else "—",
    }


def _seats(q: PartyListContest, seats: SeatOutcome, colours: dict[str, str]) -> dict[str, Any]:
    squares: list[dict[str, Any]] = []
    lists: list[dict[str, Any]] = []
    for o in q.options:
        won, vacant = seats.seats.get(o.code, 0), seats.vacant.get(o.code, 0)
        if o.kind is OptionKind.AGAINST_ALL or not won:
            continue
        tint = colours.get(o.code, AGAINST_ALL_COLOUR)
        squares += [{"name": o.name("en"), "colour": tint, "vacant": i >= won - vacant} for i in range(won)]
        elected = seats.elected.get(o.code, ())
        lists.append({"name": o.name("en"), "colour": tint, "seats": won, "vacant": vacant, "elected": elected})
    return {
        "preset": f"{seats.preset} {seats.preset_version}",
        "squares": squares,
        "label": ", ".join(_seats_label(p) for p in lists),
        "lists": lists,
        "quota": grouped_decimal_str(seats.quota, 4) if seats.quota is not None else None,
        "vacant": sum(seats.vacant.values()),
        "steps": seats.steps,
        "explanation": seats.explanation,
    }


def _seats_label(party: dict[str, Any]) -> str:
    vacant = f" ({party['vacant']} vacant)" if party["vacant"] else ""
    return f"{party['name']} {party['seats']}{vacant}"


def _units(view: ResultsView, q: PartyListContest, colours: dict[str, str]) -> list[dict[str, Any]]:
    """Turnout and the leading list per top-level unit."""
    out: list[dict[str, Any]] = []
    for code in view.territory.top_units():
        result = view.results.get(code)
        counts = result.totals.get(q.code) if result is not None else None
        if result is None or counts is None:
            continue
        rows = [r for r in option_rows(q, counts) if r.option.kind is OptionKind.PARTY and r.votes]
        lead = max(rows, key=lambda r: r.votes, default=None)
        out.append({
            "name": view.territory[code].name("en"),
            "participated": f"{counts.get('participated', 0):,}",
            "turnout": percent_str(share(counts, "participated", "registered")),
            "lead": lead.option.name("en") if lead else "",
            "lead_pct": percent_str(lead.share) if lead else "",
            "lead_colour": colours.get(lead.option.code, AGAINST_ALL_COLOUR) if lead else AGAINST_ALL_COLOUR,
            "reported": f"{result.reported:,}",
            "expected": f"{result.expected:,}",
            "complete": result.complete,
        })  # fmt: skip
    return out


def _candidate(view: ResultsView, row: OptionRow | None, colours: dict[str, str]) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "name": row.option.name("en"),
        "party": party_label(view, row.option),
        "colour": colours.get(row.option.party or "", "#ffffff"),
        "votes": f"{row.votes:,}",
        "pct": percent_str(row.share),
    }


def districts(view: ResultsView) -> list[dict[str, Any]]:
    colours = _colours(view)
    out: list[dict[str, Any]] = []
    for q in election_contests(view, DistrictContest):
        d = district_row(view, q)
        out.append({
            "code": q.code,
            "name": d.scope_name,
            "decided": d.decided,
            "winner": _candidate(view, d.winner, colours),
            "runner_up": _candidate(view, d.runner_up, colours),
            "against_all": _candidate(view, d.against_all, colours),
            "turnout": percent_str(d.turnout),
            "reported": f"{d.result.reported:,}" if d.result else "0",
            "expected": f"{d.result.expected:,}" if d.result else "0",
            "complete": d.result.complete if d.result else False,
            "explanation": d.outcome.explanation if d.outcome else (),
        })  # fmt: skip
    return out
