"""The NIST SP 1500-100 v2 export (spec/formats.md §8): valid against NIST's JSON schema, mapped values,
stable ids that all resolve, test data refused.

The schema is NIST's own, shipped in tests/fixtures/nist-1500-100-v2 with its source and licence.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator
from tests.unit.test_publish_election import election_view
from tests.unit.test_publish_golden import view

from saylau.model import Mode, ResultsView, SaylauError
from saylau.publish.nist import VENDOR_APPLICATION_ID, to_nist
from saylau.services.paper.results import export

SCHEMA = (
    Path(__file__).resolve().parents[1] / "fixtures" / "nist-1500-100-v2" / "NIST_V2_election_results_reporting.json"
)


@cache
def _validator() -> Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)


def assert_valid(doc: dict[str, Any]) -> None:
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message[:300]}" for e in errors[:10])


def _contest(doc: dict[str, Any], code: str) -> dict[str, Any]:
    return next(c for c in doc["Election"][0]["Contest"] if c["@id"] == f"con-{code}")


def _count(selection: dict[str, Any], unit: str, kind: str = "total") -> int:
    found = [v["Count"] for v in selection["VoteCounts"] if v["GpUnitId"] == f"gpu-{unit}" and v["Type"] == kind]
    assert len(found) == 1, (unit, kind, found)
    return int(found[0])


def _walk(node: object) -> Iterator[tuple[str, object]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _complete(v: ResultsView, status: str) -> ResultsView:
    results = {c: dataclasses.replace(r, reported=r.expected, missing=()) for c, r in v.results.items()}
    return dataclasses.replace(v, results=results, status=status)  # type: ignore[arg-type]


def test_referendum_is_valid_and_mapped() -> None:
    v = view()
    doc = to_nist(v)
    assert_valid(doc)
    national = v.results[v.territory.root].totals[v.event.contests[0].code]
    assert (doc["Format"], doc["Status"], doc["VendorApplicationId"]) == ("precinct-level", "unofficial-partial",
                                                                          VENDOR_APPLICATION_ID)  # fmt: skip
    assert doc["GeneratedDate"] == "2022-06-06T08:00:00+00:00"
    election = doc["Election"][0]
    assert (election["Type"], election["OtherType"], election["StartDate"]) == ("other", "referendum", "2022-06-05")
    q1 = _contest(doc, "q1")
    assert q1["@type"] == "ElectionResults.BallotMeasureContest"
    assert (q1["SubUnitsReported"], q1["TotalSubUnits"]) == (6, 7)
    yes, no = q1["ContestSelection"]
    assert _count(yes, "KZ") == national["yes"] == 2296
    assert _count(no, "KZ") == national["no"] == 740
    assert _count(yes, "ABR") == 45
    overvotes = {o["GpUnitId"]: o["Overvotes"] for o in q1["OtherCounts"]}
    assert overvotes["gpu-KZ"] == national["not_counted"] == 69
    ballots = {b["GpUnitId"]: b for b in election["BallotCounts"]}
    assert ballots["gpu-KZ"]["BallotsRejected"] == national["invalid"] == 105
    assert ballots["gpu-KZ"]["BallotsCast"] == national["participated"]
    assert ballots["gpu-KZ"]["OtherType"] == "contest-ballots:con-q1"
    # official text and translation kept apart
    assert q1["FullText"]["Label"] == "official"
    assert [t["Language"] for t in q1["FullText"]["Text"]] == ["ru"]
    assert [t["Language"] for t in q1["SummaryText"]["Text"]] == ["en"]


def test_referendum_territory_tree() -> None:
    doc = to_nist(view())
    units = {u["@id"]: u for u in doc["GpUnit"]}
    kz = units["gpu-KZ"]
    assert kz["Type"] == "country"
    assert kz["ComposingGpUnitIds"] == ["gpu-NORTH", "gpu-SOUTH", "gpu-CITY", "gpu-ABR"]
    assert (kz["SubUnitsReported"], kz["TotalSubUnits"], kz["VotersRegistered"]) == (6, 7, 7520)
    assert units["gpu-NORTH"]["Type"] == "state"
    assert (units["gpu-ABR"]["Type"], units["gpu-ABR"]["OtherType"]) == ("other", "abroad")
    assert units["gpu-N-1"]["Type"] == "precinct"
    assert "ComposingGpUnitIds" not in units["gpu-N-1"]
    assert [t["Language"] for t in kz["Name"]["Text"]] == ["kk", "en"]


def test_election_is_valid_and_mapped() -> None:
    v = election_view()
    doc = to_nist(v)
    assert_valid(doc)
    assert doc["Status"] == "unofficial-partial"
    assert doc["Election"][0]["Type"] == "general"
    assert [p["@id"] for p in doc["Party"]] == ["par-amanat", "par-akzhol", "par-small"]
    pl = _contest(doc, "pl")
    assert (pl["@type"], pl["ElectionDistrictId"], pl["VoteVariation"]) == ("ElectionResults.PartyContest",
                                                                           "gpu-KZ", "proportional")  # fmt: skip
    amanat, akzhol, _, against_all = pl["ContestSelection"]
    assert amanat["PartyIds"] == ["par-amanat"]
    assert _count(amanat, "KZ") == 400 + 300 + 350 + 200
    seats = v.seat_outcomes[pl["Name"]].seats  # type: ignore[index]
    assert _count(amanat, "KZ", "seats") == seats["amanat"]
    assert _count(akzhol, "KZ", "seats") == seats["akzhol"]
    assert against_all["@type"] == "ElectionResults.CandidateSelection"
    assert "CandidateIds" not in against_all
    assert _count(against_all, "KZ") == 30 + 25 + 120 + 45
    d1 = _contest(doc, "d1")
    assert (d1["@type"], d1["ElectionDistrictId"], d1["VotesAllowed"]) == ("ElectionResults.CandidateContest",
                                                                          "gpu-DN", 1)  # fmt: skip
    c1 = d1["ContestSelection"][0]
    assert c1["CandidateIds"] == ["can-d1-c1"]
    # a district contest is reported in its district and below only
    assert {vc["GpUnitId"] for vc in c1["VoteCounts"]} == {"gpu-DN", "gpu-N-1", "gpu-N-2"}
    assert _count(c1, "DN") == 550
    candidates = {c["@id"]: c for c in doc["Election"][0]["Candidate"]}
    assert candidates["can-d1-c1"]["PartyId"] == "par-amanat"
    assert "PartyId" not in candidates["can-d1-c2"]


def test_candidates_status_follows_the_results_status() -> None:
    v = election_view()
    provisional = {c["@id"]: c.get("PostElectionStatus") for c in to_nist(v)["Election"][0]["Candidate"]}
    final = {c["@id"]: c.get("PostElectionStatus") for c in to_nist(_complete(v, "final"))["Election"][0]["Candidate"]}
    winner = f"can-d1-{v.district_outcomes[next(iter(v.district_outcomes))].winner}"
    assert provisional[winner] == "projected-winner"
    assert final[winner] == "winner"
    assert "defeated" in final.values()


@pytest.mark.parametrize(
    ("status", "complete", "expected"),
    [
        ("provisional", False, "unofficial-partial"),
        ("provisional", True, "unofficial-complete"),
        ("final", False, "unofficial-partial"),
        ("final", True, "unofficial-complete"),
        ("certified", True, "certified"),
    ],
)
def test_results_status(status: str, complete: bool, expected: str) -> None:
    v = view()
    v = _complete(v, status) if complete else dataclasses.replace(v, status=status)  # type: ignore[arg-type]
    doc = to_nist(v)
    assert doc["Status"] == expected
    assert_valid(doc)


@pytest.mark.parametrize("build", [view, election_view])
def test_ids_are_unique_and_every_reference_resolves(build: Any) -> None:
    doc = to_nist(build())
    ids = [value for key, value in _walk(doc) if key == "@id"]
    assert len(ids) == len(set(ids))
    refs: list[str] = []
    for key, value in _walk(doc):
        if key in ("GpUnitId", "ElectionDistrictId", "ElectionScopeId", "PartyId"):
            refs.append(str(value))
        elif key in ("ComposingGpUnitIds", "PartyIds", "CandidateIds"):
            refs.extend(value)  # type: ignore[arg-type]
    assert set(refs) <= set(ids)


def test_deterministic_and_exported_through_the_service() -> None:
    assert json.dumps(to_nist(election_view())) == json.dumps(to_nist(election_view()))
    text = export(view(), "nist")
    assert json.loads(text) == to_nist(view())
    assert "Қазақстан" in text  # not escaped


def test_issuer_from_the_event_settings() -> None:
    v = view()
    event = dataclasses.replace(
        v.event, settings={"issuer": "Central Referendum Commission", "issuer_abbreviation": "CRC"}
    )
    doc = to_nist(dataclasses.replace(v, event=event))
    assert (doc["Issuer"], doc["IssuerAbbreviation"]) == ("Central Referendum Commission", "CRC")


@pytest.mark.parametrize("build", [view, election_view])
def test_test_mode_is_refused(build: Any) -> None:
    with pytest.raises(SaylauError) as err:
        to_nist(build(Mode.TEST))
    assert err.value.code == "test_not_publishable"
