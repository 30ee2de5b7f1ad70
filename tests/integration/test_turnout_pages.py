"""The public intraday turnout pages: units x hours, exact shares, the chart, languages, no embargo."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from tests.elections import SMALL, load
from tests.integration.test_api_json import counting_small

from saylau.api import create_app
from saylau.model import Phase
from saylau.services.context import Context
from saylau.services.paper.embargo import Embargo, PollsClose, set_embargo
from saylau.services.paper.turnout import import_turnout

REPORT = (
    b"unit,at,registered,voted\n"
    b"R1,10:00,1800,250\nR2,10:00,1200,200\nAB,10:00,500,100\n"
    b"R1,12:00,1800,700\nP1,10:00,1000,150\n"
)


@pytest.fixture
def client(ctx: Context) -> TestClient:
    load(ctx, SMALL, until=Phase.VOTING)
    import_turnout(ctx, "small", REPORT, "t.csv")
    return TestClient(create_app(ctx))


def _cells(page: str, unit: str) -> list[str]:
    row = re.search(rf'<tr[^>]*data-unit="{unit}">(.*?)</tr>', page, re.S)
    assert row is not None, unit
    return [re.sub(r"<span class=\"sr\">.*?</span>|<[^>]+>", "", c).strip() for c in re.findall(r"<td.*?</td>", row[1])]


def test_national_turnout_table_hours_and_exact_shares(client: TestClient) -> None:
    response = client.get("/events/small/turnout")
    assert response.status_code == 200
    page = response.text
    assert "Turnout during the day: Kazakhstan" in page
    assert "<caption>Turnout by unit at each reporting hour</caption>" in page
    assert re.findall(r'<th scope="col" class="num">([^<]+)</th>', page) == ["10:00", "12:00"]
    # the country has no report of its own: at 10:00 the sum of R1, R2 and AB (550 / 3500), at 12:00 none
    assert _cells(page, "KZ") == ["15.71%*", "—"]
    assert "sum of the subdivisions&#39; reports" in page
    assert _cells(page, "R1") == ["13.89%", "38.89%"]  # 250/1800, 700/1800
    assert _cells(page, "R2") == ["16.67%", "—"]
    assert _cells(page, "AB") == ["20.00%", "—"]
    assert "(250 of 1,800)" in page  # the counts for screen readers
    # R1 has a report below it (P1): its own page is linked; R2 and AB are not
    assert 'href="/events/small/units/R1/turnout?lang=en"' in page
    assert 'href="/events/small/units/R2/turnout' not in page
    # the chart: one bar per hour, the one without a figure has no rectangle
    assert '<svg role="img" aria-labelledby="turnout-chart-title"' in page
    bars = re.findall(r'<g class="turnout-bar" data-hour="([^"]+)"><title>([^<]+)</title>', page)
    assert bars == [("10:00", "10:00: 15.71%"), ("12:00", "12:00: —")]
    assert page.count("<rect ") == 1
    assert 'href="/events/small/units/KZ?lang=en"' in page  # back to the results


def test_drill_down_language_and_unknown_unit(client: TestClient) -> None:
    district = client.get("/events/small/units/R1-D1/turnout").text
    assert _cells(district, "R1-D1") == ["—", "—"]  # P2 did not report: no sum
    assert _cells(district, "P1") == ["15.00%", "—"]
    crumbs = re.search(r'<nav aria-label="You are here".*?</nav>', district, re.S)
    assert crumbs is not None
    assert 'href="/events/small/turnout?lang=en"' in crumbs[0]
    assert 'href="/events/small/units/R1/turnout?lang=en"' in crumbs[0]
    ru = client.get("/events/small/turnout", params={"lang": "ru"}).text
    assert "Явка в течение дня: Казахстан" in ru
    assert '<html lang="ru">' in ru
    kk = client.get("/events/small/turnout", params={"lang": "kk"}).text
    assert "Күн ішіндегі қатысу деңгейі" in kk
    assert client.get("/events/small/units/NOPE/turnout").status_code == 404
    assert client.get("/events/nope/turnout").status_code == 404


def test_turnout_is_public_under_the_results_embargo(ctx: Context, client: TestClient) -> None:
    until = dt.datetime(2099, 1, 1, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    set_embargo(ctx, "small", Embargo((PollsClose("far future", until),)))
    assert client.get("/events/small").status_code == 409  # the results wait
    assert client.get("/api/events/small/turnout").status_code == 200  # as the API route
    assert client.get("/events/small/turnout").status_code == 200


def test_no_reports_yet_and_the_link_from_the_results_page(ctx: Context) -> None:

    counting_small(ctx)
    client = TestClient(create_app(ctx))
    assert "No turnout report yet." in client.get("/events/small/turnout").text
    assert 'href="/events/small/turnout?lang=en">Turnout during the day</a>' in client.get("/").text
    region = client.get("/events/small/units/R1", params={"lang": "ru"}).text
    assert 'href="/events/small/units/R1/turnout?lang=ru">Явка в течение дня</a>' in region
