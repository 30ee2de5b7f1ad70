"""Aggregated results of a unit (precinct, district, region, country) and what publication is given."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from saylau.model.ids import QuestionCode, UnitCode
from saylau.model.lifecycle import Mode, Phase
from saylau.model.outcome import DistrictOutcome, Outcome, SeatOutcome
from saylau.model.protocol import Counts
from saylau.model.referendum import Referendum
from saylau.model.territory import Territory

__all__ = [
    "ChannelSource",
    "ChannelStatus",
    "Correction",
    "PrecinctWarning",
    "ResultStatus",
    "ResultsView",
    "UnitResult",
]

ResultStatus = Literal["provisional", "final", "certified"]
ChannelStatus = Literal["pending", "counted"]


@dataclass(frozen=True, slots=True)
class UnitResult:
    """Sums of every protocol field over the unit's precincts that have an accepted protocol."""

    unit: UnitCode
    expected: int
    reported: int
    missing: tuple[UnitCode, ...]
    totals: Mapping[QuestionCode, Counts]
    # Of the totals, what each channel (e.g. "electronic") at this unit or below brought (spec/counting.md
    # §5): the totals already include it; a unit without channels has none.
    channels: Mapping[str, Mapping[QuestionCode, Counts]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.reported == self.expected


@dataclass(frozen=True, slots=True)
class ChannelSource:
    """An e2e election linked to a unit of the event as a channel (spec/counting.md §5).

    ``pending`` until the election's record has its ``result`` event; ``counted`` after, with the record's
    head (the result event's hash) and the counted ballots, so anyone can check them with saylau-verify.
    """

    channel: str
    unit: UnitCode
    election: str
    fingerprint: str
    status: ChannelStatus
    head: str | None = None
    ballots: int | None = None
    questions: Mapping[str, QuestionCode] = field(default_factory=dict)  # e2e question -> event question


@dataclass(frozen=True, slots=True)
class PrecinctWarning:
    """An implausible but legal value, accepted and kept (e.g. turnout above 95%)."""

    precinct: UnitCode
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Correction:
    precinct: UnitCode
    version: int
    reason: str
    previous: Mapping[QuestionCode, Counts]
    current: Mapping[QuestionCode, Counts]


@dataclass(frozen=True, slots=True)
class ResultsView:
    """Everything a report needs, already computed: renderers only format it."""

    event: Referendum
    territory: Territory
    phase: Phase
    mode: Mode
    status: ResultStatus
    results: Mapping[UnitCode, UnitResult]
    outcomes: Mapping[QuestionCode, Outcome]
    generated_at: dt.datetime
    warnings: tuple[PrecinctWarning, ...] = ()
    corrections: tuple[Correction, ...] = field(default_factory=tuple)
    # Election contests (spec/contests.md): outcomes holds the question contests only.
    seat_outcomes: Mapping[QuestionCode, SeatOutcome] = field(default_factory=dict)
    district_outcomes: Mapping[QuestionCode, DistrictOutcome] = field(default_factory=dict)
    # The e2e channels linked to the event's units, pending or counted (spec/counting.md §5).
    channels: tuple[ChannelSource, ...] = ()
