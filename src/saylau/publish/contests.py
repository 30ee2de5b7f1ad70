"""Figures of election contests (party lists, single-member districts) shared by every renderer.

A contest's *base* is the sum of its option fields: the ballots cast for a party or candidate and
against all (the threshold base, kazakhstan.md §3). Option shares are over the base; turnout is
participated / registered and the invalid share is invalid / participated, as for questions.
A district contest is shown on its scope unit and the units under it only: the units above repeat the
scope unit's figures and the units beside it have zeros (spec/formats.md §4).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar

from saylau.model.ids import UnitCode
from saylau.model.outcome import DistrictOutcome
from saylau.model.protocol import Counts
from saylau.model.referendum import (
    Contest,
    DistrictContest,
    ElectionContest,
    Option,
    OptionKind,
    PartyListContest,
    QuestionContest,
)
from saylau.model.results import ResultsView, UnitResult

__all__ = [
    "DistrictRow",
    "OptionRow",
    "base",
    "colour",
    "contest_result",
    "district_row",
    "election_contests",
    "in_scope",
    "option_rows",
    "party_label",
]

# Colours of the party lists on the HTML page, by ballot position (high contrast on white).
PALETTE = ("#1f4e8c", "#b8860b", "#0b6b2e", "#a3121b", "#6a3d9a", "#007c80", "#b15928", "#c2185b", "#33691e")
AGAINST_ALL_COLOUR = "#777777"
_Kind = TypeVar("_Kind", PartyListContest, DistrictContest)


@dataclass(frozen=True, slots=True)
class OptionRow:
    option: Option
    votes: int
    share: Fraction | None  # votes / base; None when the base is zero


@dataclass(frozen=True, slots=True)
class DistrictRow:
    """One single-member district, ready to print. ``winner`` is None when no one is elected or the
    outcome is not decided yet (``decided`` False); ``runner_up`` is then the candidate with most votes."""

    contest: DistrictContest
    scope_name: str
    result: UnitResult | None
    counts: Counts
    outcome: DistrictOutcome | None
    winner: OptionRow | None
    runner_up: OptionRow | None
    against_all: OptionRow | None
    turnout: Fraction | None

    @property
    def decided(self) -> bool:
        return self.outcome is not None


def election_contests(view: ResultsView, kind: type[_Kind]) -> tuple[_Kind, ...]:
    """The event's contests of one election kind (``PartyListContest`` or ``DistrictContest``), in order."""
    return tuple(q for q in view.event.contests if isinstance(q, kind))


def in_scope(view: ResultsView, contest: Contest, unit: UnitCode) -> bool:
    """True when the unit is the contest's scope unit or under it (always for a nationwide contest).
    Question contests are shown wherever they have totals, as in the referendum format."""
    if contest.scope is None or isinstance(contest, QuestionContest):
        return True
    return unit == contest.scope or contest.scope in view.territory.ancestors(unit)


def contest_result(view: ResultsView, contest: Contest) -> tuple[UnitResult | None, Counts]:
    """The result of the contest's whole area: the scope unit's, or the country's."""
    result = view.results.get(contest.scope or view.territory.root)
    counts = result.totals.get(contest.code, {}) if result is not None else {}
    return result, counts


def base(contest: ElectionContest, counts: Counts) -> int:
    return sum(counts.get(o.code, 0) for o in contest.options)


def option_rows(contest: ElectionContest, counts: Counts) -> tuple[OptionRow, ...]:
    """Every option in ballot order with its votes and share of the base."""
    whole = base(contest, counts)
    return tuple(
        OptionRow(o, counts.get(o.code, 0), Fraction(counts.get(o.code, 0), whole) if whole else None)
        for o in contest.options
    )


def _ranked(rows: tuple[OptionRow, ...]) -> list[OptionRow]:
    """Candidates (against all excluded) by votes, then ballot order."""
    candidates = [r for r in rows if r.option.kind is not OptionKind.AGAINST_ALL]
    return sorted(candidates, key=lambda r: (-r.votes, r.option.order if r.option.order is not None else 0))


def district_row(view: ResultsView, contest: DistrictContest) -> DistrictRow:
    result, counts = contest_result(view, contest)
    rows = option_rows(contest, counts)
    outcome = view.district_outcomes.get(contest.code)
    ranked = _ranked(rows)
    winner = next((r for r in rows if outcome is not None and r.option.code == outcome.winner), None)
    others = [r for r in ranked if r is not winner]
    registered = counts.get("registered", 0)
    return DistrictRow(
        contest=contest,
        scope_name=view.territory[contest.scope].name("en"),
        result=result,
        counts=counts,
        outcome=outcome,
        winner=winner,
        runner_up=others[0] if others else None,
        against_all=next((r for r in rows if r.option.kind is OptionKind.AGAINST_ALL), None),
        turnout=Fraction(counts.get("participated", 0), registered) if registered else None,
    )


def party_label(view: ResultsView, option: Option) -> str:
    """A district candidate's nominating party by its name on a party-list ballot when there is one."""
    if option.party is None:
        return "self-nominated" if option.kind is OptionKind.CANDIDATE else ""
    for party in _parties(view):
        if party.code == option.party:
            return party.name("en")
    return option.party


def _parties(view: ResultsView) -> Iterator[Option]:
    for q in election_contests(view, PartyListContest):
        yield from (o for o in q.options if o.kind is OptionKind.PARTY)


def colour(index: int, option: Option) -> str:
    return AGAINST_ALL_COLOUR if option.kind is OptionKind.AGAINST_ALL else PALETTE[index % len(PALETTE)]
