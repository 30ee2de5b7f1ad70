"""JSON of election contests (spec/formats.md §4): the contest, its figures per unit, its outcome.

Question contests are not written here: they keep the referendum format unchanged.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from saylau.model.numbers import decimal_str, fraction_str, ratio_decimal_str, ratio_fraction_str
from saylau.model.outcome import DistrictOutcome, SeatOutcome
from saylau.model.protocol import Counts
from saylau.model.referendum import ElectionContest, Option
from saylau.rules.outcome_json import DECIMAL_PLACES

__all__ = [
    "district_outcome_json",
    "election_contest_json",
    "election_counts_json",
    "exact_ratio",
    "seat_outcome_json",
]


def exact_ratio(counts: Counts, num: str, den: str) -> dict[str, str] | None:
    """``exact(share(counts, num, den))`` without building the Fraction."""
    whole = counts.get(den, 0)
    if whole == 0 or num not in counts:
        return None
    part = counts[num]
    return {"decimal": ratio_decimal_str(part, whole, 4), "fraction": ratio_fraction_str(part, whole)}


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
    votes = [(o.code, counts.get(o.code, 0)) for o in q.options]
    whole = sum(v for _, v in votes)  # contests.base
    return {
        "counts": dict(counts),
        "shares": {
            "turnout": exact_ratio(counts, "participated", "registered"),
            "invalid": exact_ratio(counts, "invalid", "participated"),
        },
        "base": whole,
        "option_shares": {code: _option_share(v, whole) for code, v in votes},  # as contests.option_rows
    }


def _option_share(votes: int, whole: int) -> dict[str, str] | None:
    if not whole:
        return None
    return {"decimal": ratio_decimal_str(votes, whole, 4), "fraction": ratio_fraction_str(votes, whole)}


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
