"""The embargo: no live result is public before the last polls close; the commission still sees them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.integration.test_api_json import counting_small

from saylau.api import create_app
from saylau.model import InputError
from saylau.services.context import Context
from saylau.services.paper.embargo import (
    Audience,
    EmbargoInForce,
    embargo_of,
    is_public_now,
    kz_polls_close,
    parse_embargo,
    set_embargo,
)
from saylau.services.paper.publication import publish_release
from saylau.services.paper.results import results

UTC = dt.UTC
WASHINGTON = dt.timezone(dt.timedelta(hours=-4))  # EDT in June
VOTING_DAY = dt.date(2022, 6, 5)
# 20:00 in Washington (UTC-4): the last precinct abroad closes at 00:00 UTC on 6 June
UNTIL = dt.datetime(2022, 6, 6, 0, 0, tzinfo=UTC)


def test_kazakhstan_2022_closes_in_two_zones_then_abroad() -> None:
    home = kz_polls_close(VOTING_DAY)
    assert [c.at.astimezone(UTC).hour for c in home.closes] == [14, 15]  # 20:00 at UTC+6, then at UTC+5
    assert home.until == dt.datetime(2022, 6, 5, 15, 0, tzinfo=UTC)
    assert kz_polls_close(VOTING_DAY, [("Washington", WASHINGTON)]).until == UNTIL
    one_zone = kz_polls_close(dt.date(2026, 3, 15))  # one time zone, UTC+5, since 1 March 2024
    assert [c.at.isoformat() for c in one_zone.closes] == ["2026-03-15T20:00:00+05:00"]


def test_is_public_now_at_the_boundary() -> None:
    embargo = kz_polls_close(VOTING_DAY, [("Washington", WASHINGTON)])
    assert not is_public_now(embargo, UNTIL - dt.timedelta(seconds=1))
    assert is_public_now(embargo, UNTIL)
    assert is_public_now(None, UNTIL - dt.timedelta(days=1))


def test_the_embargo_file_round_trips_and_names_every_problem() -> None:
    embargo = kz_polls_close(VOTING_DAY, [("Washington", WASHINGTON)])
    assert parse_embargo(embargo.to_json().encode(), "e.json") == embargo
    bad = b'{"polls_close": [{"zone": "A", "at": "2022-06-05T20:00:00"}, {"zone": 1, "at": "x"}, {"zone": "B"}]}'
    with pytest.raises(InputError) as err:
        parse_embargo(bad, "e.json")
    assert [p.field for p in err.value.problems] == ["polls_close[0].at", "polls_close[1]", "polls_close[2]"]
    for text in (b"{", b'{"polls_close": []}', b'{"polls_close": [], "extra": 1}'):
        with pytest.raises(InputError):
            parse_embargo(text, "e.json")


@pytest.fixture
def embargoed(ctx: Context) -> Context:
    counting_small(ctx)
    set_embargo(ctx, "small", kz_polls_close(VOTING_DAY, [("Washington", WASHINGTON)]))
    return ctx


def _now(ctx: Context) -> dt.datetime:
    now: dt.datetime = getattr(ctx.clock, "now")  # noqa: B009  (the tests' FixedClock)
    return now


def test_before_the_last_polls_close_the_public_api_and_pages_refuse(embargoed: Context) -> None:
    assert _now(embargoed) < UNTIL
    assert embargo_of(embargoed, "small") is not None
    client = TestClient(create_app(embargoed))
    for path in ("/api/events/small/results", "/api/events/small/units/R1", "/api/events/small/stream"):
        response = client.get(path)
        assert response.status_code == 409, path
        assert response.headers["content-type"].startswith("application/problem+json")
        body = response.json()
        assert body["code"] == "embargo"
        assert body["details"] == {"event": "small", "until": "2022-06-05T20:00:00-04:00"}  # 00:00 UTC
        assert "embargo" in body["detail"]
    for path in ("/", "/events/small", "/events/small/units/R1"):
        page = client.get(path, headers={"accept": "text/html"})
        assert page.status_code == 409, path
        assert "under embargo until the last polls close" in page.text
        assert "Do you accept the amendments?" not in page.text
    assert client.get("/api/events").status_code == 200  # the list of events and precinct states are not results
    assert client.get("/api/events/small/precincts").status_code == 200


def test_the_commission_sees_live_results_and_a_public_export_is_refused(embargoed: Context) -> None:
    assert results(embargoed, "small", audience=Audience.COMMISSION).results  # the commission sees them
    with pytest.raises(EmbargoInForce):
        results(embargoed, "small", audience=Audience.PUBLIC)
    with pytest.raises(EmbargoInForce):  # the default is the public audience
        results(embargoed, "small")


def test_after_the_last_polls_close_everything_is_public(embargoed: Context, tmp_path: Path) -> None:
    with pytest.raises(EmbargoInForce):
        publish_release(embargoed, "small", tmp_path / "site")
    assert not (tmp_path / "site").exists()
    setattr(embargoed.clock, "now", UNTIL)  # noqa: B010
    client = TestClient(create_app(embargoed))
    assert client.get("/api/events/small/results").status_code == 200
    assert client.get("/events/small", headers={"accept": "text/html"}).status_code == 200
    assert results(embargoed, "small", audience=Audience.PUBLIC).results
    assert publish_release(embargoed, "small", tmp_path / "site").number == 1


def test_the_latest_embargo_is_in_force(embargoed: Context) -> None:
    set_embargo(embargoed, "small", kz_polls_close(VOTING_DAY))  # abroad dropped: ends at 15:00 UTC, passed
    client = TestClient(create_app(embargoed))
    assert client.get("/api/events/small/results").status_code == 200
