"""The public pages: national result, drill-down, languages, demo banner, and an election that renders."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.elections import MINI, load
from tests.integration.test_api_json import counting_small

from saylau.api import create_app
from saylau.services.context import Context

HTML = {"accept": "text/html"}


@pytest.fixture
def client(ctx: Context) -> TestClient:
    counting_small(ctx)
    return TestClient(create_app(ctx))


def test_home_shows_the_current_events_national_result(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "Small constitutional referendum" in page
    assert "National result" in page
    assert "PROVISIONAL" in page
    assert "Do you accept the amendments?" in page
    assert "Why (rules applied)" in page  # the outcome's explanation
    assert re.search(
        r'Precincts reported: <strong data-live="reported">3</strong> of <span data-live="expected">5<', page
    )
    assert 'href="/events/small/units/R1?lang=en"' in page
    assert "DEMO" not in page
    assert "National result" in client.get("/events/small").text


def test_drill_down_to_a_district_and_a_precinct(client: TestClient) -> None:
    page = client.get("/events/small/units/R1-D1").text
    crumbs = re.search(r'<nav aria-label="You are here".*?</nav>', page, re.S)
    assert crumbs is not None
    assert re.findall(r">([^<>]+)</(?:a|span)>", crumbs.group(0)) == [
        "Kazakhstan",
        "Region One",
        "District One",
    ]
    assert "Precinct 1" in page
    assert "Precinct 2" in page
    precinct = client.get("/events/small/units/P1").text
    assert "69.00%" in re.sub(r"<[^>]+>", "", precinct)  # turnout 690 / 1000


def test_the_language_switch_changes_ui_strings_and_unit_names(client: TestClient) -> None:
    ru = client.get("/", params={"lang": "ru"}).text
    kk = client.get("/", params={"lang": "kk"}).text
    assert '<html lang="ru">' in ru
    assert "Итоги по стране" in ru
    assert "ПРЕДВАРИТЕЛЬНЫЕ" in ru
    assert "Принимаете ли Вы изменения?" in ru
    assert "Казахстан" in ru
    assert "Ел бойынша қорытынды" in kk
    assert "Қазақстан" in kk
    assert "National result" not in ru + kk


def test_an_unknown_language_or_event_is_refused_with_a_page(client: TestClient) -> None:
    response = client.get("/", params={"lang": "de"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    page = client.get("/events/nope", headers=HTML)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "no event &#39;nope&#39;" in page.text


def test_static_assets_and_demo_banner(ctx: Context) -> None:
    counting_small(ctx)
    client = TestClient(create_app(ctx, demo=True))
    response = client.get("/")
    assert response.text.count("DEMO") == 1  # "DEMO — this is a reconstruction …", not "DEMO — DEMO: …"
    assert "DEMO</strong> — this is a reconstruction" in client.get("/", params={"lang": "en"}).text
    assert client.get("/", params={"lang": "ru"}).text.count("ДЕМО") == 1
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", response.text)  # the page's time, for reading
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", response.text)  # never raw ISO 8601
    assert response.headers["x-saylau-demo"] == "kz-2022"
    assert "EventSource" in client.get("/static/live.js").text
    assert client.get("/static/site.css").status_code == 200


def test_an_empty_database_says_so(ctx: Context) -> None:
    page = TestClient(create_app(ctx)).get("/", params={"lang": "en"})
    assert page.status_code == 200
    assert "No event in this database yet." in page.text


def test_an_election_renders_seats_and_district_winners(ctx: Context) -> None:
    load(ctx, MINI, operators=("alice", "bob"), source="p.csv")
    client = TestClient(create_app(ctx))
    page = client.get("/", params={"lang": "ru"})
    assert page.status_code == 200
    assert "Мандаты" in page.text
    assert "Одномандатные округа" in page.text
    assert client.get("/api/events/mini-election/results").json()["outcomes"]["list"]
    for unit in client.get("/api/events/mini-election/results").json()["units"]:
        assert client.get(f"/events/mini-election/units/{unit['code']}").status_code == 200
