"""Use cases: aggregate the accepted protocols, decide the outcome, and publish."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, assert_never

from saylau.count import Aggregator
from saylau.count.channels import ChannelMapping, QuestionLink, channel_sources, counting_categories
from saylau.count.layout import EventRules, event_rules, protocol_layout
from saylau.gcpause import bulk
from saylau.model import (
    Correction,
    DistrictContest,
    DistrictOutcome,
    Mode,
    Outcome,
    PartyListContest,
    Phase,
    PrecinctWarning,
    ProtocolSchema,
    QuestionCode,
    QuestionContest,
    ResultStatus,
    ResultsView,
    SeatOutcome,
    Territory,
    UnitCode,
    UnitResult,
)
from saylau.model.results import ChannelSource
from saylau.publish import render_html, to_csv, to_json, to_nist
from saylau.rules import decide, decide_district, decide_party_list
from saylau.services.context import Context
from saylau.services.lookup import load_event, require_territory
from saylau.services.paper.embargo import Audience, check_public
from saylau.store import EventRow, Tx, VersionRow
from saylau.store.channel_repo import ChannelLinkRow, channel_links, channel_stamp
from saylau.store.e2e_repo import E2eTx

__all__ = [
    "ExportFormat",
    "LiveResults",
    "PrecinctState",
    "Stamp",
    "build_view",
    "export",
    "precinct_states",
    "published_json",
    "results",
]

ExportFormat = Literal["csv", "json", "html", "nist"]
# (phase, accepted versions, newest version id, linked e2e channels, linked channels with a result)
Stamp = tuple[str, int, int, int, int]


def results(ctx: Context, code: str, *, mode: Mode = Mode.LIVE, audience: Audience = Audience.PUBLIC) -> ResultsView:
    """The results now. Live results wait for the embargo to end unless a commission member asks for them
    (``Audience.COMMISSION``): every writer of public output gets the public audience by default."""
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        if mode is Mode.LIVE:
            check_public(tx, row, ctx.clock(), audience)
        return build_view(tx, row, require_territory(tx, row), mode, ctx.clock())


class LiveResults:
    """Aggregates kept in memory; each refresh applies only the versions accepted since the last one.

    One more protocol therefore updates every level in O(depth) instead of re-reading every protocol.
    Ids come from a sequence, and on PostgreSQL a transaction may commit after one with a higher id: a
    refresh that finds fewer versions applied than stored has skipped one, and rebuilds from scratch.
    """

    def __init__(self, ctx: Context, code: str, *, mode: Mode = Mode.LIVE):
        self._ctx = ctx
        self._code = code
        self._mode = mode
        self._state: _Accumulated | None = None

    def stamp(self) -> Stamp:
        """A cheap fingerprint of what the results depend on: the phase, the number and newest id of the
        accepted versions, and the linked e2e channels and how many have a result (a result appearing
        changes the totals). Equal stamps mean an equal published document (generated_at aside)."""
        with self._ctx.store.transaction() as tx:
            row = load_event(tx, self._code)
            count, newest = tx.versions_stamp(row.id, self._mode)
            links, counted = channel_stamp(E2eTx(tx), row.id) if self._mode is Mode.LIVE else (0, 0)
            return str(row.phase), count, newest, links, counted

    def refresh(self) -> ResultsView:
        with self._ctx.store.transaction() as tx:
            row = load_event(tx, self._code)
            territory = require_territory(tx, row)
            if self._state is None:
                self._state = _Accumulated.start(row, territory)
            self._state.apply(tx.iter_versions(row.id, self._mode, after_id=self._state.last_id))
            if self._state.applied != tx.count_versions(row.id, self._mode):  # a version committed late
                self._state = _Accumulated.start(row, territory)
                self._state.apply(tx.iter_versions(row.id, self._mode))
            self._state.apply_channels(_links(tx, row, self._mode))
            return self._state.view(row, self._mode, self._ctx.clock(), row.phase)


def _links(tx: Tx, row: EventRow, mode: Mode) -> list[ChannelLinkRow]:
    """The e2e channels linked to the event; test data never mixes with them (live mode only)."""
    return channel_links(E2eTx(tx), event_id=row.id) if mode is Mode.LIVE else []


class _Accumulated:
    __slots__ = (
        "agg",
        "applied",
        "channels",
        "corrections",
        "last_id",
        "rules",
        "schemas",
        "territory",
        "warnings",
    )

    def __init__(
        self, territory: Territory, rules: EventRules, agg: Aggregator, schemas: Mapping[QuestionCode, ProtocolSchema]
    ):
        self.territory = territory
        self.rules = rules
        self.agg = agg
        self.schemas = schemas
        self.corrections: list[Correction] = []
        self.warnings: dict[UnitCode, tuple[PrecinctWarning, ...]] = {}
        self.last_id = 0
        self.applied = 0  # versions applied so far
        self.channels: dict[str, ChannelSource] = {}  # e2e election -> its channel as last applied

    @classmethod
    def start(cls, row: EventRow, territory: Territory) -> _Accumulated:
        rules = event_rules(row.referendum)
        ballot = protocol_layout(row.referendum, rules, territory)
        return cls(territory, rules, Aggregator(territory, ballot.layouts), ballot.schemas)

    def apply_channels(self, links: Sequence[ChannelLinkRow]) -> None:
        """Bring the channels in line with the links: a result that appeared is added, a link that went
        away is withdrawn; unchanged channels cost nothing (spec/counting.md §5)."""
        if not links and not self.channels:
            return
        contests = {q.contest for link in links for q in _contests_of(link)}
        took_part = {q: counting_categories(self.schemas[q], self.rules.version.preset or "")[0] for q in contests}
        wanted = {s.election: (s, c) for s, c in channel_sources(links, took_part)}
        for election, old in list(self.channels.items()):
            new = wanted.get(election)
            if old.status == "counted" and (new is None or new[0] != old):
                self.agg.remove_channel(old.channel, old.unit)
            if new is None:
                del self.channels[election]
        for election, (source, counts) in wanted.items():
            if counts is not None and self.channels.get(election) != source:
                self.agg.set_channel(source.channel, source.unit, counts)
            self.channels[election] = source

    def apply(self, versions: Iterable[VersionRow]) -> None:
        with bulk():
            for v in versions:
                self._apply_one(v)

    def _apply_one(self, v: VersionRow) -> None:
        """In acceptance order: a later version of a precinct replaces the earlier one."""
        if v.version > 1:
            previous = self.agg.result(v.precinct).totals
            self.corrections.append(Correction(v.precinct, v.version, v.reason or "", previous, v.counts))
        self.agg.set(v.precinct, v.counts)
        if v.warnings:
            self.warnings[v.precinct] = v.warnings
        else:
            self.warnings.pop(v.precinct, None)
        self.last_id = v.id
        self.applied += 1

    def _results(self) -> Mapping[UnitCode, UnitResult]:
        with bulk():
            return self.agg.results()

    def view(self, row: EventRow, mode: Mode, now: dt.datetime, phase: Phase) -> ResultsView:
        results = self._results()
        version, settings = self.rules.version, self.rules.settings
        outcomes: dict[QuestionCode, Outcome] = {}
        seats: dict[QuestionCode, SeatOutcome] = {}
        districts: dict[QuestionCode, DistrictOutcome] = {}
        for q in row.referendum.contests:
            totals = results[q.scope or self.territory.root].totals[q.code]
            if not isinstance(q, QuestionContest) and not any(totals[f] for f in q.option_fields):
                continue  # no votes in yet (e.g. the zero report): nothing to allocate or decide
            match q:
                case QuestionContest():
                    national, units = self.agg.outcome_input(q.code)
                    outcomes[q.code] = decide(version, settings, q.code, national, units)
                case PartyListContest():
                    seats[q.code] = decide_party_list(version, settings, q, totals)
                case DistrictContest():
                    districts[q.code] = decide_district(version, settings, q, totals)
                case _:
                    assert_never(q)
        return ResultsView(
            event=row.referendum,
            territory=self.territory,
            phase=phase,
            mode=mode,
            status=_status(phase),
            results=results,
            outcomes=outcomes,
            seat_outcomes=seats,
            district_outcomes=districts,
            generated_at=now,
            warnings=tuple(w for p in self.territory.precincts() if p in self.warnings for w in self.warnings[p]),
            corrections=tuple(self.corrections),
            channels=tuple(self.channels.values()),
        )


def _contests_of(link: ChannelLinkRow) -> list[QuestionLink]:
    return list(ChannelMapping.from_json(link.mapping).questions)


def build_view(
    tx: Tx, row: EventRow, territory: Territory, mode: Mode, now: dt.datetime, *, phase: Phase | None = None
) -> ResultsView:
    state = _Accumulated.start(row, territory)
    state.apply(tx.iter_versions(row.id, mode))
    state.apply_channels(_links(tx, row, mode))
    return state.view(row, mode, now, phase or row.phase)


def _status(phase: Phase) -> ResultStatus:
    if phase is Phase.CERTIFIED:
        return "certified"
    if phase is Phase.FINAL:
        return "final"
    return "provisional"


def published_json(view: ResultsView, *, level: Literal["all", "top"] = "all") -> dict[str, object]:
    return to_json(view, level=level)


def export(view: ResultsView, fmt: ExportFormat) -> str:
    """The published document in ``fmt``. Test data is refused by the renderers themselves."""
    if fmt == "csv":
        return to_csv(view)
    if fmt == "html":
        return render_html(view, beside=())  # a page on its own: no files beside it to link
    if fmt == "nist":
        return json.dumps(to_nist(view), ensure_ascii=False, indent=2) + "\n"
    return json.dumps(to_json(view), ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True, slots=True)
class PrecinctState:
    precinct: UnitCode
    state: Literal["accepted", "awaiting_second", "mismatch", "missing"]
    version: int
    operators: tuple[str, ...]


def precinct_states(ctx: Context, code: str, *, mode: Mode = Mode.LIVE) -> list[PrecinctState]:
    """Where every precinct stands: accepted (and its version), an open round, or nothing yet."""
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        territory = require_territory(tx, row)
        current = {v.precinct: v.version for v in tx.versions(row.id, mode)}
        rounds: dict[UnitCode, list[tuple[str, str]]] = {}
        for e in tx.entries(row.id, mode):
            if e.round > current.get(e.precinct, 0):
                rounds.setdefault(e.precinct, []).append((e.operator, e.decision))
    return [_state(p, current.get(p, 0), rounds.get(p, [])) for p in territory.precincts()]


def _state(precinct: UnitCode, version: int, open_round: Sequence[tuple[str, str]]) -> PrecinctState:
    operators = tuple(op for op, _ in open_round)
    if open_round:
        state: Literal["accepted", "awaiting_second", "mismatch", "missing"] = (
            "mismatch" if open_round[-1][1] == "mismatch" else "awaiting_second"
        )
    else:
        state = "accepted" if version else "missing"
    return PrecinctState(precinct, state, version, operators)
