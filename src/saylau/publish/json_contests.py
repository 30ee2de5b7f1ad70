"""JSON of election contests (spec/formats.md §4): the contest, its figures per unit, its outcome.

Question contests are not written here: they keep the referendum format unchanged.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from saylau.model.numbers import decimal_str, fraction_str
from saylau.model.outcome import DistrictOutcome, SeatOutcome
from saylau.model.protocol import Counts
from saylau.model.referendum import ElectionContest, Option
from saylau.publish.contests import base, option_rows
from saylau.publish.figures import share
from saylau.rules.outcome_json import DECIMAL_PLACES

__all__ = ["district_outcome_json", "election_contest_json", "election_counts_json", "seat_outcome_json"]


def _share(value: Fraction | None) -> dict[str, str] | None:
    """A share in the units' form: 4 places, half-even, with the exact fraction."""
    if value is None:
        return None
    return {"decimal": decimal_str(value, 4), "fraction": fraction_str(value)}


def _option(o: Option) -> dict[str, Any]:
    return {
        "code": o.code,
        "kind": str(o.kind),
        "names": dict(sorted(o.names.items())),
        "order": o.order,
        "party": o.party,
        "candidates": list(o.candidates),
    }


def election_contest_json(q: ElectionContest, texts: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "code": q.code,
        "kind": str(q.kind),
        "scope": q.scope,
        "seats": q.seats,
        "texts": texts,
        "options": [_option(o) for o in q.options],
    }


def election_counts_json(q: ElectionContest, counts: Counts) -> dict[str, Any]:
    """Counts, turnout and invalid shares, the base (ballots for options) and each option's share of it."""
    return {
        "counts": dict(counts),
        "shares": {
            "turnout": _share(share(counts, "participated", "registered")),
            "invalid": _share(share(counts, "invalid", "participated")),
        },
        "base": base(q, counts),
        "option_shares": {r.option.code: _share(r.share) for r in option_rows(q, counts)},
    }


def seat_outcome_json(o: SeatOutcome) -> dict[str, Any]:
    return {
        "contest": str(o.contest),
        "kind": "party_list",
        "preset": o.preset,
        "preset_version": o.preset_version,
        "seats_total": sum(o.seats.values()),  # vacant seats included (a list too short to fill them)
        "seats": dict(o.seats),
        "qualified": list(o.qualified),
        "quota": None if o.quota is None else decimal_str(o.quota, DECIMAL_PLACES),
        "quota_exact": None if o.quota is None else fraction_str(o.quota),
        "elected": {code: list(names) for code, names in o.elected.items()},
        "vacant": dict(o.vacant),
        "steps": list(o.steps),
        "explanation": list(o.explanation),
    }


def district_outcome_json(o: DistrictOutcome, scope: str | None) -> dict[str, Any]:
    whole = sum(o.votes.values())
    won = Fraction(o.votes.get(o.winner, 0), whole) if o.winner is not None and whole else None
    return {
        "contest": str(o.contest),
        "kind": "district",
        "scope": scope,
        "preset": o.preset,
        "preset_version": o.preset_version,
        "winner": o.winner,
        "winner_share": None if won is None else decimal_str(won, DECIMAL_PLACES),
        "winner_share_exact": None if won is None else fraction_str(won),
        "votes": dict(o.votes),
        "explanation": list(o.explanation),
    }
