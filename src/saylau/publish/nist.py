"""The results as a NIST SP 1500-100 v2 election report, JSON (spec/formats.md §8). Pure and deterministic.

Every ``@id`` is derived from a saylau code (``gpu-<unit>``, ``con-<contest>``, ``sel-<contest>-<option>``,
``par-<party>``, ``can-<contest>-<option>``), so two exports of the same view are identical. The counts
NIST has no field for (invalid ballots, NIST issue #67; received, issued and cancelled ballots) are mapped
as spec/formats.md §8 says, or left to the saylau JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, assert_never

from saylau import __version__
from saylau.model.ids import UnitCode
from saylau.model.protocol import Counts
from saylau.model.referendum import (
    Contest,
    DistrictContest,
    ElectionContest,
    Option,
    OptionKind,
    PartyListContest,
    QuestionContest,
    QuestionText,
    Referendum,
)
from saylau.model.results import ResultsView
from saylau.model.territory import Unit, UnitKind
from saylau.publish.contests import contest_result, in_scope
from saylau.publish.figures import refuse_test, units_in_order

__all__ = ["DEFAULT_ISSUER", "DEFAULT_ISSUER_ABBREVIATION", "VENDOR_APPLICATION_ID", "to_nist"]

VENDOR_APPLICATION_ID = f"saylau {__version__}"
# Overridable per event with the settings "issuer" and "issuer_abbreviation".
DEFAULT_ISSUER = "Central Election Commission of the Republic of Kazakhstan"
DEFAULT_ISSUER_ABBREVIATION = "CEC RK"
_P = "ElectionResults."
_YES_NO: tuple[tuple[str, Mapping[str, str]], ...] = (
    ("yes", {"kk": "Иә", "ru": "Да", "en": "Yes"}),
    ("no", {"kk": "Жоқ", "ru": "Нет", "en": "No"}),
)


def to_nist(view: ResultsView) -> dict[str, Any]:
    """The ``ElectionReport`` (precinct-level). Refused (``test_not_publishable``) for test data."""
    refuse_test(view)
    event = view.event
    parties = [_party(code, names) for code, names in _parties(event).items()]
    report: dict[str, Any] = {
        "@type": _P + "ElectionReport",
        "Format": "precinct-level",
        "GeneratedDate": _datetime(view),
        "Issuer": event.settings.get("issuer", DEFAULT_ISSUER),
        "IssuerAbbreviation": event.settings.get("issuer_abbreviation", DEFAULT_ISSUER_ABBREVIATION),
        "VendorApplicationId": VENDOR_APPLICATION_ID,
        "SequenceStart": 1,
        "SequenceEnd": 1,
        "Status": results_status(view),
        "IsTest": False,
        "Election": [_election(view)],
        "GpUnit": [_reporting_unit(view, view.territory[c]) for c in view.territory.walk()],
    }
    return report | ({"Party": parties} if parties else {})


def gpunit_id(code: str) -> str:
    return f"gpu-{code}"


def results_status(view: ResultsView) -> str:
    """certified stays certified; provisional and final are unofficial (NIST has no official-uncertified
    value), complete when every contest has every precinct of its area reported."""
    if view.status == "certified":
        return "certified"
    complete = all(r is not None and r.complete for r, _ in (contest_result(view, q) for q in view.event.contests))
    return "unofficial-complete" if complete else "unofficial-partial"


def _datetime(view: ResultsView) -> str:
    at = view.generated_at.replace(microsecond=0)
    text = at.isoformat()
    return text if at.tzinfo is not None else text + "Z"  # a naive clock reading is taken as UTC


def _text(texts: Iterable[tuple[str, str]], label: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": _P + "InternationalizedText"}
    if label is not None:
        out["Label"] = label
    out["Text"] = [{"@type": _P + "LanguageString", "Language": lang, "Content": content} for lang, content in texts]
    return out


def _names(names: Mapping[str, str], fallback: str) -> dict[str, Any]:
    """Names in the order kk, ru, en, then any other language sorted; the code when there is none."""
    order = {"kk": 0, "ru": 1, "en": 2}
    items = sorted(names.items(), key=lambda kv: (order.get(kv[0], 3), kv[0]))
    return _text(items or [("und", fallback)])


def _other_id(kind: str, value: str) -> list[dict[str, Any]]:
    return [{"@type": _P + "ExternalIdentifier", "Type": "other", "OtherType": kind, "Value": value}]


def _election(view: ResultsView) -> dict[str, Any]:
    event = view.event
    referendum = all(isinstance(q, QuestionContest) for q in event.contests)
    out: dict[str, Any] = {
        "@type": _P + "Election",
        "Name": _text([("en", event.title)]),
        "StartDate": event.date.isoformat(),
        "EndDate": event.date.isoformat(),
        # NIST's types are US election kinds: a referendum is none of them ("special" fills a vacancy).
        "Type": "other" if referendum else "general",
        "ElectionScopeId": gpunit_id(view.territory.root),
        "ExternalIdentifier": _other_id("saylau-event-code", event.code),
    }
    if referendum:
        out["OtherType"] = "referendum"
    candidates = [_candidate(view, q, o) for q in event.contests if isinstance(q, DistrictContest) for o in q.options
                  if o.kind is not OptionKind.AGAINST_ALL]  # fmt: skip
    if candidates:
        out["Candidate"] = candidates
    out["Contest"] = [_contest(view, q, i) for i, q in enumerate(event.contests, start=1)]
    ballots = [b for q in event.contests for b in _ballot_counts(view, q)]
    if ballots:
        out["BallotCounts"] = ballots
    return out


def _reporting_unit(view: ResultsView, unit: Unit) -> dict[str, Any]:
    out: dict[str, Any] = {"@id": gpunit_id(unit.code), "@type": _P + "ReportingUnit"}
    match unit.kind:
        case UnitKind.COUNTRY | UnitKind.PRECINCT:
            out["Type"] = str(unit.kind)
        case UnitKind.REGION:
            out["Type"] = "state"  # first-level division (oblast, city of republican significance)
        case UnitKind.ABROAD | UnitKind.DISTRICT:
            out["Type"], out["OtherType"] = "other", str(unit.kind)  # no such type; "county" is US-specific
        case _:
            assert_never(unit.kind)
    out["Name"] = _names(unit.names, unit.code)
    out["ExternalIdentifier"] = _other_id("saylau-unit-code", unit.code)
    children = view.territory.children(unit.code)
    if children:
        out["ComposingGpUnitIds"] = [gpunit_id(c) for c in children]
    result = view.results.get(unit.code)
    if result is not None:
        out["SubUnitsReported"], out["TotalSubUnits"] = result.reported, result.expected
        counts = next((result.totals[q.code] for q in view.event.contests if q.code in result.totals
                       and in_scope(view, q, unit.code)), None)  # fmt: skip
        if counts is not None and "registered" in counts:
            out["VotersRegistered"] = counts["registered"]
        if counts is not None and "participated" in counts:
            out["VotersParticipated"] = counts["participated"]
    return out


def _unit_counts(view: ResultsView, q: Contest) -> Iterator[tuple[UnitCode, Counts]]:
    """(unit, counts) of every unit with a result for the contest in its area, country first."""
    for code, _, result in units_in_order(view):
        counts = result.totals.get(q.code)
        if counts is not None and in_scope(view, q, code):
            yield code, counts


def _vote_counts(view: ResultsView, q: Contest, fld: str) -> list[dict[str, Any]]:
    return [
        {"@type": _P + "VoteCounts", "GpUnitId": gpunit_id(code), "Type": "total", "Count": counts[fld]}
        for code, counts in _unit_counts(view, q)
        if fld in counts
    ]


def _ballot_counts(view: ResultsView, q: Contest) -> list[dict[str, Any]]:
    """Each contest is its own ballot paper: ballots in the box and invalid ones, per unit (§8)."""
    out = []
    for code, counts in _unit_counts(view, q):
        entry: dict[str, Any] = {"@type": _P + "BallotCounts", "GpUnitId": gpunit_id(code), "Type": "other",
                                 "OtherType": f"contest-ballots:{_contest_id(q)}"}  # fmt: skip
        if "participated" in counts:
            entry["BallotsCast"] = counts["participated"]
        if "invalid" in counts:
            entry["BallotsRejected"] = counts["invalid"]
        out.append(entry)
    return out


def _contest_id(q: Contest) -> str:
    return f"con-{q.code}"


def _contest(view: ResultsView, q: Contest, order: int) -> dict[str, Any]:
    result, _ = contest_result(view, q)
    out: dict[str, Any] = {
        "@id": _contest_id(q),
        "ElectionDistrictId": gpunit_id(q.scope or view.territory.root),
        "Name": str(q.code),
        "SequenceOrder": order,
    }
    if result is not None:
        out["SubUnitsReported"], out["TotalSubUnits"] = result.reported, result.expected
    official = [(t.lang, t.text) for t in q.texts if t.official]
    if official:
        out["FullText" if isinstance(q, QuestionContest) else "BallotTitle"] = _text(official, "official")
    translations = _translations(q.texts)
    if translations is not None:
        out["SummaryText"] = translations
    match q:
        case QuestionContest():
            return out | _ballot_measure(view, q)
        case PartyListContest():
            return out | _party_contest(view, q)
        case DistrictContest():
            return out | _candidate_contest(view, q)
        case _:
            assert_never(q)


def _translations(texts: tuple[QuestionText, ...]) -> dict[str, Any] | None:
    """Translations are never passed off as official: they go apart, labelled (BallotMeasure: SummaryText)."""
    rest = [(t.lang, t.text) for t in texts if not t.official]
    return _text(rest, "translation, not official") if rest else None


def _ballot_measure(view: ResultsView, q: QuestionContest) -> dict[str, Any]:
    selections = [
        {"@id": f"sel-{q.code}-{fld}", "@type": _P + "BallotMeasureSelection", "SequenceOrder": i,
         "Selection": _names(names, fld), "VoteCounts": _vote_counts(view, q, fld)}
        for i, (fld, names) in enumerate(_YES_NO, start=1)
    ]  # fmt: skip
    # Both answers marked ("valid but not counted", 2022 amendment) is an overvote.
    other = [{"@type": _P + "OtherCounts", "GpUnitId": gpunit_id(code), "Overvotes": counts["not_counted"]}
             for code, counts in _unit_counts(view, q) if "not_counted" in counts]  # fmt: skip
    out: dict[str, Any] = {"@type": _P + "BallotMeasureContest", "Type": "referendum", "ContestSelection": selections}
    if other:
        out["OtherCounts"] = other
    return out


def _against_all(view: ResultsView, q: ElectionContest, o: Option, order: int) -> dict[str, Any]:
    """NIST has no against-all choice (nor a label on a selection): it is the one CandidateSelection
    without CandidateIds, not a write-in (§8)."""
    return {
        "@id": f"sel-{q.code}-{o.code}",
        "@type": _P + "CandidateSelection",
        "SequenceOrder": order,
        "IsWriteIn": False,
        "VoteCounts": _vote_counts(view, q, o.code),
    }


def _party_contest(view: ResultsView, q: PartyListContest) -> dict[str, Any]:
    seats = view.seat_outcomes.get(q.code)
    scope = gpunit_id(q.scope or view.territory.root)
    selections = []
    for i, o in enumerate(q.options, start=1):
        if o.kind is OptionKind.AGAINST_ALL:
            selections.append(_against_all(view, q, o, i))
            continue
        counts = _vote_counts(view, q, o.code)
        if seats is not None and o.code in seats.seats:
            counts.append(
                {"@type": _P + "VoteCounts", "GpUnitId": scope, "Type": "seats", "Count": seats.seats[o.code]}
            )
        selections.append({"@id": f"sel-{q.code}-{o.code}", "@type": _P + "PartySelection", "SequenceOrder": i,
                           "PartyIds": [f"par-{o.code}"], "VoteCounts": counts})  # fmt: skip
    return {"@type": _P + "PartyContest", "VoteVariation": "proportional", "ContestSelection": selections}


def _candidate_contest(view: ResultsView, q: DistrictContest) -> dict[str, Any]:
    selections = [
        _against_all(view, q, o, i)
        if o.kind is OptionKind.AGAINST_ALL
        else {"@id": f"sel-{q.code}-{o.code}", "@type": _P + "CandidateSelection", "SequenceOrder": i,
              "CandidateIds": [f"can-{q.code}-{o.code}"], "VoteCounts": _vote_counts(view, q, o.code)}
        for i, o in enumerate(q.options, start=1)
    ]  # fmt: skip
    return {
        "@type": _P + "CandidateContest",
        "VotesAllowed": 1,
        "NumberElected": q.seats,
        "VoteVariation": "plurality",
        "ContestSelection": selections,
    }


def _candidate(view: ResultsView, q: DistrictContest, o: Option) -> dict[str, Any]:
    out: dict[str, Any] = {"@id": f"can-{q.code}-{o.code}", "@type": _P + "Candidate",
                           "BallotName": _names(o.names, o.code)}  # fmt: skip
    if o.party is not None:
        out["PartyId"] = f"par-{o.party}"
    outcome = view.district_outcomes.get(q.code)
    if outcome is not None:
        won = outcome.winner == o.code
        if view.status == "provisional":
            if won:
                out["PostElectionStatus"] = "projected-winner"
        else:
            out["PostElectionStatus"] = "winner" if won else "defeated"
    return out


def _parties(event: Referendum) -> dict[str, Mapping[str, str]]:
    """Party-list options first (by code, first seen), then parties named only by district candidates."""
    out: dict[str, Mapping[str, str]] = {}
    for q in event.contests:
        if isinstance(q, PartyListContest):
            for o in q.options:
                if o.kind is not OptionKind.AGAINST_ALL:
                    out.setdefault(o.code, o.names)
    for q in event.contests:
        if not isinstance(q, QuestionContest):  # a question has no options
            for o in q.options:
                if o.party is not None:
                    out.setdefault(o.party, {})
    return out


def _party(code: str, names: Mapping[str, str]) -> dict[str, Any]:
    return {
        "@id": f"par-{code}",
        "@type": _P + "Party",
        "Name": _names(names, code),
        "ExternalIdentifier": _other_id("saylau-party-code", code),
    }
