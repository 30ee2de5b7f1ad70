"""The JSON API on SQLite and PostgreSQL: events, published results, units, precincts, errors, live stream."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time

import pytest
from fastapi.testclient import TestClient
from tests.elections import SMALL, load
from tests.integration.small import GOOD, event_bytes, protocols_csv

from saylau.api import create_app
from saylau.api.views import LiveViews
from saylau.model import Mode, Phase
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context
from saylau.services.paper.embargo import Embargo, PollsClose, set_embargo
from saylau.services.paper.events import create_event
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.protocols import enter_file

PROBLEM = "application/problem+json"


def as_operator(ctx: Context, who: str) -> Context:
    return Context(ctx.store, ctx.clock, who)


def enter_twice(ctx: Context, precincts: tuple[str, ...], *, mode: Mode = Mode.LIVE) -> None:
    rows = {p: GOOD[p] for p in precincts}
    for who in ("op-1", "op-2"):
        enter_file(as_operator(ctx, who), "small", protocols_csv(rows), "batch.csv", "csv", mode=mode, factor=LOCAL_CLI)


def counting_small(ctx: Context) -> None:
    """The small referendum in counting: P1-P3 accepted, P4 entered once, P5 in test mode only."""
    load(ctx, SMALL, until=Phase.VOTING)
    enter_twice(ctx, ("P5",), mode=Mode.TEST)  # test protocols are taken before counting only
    advance(ctx, "small", Phase.COUNTING, LOCAL_CLI)
    enter_twice(ctx, ("P1", "P2", "P3"))
    enter_file(as_operator(ctx, "op-1"), "small", protocols_csv({"P4": GOOD["P4"]}), "p4.csv", "csv", factor=LOCAL_CLI)


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
    assert states["P1"] == {"precinct": "P1", "state": "accepted", "version": 1, "scan_sha256": None}


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
    """The second entry is keyed only once the stream has sent its first event (under load a fixed delay
    could let it land first), then the accepted protocol must be pushed before the stream's 10 s cap."""

    def second_entry_of_p4() -> None:
        enter_file(
            as_operator(ctx, "op-2"), "small", protocols_csv({"P4": GOOD["P4"]}), "p4.csv", "csv", factor=LOCAL_CLI
        )

    writer = threading.Thread(target=second_entry_of_p4)
    started = time.monotonic()
    text = ""
    with client.stream("GET", "/api/events/small/stream", params={"max_events": 2}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for chunk in response.iter_text():
            text += chunk
            if writer.ident is None and _events(text[: text.rfind("\n\n") + 1]):  # complete blocks only
                writer.start()  # the first event is out: now accept P4
    writer.join()
    first, second = _events(text)
    assert (first["reported"], second["reported"]) == (3, 4)
    assert first["fingerprint"] != second["fingerprint"]
    assert time.monotonic() - started < 10


def test_results_document_is_cached_until_a_protocol_is_accepted(ctx: Context) -> None:
    counting_small(ctx)
    client = TestClient(create_app(ctx))
    first = client.get("/api/events/small/results")
    etag = first.headers["etag"]
    assert first.json()["units"][0]["reported"] == 3
    assert client.get("/api/events/small/results", headers={"If-None-Match": etag}).status_code == 304
    enter_file(as_operator(ctx, "op-2"), "small", protocols_csv({"P4": GOOD["P4"]}), "p4.csv", "csv", factor=LOCAL_CLI)
    second = client.get("/api/events/small/results", headers={"If-None-Match": etag})
    assert second.status_code == 200
    assert second.headers["etag"] != etag
    assert second.json()["units"][0]["reported"] == 4


# --- the results route under load (issue #5): light default, level=all, ETag, gzip, freshness -----------------


def test_the_default_results_document_is_the_light_one_and_level_all_is_complete(client: TestClient) -> None:
    light = client.get("/api/events/small/results")
    full = client.get("/api/events/small/results", params={"level": "all"})
    assert light.status_code == full.status_code == 200
    light_codes = [u["code"] for u in light.json()["units"]]
    full_codes = [u["code"] for u in full.json()["units"]]
    assert light_codes == ["KZ", "R1", "R2", "AB"]  # the country and its top-level units only
    assert set(light_codes) < set(full_codes)
    assert {"P1", "P2", "P3", "P4", "P5"} <= set(full_codes)  # every unit, down to the precincts
    assert light.json()["outcomes"] == full.json()["outcomes"]
    assert light.json()["units"][0] == full.json()["units"][0]  # the same national figures
    assert client.get("/api/events/small/results", params={"level": "top"}).json()["units"] == light.json()["units"]
    assert light.headers["etag"] != full.headers["etag"]


def test_an_unknown_level_is_a_422(client: TestClient) -> None:
    response = client.get("/api/events/small/results", params={"level": "precincts"})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("level", ["top", "all"])
def test_gzip_is_the_same_document_with_its_own_etag_and_each_gets_a_304(client: TestClient, level: str) -> None:
    url = f"/api/events/small/results?level={level}"
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    packed = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.content == plain.content  # httpx has undone the gzip: the same bytes
    for response in (plain, packed):
        assert response.headers["vary"] == "Accept-Encoding"
        assert response.headers["content-type"] == "application/json"
    assert plain.headers["etag"] != packed.headers["etag"]
    for encoding, first in (("identity", plain), ("gzip", packed)):
        again = client.get(url, headers={"Accept-Encoding": encoding, "If-None-Match": first.headers["etag"]})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == first.headers["etag"]
    # the other representation's ETag does not match: the client gets the body it asked for
    crossed = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": plain.headers["etag"]})
    assert crossed.status_code == 200
    refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "content-encoding" not in refused.headers


def test_a_cached_document_is_served_for_at_most_max_age_and_a_write_through_the_app_expires_it(
    ctx: Context,
) -> None:
    counting_small(ctx)
    client = TestClient(create_app(ctx, results_max_age=60.0))
    url = "/api/events/small/results"
    assert client.get(url).json()["units"][0]["reported"] == 3
    enter_file(as_operator(ctx, "op-2"), "small", protocols_csv({"P4": GOOD["P4"]}), "p4.csv", "csv", factor=LOCAL_CLI)
    # accepted by another process (here: the service layer directly): within max_age the cache may answer
    assert client.get(url).json()["units"][0]["reported"] == 3
    assert client.post(url).status_code == 405  # any write through this application...
    assert client.get(url).json()["units"][0]["reported"] == 4  # ...expires the confirmation at once


def test_the_freshness_interval_is_a_bound(ctx: Context) -> None:

    counting_small(ctx)
    now = [100.0]
    views = LiveViews(ctx, max_age=1.0, monotonic=lambda: now[0])
    first = views.public_document("small", "top")
    enter_file(as_operator(ctx, "op-2"), "small", protocols_csv({"P4": GOOD["P4"]}), "p4.csv", "csv", factor=LOCAL_CLI)
    now[0] += 0.999
    assert views.fresh("small", "top") is first  # still within the interval
    now[0] += 0.001
    assert views.fresh("small", "top") is None  # never past it
    second = views.public_document("small", "top")
    assert second.stamp != first.stamp
    assert json.loads(second.body)["units"][0]["reported"] == 4
    assert views.fresh("small", "all") is None  # each level is built (and confirmed) on its own
    with pytest.raises(ValueError, match="max_age"):
        LiveViews(ctx, max_age=-1.0)


def test_the_cached_document_is_refused_by_the_clock_when_the_embargo_is_not_over(ctx: Context) -> None:

    counting_small(ctx)
    client = TestClient(create_app(ctx, results_max_age=60.0))
    assert client.get("/api/events/small/results").status_code == 200
    far = dt.datetime(2999, 1, 1, tzinfo=dt.UTC)
    set_embargo(ctx, "small", Embargo((PollsClose("everywhere", far),)))
    assert client.post("/api/events/small/results").status_code == 405  # expire: read the embargo again
    response = client.get("/api/events/small/results")
    assert response.status_code == 409
    assert response.json()["code"] == "embargo"
