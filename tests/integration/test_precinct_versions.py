"""A precinct's accepted protocol versions and corrections, downloadable (JSON, CSV) from its public page."""

from __future__ import annotations

import csv
import datetime as dt
import io

from fastapi.testclient import TestClient
from tests.elections import SMALL, load
from tests.integration.small import GOOD, protocols_csv

from saylau.api import create_app
from saylau.model import Mode, Phase
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context
from saylau.services.paper.embargo import Embargo, PollsClose, set_embargo
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.protocols import enter_file

REASON = "recount ordered by the district commission"
FIXED = (1000, 1000, 700, 300, 690, 510, 140, 20, 20)


def _enter(ctx: Context, rows: dict[str, tuple[int, ...]], reason: str | None = None, mode: Mode = Mode.LIVE) -> None:
    for who in ("alice", "bob"):
        enter_file(
            Context(ctx.store, ctx.clock, who),
            "small",
            protocols_csv(rows, reason),
            "b.csv",
            "csv",
            mode=mode,
            factor=LOCAL_CLI,
        )


def _corrected(ctx: Context) -> TestClient:
    load(ctx, SMALL, until=Phase.VOTING)
    _enter(ctx, {"P2": GOOD["P2"]}, mode=Mode.TEST)  # test data: never in the history
    advance(ctx, "small", Phase.COUNTING, LOCAL_CLI)
    _enter(ctx, {"P1": GOOD["P1"]})
    _enter(ctx, {"P1": FIXED}, reason=REASON)
    return TestClient(create_app(ctx))


def test_json_and_csv_history_with_the_reason_of_the_correction(ctx: Context) -> None:
    client = _corrected(ctx)
    response = client.get("/events/small/precincts/P1/versions")
    assert response.status_code == 200
    assert 'filename="small-P1-versions.json"' in response.headers["content-disposition"]
    doc = response.json()
    assert (doc["event"], doc["precinct"], doc["name"]) == ("small", "P1", "Precinct 1")
    first, second = doc["versions"]
    assert (first["version"], first["correction"], first["reason"]) == (1, False, None)
    assert (second["version"], second["correction"], second["reason"]) == (2, True, REASON)
    assert (first["counts"]["q1"]["yes"], second["counts"]["q1"]["yes"]) == (500, 510)
    assert len(second["counts_sha256"]) == 64
    assert first["counts_sha256"] != second["counts_sha256"]
    table = client.get("/events/small/precincts/P1/versions", params={"format": "csv"})
    assert table.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert [(r["version"], r["contest"], r["yes"], r["reason"]) for r in rows] == [
        ("1", "q1", "500", ""),
        ("2", "q1", "510", REASON),
    ]
    assert list(rows[0])[:5] == ["precinct", "version", "accepted_at", "reason", "contest"]
    assert list(rows[0])[5:7] == ["registered", "received"]  # the standard fields in their order


def test_the_precinct_page_links_it_and_bad_requests_are_refused(ctx: Context) -> None:
    client = _corrected(ctx)
    page = client.get("/events/small/units/P1").text
    assert 'href="/events/small/precincts/P1/versions?format=csv"' in page
    assert "Protocol versions and corrections" in page
    assert "/versions" not in client.get("/events/small/units/R1").text  # precincts only
    assert client.get("/events/small/precincts/P2/versions").json()["versions"] == []  # test mode only
    assert client.get("/events/small/precincts/R1/versions").status_code == 404  # not a precinct
    assert client.get("/events/small/precincts/NOPE/versions").status_code == 404
    assert client.get("/events/small/precincts/P1/versions", params={"format": "xml"}).status_code == 422
    until = dt.datetime(2099, 1, 1, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    set_embargo(ctx, "small", Embargo((PollsClose("far future", until),)))
    assert client.get("/events/small/precincts/P1/versions").status_code == 409
