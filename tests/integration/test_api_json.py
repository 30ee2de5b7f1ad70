"""The JSON API on SQLite and PostgreSQL: events, published results, units, precincts, errors, live stream."""

from __future__ import annotations

import json
import threading
import time

import pytest
from fastapi.testclient import TestClient
from tests.integration.small import GOOD, TERRITORY, event_bytes, protocols_csv

from saylau.api import create_app
from saylau.model import Mode, Phase
from saylau.services import Context, advance, create_event, enter_file, import_territory

PROBLEM = "application/problem+json"


def as_operator(ctx: Context, who: str) -> Context:
    return Context(ctx.store, ctx.clock, who)


def enter_twice(ctx: Context, precincts: tuple[str, ...], *, mode: Mode = Mode.LIVE) -> None:
    rows = {p: GOOD[p] for p in precincts}
    for who in ("op-1", "op-2"):
        enter_file(as_operator(ctx, who), "small", protocols_csv(rows), "batch.csv", "csv", mode=mode)


def counting_small(ctx: Context) -> None:
    """The small referendum in counting: P1-P3 accepted, P4 entered once, P5 in test mode only."""
    create_event(ctx, event_bytes(), "event.json")
    import_territory(ctx, "small", TERRITORY.encode(), "territory.csv", "csv")
    advance(ctx, "small", Phase.VOTING)
    enter_twice(ctx, ("P5",), mode=Mode.TEST)  # test protocols are taken before counting only
    advance(ctx, "small", Phase.COUNTING)
    enter_twice(ctx, ("P1", "P2", "P3"))
    enter_file(as_operator(ctx, "op-1"), "small", protocols_csv({"P4": GOOD["P4"]}), "p4.csv", "csv")


@pytest.fixture
def client(ctx: Context) -> TestClient:
    counting_small(ctx)
    return TestClient(create_app(ctx, stream_interval=0.05, stream_max_seconds=10))


def test_events_are_listed(client: TestClient) -> None:
    response = client.get("/api/events")
    assert response.status_code == 200
    assert response.json() == [
        {
            "code": "small",
            "title": "Small constitutional referendum",
            "date": "2022-06-05",
            "preset": "kz-constitutional",
            "phase": "counting",
            "contests": 1,
        }
    ]


def test_results_are_the_published_document_of_live_data_only(client: TestClient) -> None:
    doc = client.get("/api/events/small/results").json()
    assert doc["format"] == "saylau-results"
    assert doc["mode"] == "live"
    assert doc["status"] == "provisional"
    national = next(u for u in doc["units"] if u["code"] == "KZ")
    assert (national["reported"], national["expected"]) == (3, 5)  # P5 was entered in test mode only
    counts = national["questions"]["q1"]["counts"]
    assert counts["yes"] == sum(GOOD[p][5] for p in ("P1", "P2", "P3"))
    assert national["questions"]["q1"]["shares"]["turnout"]["fraction"] == "217/300"
    assert "q1" in doc["outcomes"]


def test_a_unit_comes_with_its_children(client: TestClient) -> None:
    body = client.get("/api/events/small/units/R1").json()
    assert [p["code"] for p in body["path"]] == ["KZ", "R1"]
    assert body["unit"]["code"] == "R1"
    assert body["unit"]["reported"] == 2
    assert [c["code"] for c in body["children"]] == ["R1-D1"]
    precinct = client.get("/api/events/small/units/P1").json()
    assert precinct["unit"]["questions"]["q1"]["counts"]["yes"] == GOOD["P1"][5]
    assert precinct["children"] == []


def test_precinct_states_do_not_name_operators(client: TestClient) -> None:
    states = {s["precinct"]: s for s in client.get("/api/events/small/precincts").json()}
    assert {p: s["state"] for p, s in states.items()} == {
        "P1": "accepted",
        "P2": "accepted",
        "P3": "accepted",
        "P4": "awaiting_second",
        "P5": "missing",  # its test-mode entries are not live
    }
    assert states["P1"] == {"precinct": "P1", "state": "accepted", "version": 1}


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("/api/events/nope/results", "not_found"),
        ("/api/events/nope/units/KZ", "not_found"),
        ("/api/events/small/units/NOPE", "not_found"),
        ("/api/events/nope/precincts", "not_found"),
        ("/api/events/nope/stream", "not_found"),
        ("/api/no-such-route", "not_found"),
    ],
)
def test_unknown_things_are_problem_json_404(client: TestClient, url: str, code: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == 404
    assert body["code"] == code
    assert body["title"] == "Not Found"
    assert body["type"] == f"urn:saylau:problem:{code}"
    assert body["detail"]


def test_an_invalid_request_is_problem_json_422_listing_every_problem(client: TestClient) -> None:
    response = client.get("/api/events/small/stream", params={"max_events": 0})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["code"] == "bad_request"
    assert [p["field"] for p in body["problems"]] == ["query.max_events"]
    assert all({"rule", "message", "field"} <= set(p) for p in body["problems"])


def test_an_event_without_territory_is_a_409(ctx: Context) -> None:
    create_event(ctx, event_bytes(), "event.json")
    response = TestClient(create_app(ctx)).get("/api/events/small/results")
    assert response.status_code == 409
    assert response.json()["code"] == "no_territory"


def test_openapi_documents_the_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/events", "/api/events/{code}/results", "/api/events/{code}/units/{unit}"):
        assert path in paths
    assert PROBLEM in paths["/api/events/{code}/results"]["get"]["responses"]["404"]["content"]


def _events(text: str) -> list[dict[str, object]]:
    out = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if not line.startswith(":"))
        if lines.get("event") == "results":
            out.append(json.loads(lines["data"]))
    return out


def test_the_stream_sends_an_event_when_a_protocol_is_accepted(ctx: Context, client: TestClient) -> None:
    def second_entry_of_p4() -> None:
        time.sleep(0.3)
        enter_file(as_operator(ctx, "op-2"), "small", protocols_csv({"P4": GOOD["P4"]}), "p4.csv", "csv")

    writer = threading.Thread(target=second_entry_of_p4)
    writer.start()
    started = time.monotonic()
    response = client.get("/api/events/small/stream", params={"max_events": 2})
    writer.join()
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    first, second = _events(response.text)
    assert (first["reported"], second["reported"]) == (3, 4)
    assert first["fingerprint"] != second["fingerprint"]
    assert time.monotonic() - started < 5


def test_results_document_is_cached_until_a_protocol_is_accepted(ctx: Context) -> None:
    counting_small(ctx)
    client = TestClient(create_app(ctx))
    first = client.get("/api/events/small/results")
    etag = first.headers["etag"]
    assert first.json()["units"][0]["reported"] == 3
    assert client.get("/api/events/small/results", headers={"If-None-Match": etag}).status_code == 304
    enter_file(as_operator(ctx, "op-2"), "small", protocols_csv({"P4": GOOD["P4"]}), "p4.csv", "csv")
    second = client.get("/api/events/small/results", headers={"If-None-Match": etag})
    assert second.status_code == 200
    assert second.headers["etag"] != etag
    assert second.json()["units"][0]["reported"] == 4
