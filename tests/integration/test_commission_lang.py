"""The commission pages in Kazakh and Russian (no English string of the catalog left), switched by
``?lang=`` like the public pages; and the stable problem codes of refusals (``forbidden``,
``not_authenticated``), on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.integration.small import GOOD
from tests.integration.test_commission_pages import URL, client, code, commission_setup, form

from saylau.api import create_app
from saylau.model import LANGS
from saylau.publish.site.i18n_commission import COMMISSION_UI, FIELD_LABELS
from saylau.services.context import Context

PAGES = (
    "/commission",
    "/commission/events/small",
    URL,
    "/commission/events/small/upload",
    "/commission/events/small/audit",
    "/commission/audit",
)
# Data shown on the pages that is English in the test event (titles, unit names), not UI text
DATA = (
    "Small constitutional referendum",
    *(f"Precinct {n}" for n in range(1, 6)),
    "Region One",
    "Region Two",
    "District One",
    "Embassy A",
    "Embassy B",
)


@pytest.fixture
def app_ctx(ctx: Context) -> Context:
    return commission_setup(ctx)


def english_strings() -> set[str]:
    """Every English UI string of the commission that differs from its Kazakh and Russian ones."""
    out = set()
    for catalog in (COMMISSION_UI, FIELD_LABELS):
        for key, text in catalog["en"].items():
            if all(catalog[lang][key] != text for lang in LANGS if lang != "en"):
                out.add(text)
    return out


def visible_text(html: str) -> str:
    """The page without tags, scripts, attribute values or code (the audit log's JSON details, hashes),
    and without the test data."""
    html = re.sub(r"<(script|code)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    for value in DATA:
        text = text.replace(value, " ")
    return text


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_commission_pages_have_no_english_ui_left(app_ctx: Context, lang: str) -> None:
    cen, _ = client(app_ctx, "cen")
    d1, t1 = client(app_ctx, "d1")
    d1.post(URL, data=form(GOOD["P1"], csrf=t1))  # an open round, so the entry page shows more
    english = english_strings()
    assert "Awaiting second entry" in english
    assert "Voters on the register" in english
    pages = {path: cen.get(path, params={"lang": lang}) for path in PAGES}
    pages["/login"] = TestClient(create_app(app_ctx)).get("/login", params={"lang": lang})
    for path, response in pages.items():
        assert response.status_code == 200, path
        assert f'<html lang="{lang}">' in response.text
        text = visible_text(response.text)
        left = sorted(s for s in english if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text))
        assert left == [], f"{path} in {lang}: {left}"
    entry = pages[URL].text
    assert COMMISSION_UI[lang]["protocol_of"] in entry  # the page is really translated
    assert FIELD_LABELS[lang]["participated"] in entry
    assert f'action="/commission/events/small/precincts/P1?lang={lang}"' in entry  # forms keep the language
    # the language switch links to the same page in the other languages, keeping the query
    board = cen.get("/commission/events/small", params={"unit": "R1", "lang": lang}).text
    assert 'href="/commission/events/small?unit=R1&amp;lang=en"' in board


def test_a_post_answers_in_the_language_it_came_from(app_ctx: Context) -> None:
    d1, t1 = client(app_ctx, "d1")
    r = d1.post(URL + "?lang=ru", data=form(GOOD["P1"], csrf=t1))
    assert r.status_code == 200
    assert "ожидает второго ввода" in r.text
    d2, t2 = client(app_ctx, "d2")
    r = d2.post(URL + "?lang=kk", data=form(GOOD["P1"], csrf=t2, totp=code(app_ctx, "d2")))
    assert "нұсқа 1 қабылданды" in r.text
    anon = TestClient(create_app(app_ctx))
    r = anon.get("/commission?lang=kk", follow_redirects=False)
    assert r.headers["location"] == "/login?lang=kk"


def test_refusals_have_stable_problem_codes(app_ctx: Context) -> None:
    anon = TestClient(create_app(app_ctx))
    r = anon.post(URL, data=form(GOOD["P1"]))
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "not_authenticated"
    assert r.json()["type"] == "urn:saylau:problem:not_authenticated"
    assert r.json()["details"] == {"reason": "no_session"}
    r = anon.post("/login", data={"name": "d1", "password": "x", "csrf": "x"})
    assert (r.status_code, r.json()["code"], r.json()["details"]["reason"]) == (403, "forbidden", "csrf")
    d1, t1 = client(app_ctx, "d1")
    r = d1.post(URL, data=form(GOOD["P1"], csrf="wrong"))
    assert (r.status_code, r.json()["code"], r.json()["details"]["reason"]) == (403, "forbidden", "csrf")
    r = d1.get("/commission/events/small/precincts/P3")  # outside the member's units
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    assert r.json()["details"]["reason"] == "outside_units"
    d1.post(URL, data=form(GOOD["P1"], csrf=t1))
    d2, t2 = client(app_ctx, "d2")
    r = d2.post(URL, data=form(GOOD["P1"], csrf=t2, totp="000000"))
    assert (r.status_code, r.json()["code"], r.json()["details"]["reason"]) == (403, "forbidden", "totp_required")
    r = d1.get("/commission/audit")  # the accounts log is not for district members
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    # codes that were stable before stay as they were
    assert anon.get("/api/events/nope/results").json()["code"] == "not_found"
    r = d1.post(URL, data=form(GOOD["P1"], csrf=t1))  # keyed already: refused with its reason
    assert (r.status_code, r.json()["code"], r.json()["details"]["reason"]) == (403, "forbidden", "already_keyed")
    r = d1.post("/commission/events/small/precincts/P9", data=form(GOOD["P1"], csrf=t1))
    assert (r.status_code, r.json()["code"]) == (422, "bad_input")


def test_a_browser_gets_the_refusal_as_a_page(app_ctx: Context) -> None:
    anon = TestClient(create_app(app_ctx))
    r = anon.post(URL + "?lang=ru", data=form(GOOD["P1"]), headers={"accept": "text/html"})
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("text/html")
    assert '<html lang="ru">' in r.text
