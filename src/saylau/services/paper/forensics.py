"""Use case: the forensics checks of an event's precinct results, as published (spec/forensics.md §12).

Here, in the paper count's room, because the checks read the paper count's results (one row per precinct
with an accepted protocol), because the static site that carries them is built by
``services.paper.publication`` (paper may not import ``services.audit``), and because only this room knows
the shipped demo data sets, which are reconstructions (``synthetic``).

Inputs: every contest that runs everywhere (questions and party lists; a single-member district's few
precincts are examined inside the party list's), one row per precinct with an accepted protocol: its
``region`` is the unit just below the country (a region, a city of republican significance, abroad); a
precinct under an ``abroad`` unit is special (abroad), so it is left out of the distribution checks
(the territory format marks no other special kind); ``registered`` is the protocol's line (the territory's
figure where a protocol has none), ``cast`` the line of those who took part; the votes are the options'
lines (yes and no for a question). Where an e-election is counted as a unit's channel, the unit's paper
votes (the sum over its precincts) are compared with its e-ballots (§9).

The seed is the first 16 hexadecimal digits of the SHA-256 of the results document (its canonical form
without ``generated_at``, as a release records it): the same results give the same report, anywhere.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from saylau.forensics import ChannelPair, ForensicsInput, ForensicsReport, ForensicsSettings, PrecinctData, Special
from saylau.model import LANGS, Lang, Mode, QuestionContest, ResultsView, Territory, UnitCode, UnitKind
from saylau.model.referendum import Contest
from saylau.publish.forensics_json import Pairs, forensics_document
from saylau.publish.static_site import results_digest
from saylau.services.context import Context
from saylau.services.lookup import load_event, require_territory
from saylau.services.paper.demo import shipped_demos
from saylau.services.paper.embargo import Audience, check_public
from saylau.services.paper.results import LiveResults, Stamp, build_view
from saylau.store import EventRow

__all__ = [
    "DEFAULT_SETTINGS",
    "EventForensics",
    "ForensicsCache",
    "event_forensics",
    "forensics_input",
    "forensics_of_view",
    "forensics_seed",
    "is_shipped_demo",
]

DEFAULT_SETTINGS = ForensicsSettings()
QUESTION_OPTIONS = ("yes", "no")
TOOK_PART = "participated"  # the protocol line of the ballots found in the boxes (every shipped preset)


@dataclass(frozen=True, slots=True)
class EventForensics:
    """The checks of every examined contest of an event, and the plain document pages and files show."""

    event: str
    seed: int
    synthetic: bool
    reports: tuple[ForensicsReport, ...]
    document: Mapping[str, Any]  # publish.forensics_json: plain values only (JSON-ready)
    regions: Mapping[str, Mapping[str, str]]  # region code -> language -> its name (for the pages)

    def names(self, lang: Lang) -> dict[str, str]:
        """Each region's name in ``lang``."""
        return {code: by_lang[lang] for code, by_lang in self.regions.items()}


def forensics_seed(results_sha256: str) -> int:
    """The seed of an event's report: its results digest's first 64 bits (spec/forensics.md §12)."""
    return int(results_sha256[:16], 16)


def is_shipped_demo(row: EventRow) -> bool:
    """Whether the event is one of the shipped demo data sets (reconstructions): its definition's SHA-256 is
    that of a shipped ``event.json``, as ``saylau demo`` recognises its own events."""
    return any((d.code, d.definition_sha256) == (row.referendum.code, row.definition_sha256) for d in shipped_demos())


def _region(territory: Territory, code: UnitCode) -> UnitCode:
    """The unit just below the country that holds ``code``."""
    above = territory.ancestors(code)
    return above[-2] if len(above) >= 2 else code


def _options(contest: Contest) -> tuple[str, ...]:
    return QUESTION_OPTIONS if isinstance(contest, QuestionContest) else contest.option_fields


def forensics_input(view: ResultsView, contest: Contest, synthetic: bool) -> ForensicsInput:
    """One contest's precinct rows (accepted protocols only) and channel pairs; the winner examined is the
    option with the most votes (a tie: the first of them in ballot order)."""
    territory = view.territory
    options = _options(contest)
    precincts = []
    for code in territory.precincts():
        result = view.results.get(code)
        counts = result.totals.get(contest.code) if result is not None and result.reported else None
        if counts is None:
            continue
        region = _region(territory, code)
        registered = counts.get("registered", territory[code].registered or 0)
        special = Special.ABROAD if territory[region].kind is UnitKind.ABROAD else None
        votes = {o: counts.get(o, 0) for o in options}
        precincts.append(PrecinctData(code, region, registered, counts.get(TOOK_PART, 0), votes, special))
    totals = {o: sum(p.votes[o] for p in precincts) for o in options}
    winner = max(options, key=lambda o: totals[o]) if precincts else None
    return ForensicsInput(str(contest.code), tuple(precincts), winner, _channels(view, contest, options), synthetic)


def _channels(view: ResultsView, contest: Contest, options: tuple[str, ...]) -> tuple[ChannelPair, ...]:
    pairs = []
    for source in view.channels:
        result = view.results.get(source.unit)
        if source.status != "counted" or result is None:
            continue
        electronic = result.channels.get(source.channel, {}).get(contest.code)
        if electronic is None:
            continue
        paper = dict.fromkeys(options, 0)
        for p in view.territory.precincts(source.unit):
            counts = view.results[p].totals.get(contest.code, {}) if p in view.results else {}
            for o in options:
                paper[o] += counts.get(o, 0)
        pairs.append(ChannelPair(str(source.unit), paper, {o: electronic.get(o, 0) for o in options}))
    return tuple(pairs)


def _examined(view: ResultsView) -> list[Contest]:
    return [q for q in view.event.contests if q.scope is None]


def _pairs(data: ForensicsInput, report: ForensicsReport) -> Pairs:
    """The analysed precincts' (took part, registered) and (winner's votes, valid votes), for the fine
    histograms of the pages (publish.forensics_json)."""
    left_out = {e.code for e in report.exclusions}
    kept = [p for p in data.precincts if p.code not in left_out]
    return Pairs(
        turnout=tuple((p.cast, p.registered) for p in kept),
        share=tuple((p.votes[report.winner], sum(p.votes.values())) for p in kept),
    )


def forensics_of_view(
    view: ResultsView, synthetic: bool, settings: ForensicsSettings = DEFAULT_SETTINGS
) -> EventForensics:
    """The checks of ``view`` (pure given the view: the static site calls it inside its release)."""
    digest = results_digest(view)
    seed = forensics_seed(digest)
    reports: list[ForensicsReport] = []
    pairs: list[Pairs] = []
    not_examined: list[tuple[str, str]] = []
    for contest in _examined(view):
        data = forensics_input(view, contest, synthetic)
        if not data.precincts:
            not_examined.append((str(contest.code), "no precinct has an accepted protocol yet"))
            continue
        from saylau.forensics.analysis import analyse  # noqa: PLC0415  # lazy: numpy and scipy on first use

        report = analyse(data, seed, settings)
        reports.append(report)
        pairs.append(_pairs(data, report))
    document = forensics_document(
        event=str(view.event.code),
        title=view.event.title,
        status=view.status,
        results_sha256=digest,
        synthetic=synthetic,
        reports=reports,
        pairs=pairs,
        not_examined=not_examined,
    )
    territory = view.territory
    regions: dict[str, Mapping[str, str]] = {
        str(c): {lang: territory[c].name(lang) for lang in LANGS} for c in territory.top_units()
    }
    return EventForensics(str(view.event.code), seed, synthetic, tuple(reports), document, regions)


def event_forensics(
    ctx: Context,
    code: str,
    *,
    audience: Audience = Audience.PUBLIC,
    settings: ForensicsSettings = DEFAULT_SETTINGS,
) -> EventForensics:
    """The checks of the event's live results now (after the embargo, as the results themselves)."""
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        check_public(tx, row, ctx.clock(), audience)
        view = build_view(tx, row, require_territory(tx, row), Mode.LIVE, ctx.clock())
        synthetic = is_shipped_demo(row)
    return forensics_of_view(view, synthetic, settings)


class ForensicsCache:
    """The last report of each event, kept while its results do not change (the served page: the checks
    take seconds on a national event). Keyed by the results' stamp (services.paper.results.LiveResults)."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._reports: dict[str, tuple[Stamp, EventForensics]] = {}
        self._lock = threading.Lock()

    def get(self, code: str) -> EventForensics:
        with self._lock:  # one computation at a time: a second request waits and reuses it
            stamp = LiveResults(self._ctx, code).stamp()  # an unknown event raises NotFound
            cached = self._reports.get(code)
            if cached is not None and cached[0] == stamp:
                with self._ctx.store.transaction() as tx:  # the embargo is read on every request
                    check_public(tx, load_event(tx, code), self._ctx.clock())
                return cached[1]
            report = event_forensics(self._ctx, code)
            self._reports[code] = (stamp, report)
            return report
