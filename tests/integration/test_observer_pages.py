"""The observers' parallel check on the web, on SQLite and PostgreSQL: the anonymous form (double-submit
CSRF, throttled), the observer's form (session CSRF, observers only), the public page per unit in kk, ru and
en with each difference and the photo beside it, and the photo served as a sandboxed download."""

from __future__ import annotations

import dataclasses
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.elections import SMALL, load
from tests.integration.small import FIELDS, GOOD
from tests.integration.test_commission_pages import KEY, PASSWORD, SECRETS, client
from tests.integration.test_embargo import UNTIL, VOTING_DAY, WASHINGTON

from saylau.api import create_app
from saylau.api.routes_observe import COPY_CSRF_COOKIE
from saylau.services.access.accounts import Role, create_account
from saylau.services.audit.parallel import ANON_PRECINCT, targeted_precincts
from saylau.services.context import Context
from saylau.services.paper.embargo import kz_polls_close, set_embargo
from saylau.services.settings import DeploymentSettings, ScanPolicy
from saylau.store.observer_schema import observer_copy

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
FORM = "/events/small/precincts/P1/copy"
OBSERVER_FORM = "/commission/events/small/precincts/P1/copy"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def web(ctx: Context) -> Context:
    """The small event in counting, every protocol accepted; an observer and a district member."""
    ctx = dataclasses.replace(ctx, settings=DeploymentSettings(secret_key=KEY))
    load(ctx, SMALL, operators=("op1", "op2"))
    create_account(ctx, "obs", Role.OBSERVER, PASSWORD, [], SECRETS["obs"])
    create_account(ctx, "d1", Role.DISTRICT, PASSWORD, ["R1-D1"], SECRETS["d1"])
    return ctx


def counts(values: tuple[int, ...]) -> dict[str, str]:
    return {f"q1.{f}": str(v) for f, v in zip(FIELDS, values, strict=True)}


SWAPPED = (*GOOD["P1"][:5], 480, 170, *GOOD["P1"][7:])  # 20 votes moved from yes to no


def anonymous(ctx: Context) -> tuple[TestClient, str]:
    """A browser that has opened the anonymous form: its cookie is set, its token read from the form."""
    browser = TestClient(create_app(ctx))
    page = browser.get(FORM)
    assert page.status_code == 200
    token = CSRF.search(page.text)
    assert token is not None
    assert browser.cookies.get(COPY_CSRF_COOKIE) == token.group(1)
    return browser, token.group(1)


def photo(data: bytes = PNG, name: str = "copy.png") -> dict[str, tuple[str, bytes, str]]:
    return {"photo": (name, data, "image/png")}


def stored(ctx: Context) -> int:
    with ctx.store.transaction() as tx:
        return int(tx.conn.execute(select(func.count()).select_from(observer_copy)).scalar_one())


def test_the_anonymous_form_needs_its_csrf_token(web: Context) -> None:
    browser, token = anonymous(web)
    data = counts(SWAPPED) | {"label": "a citizen"}
    assert browser.post(FORM, data=data | {"csrf": "forged"}, files=photo()).status_code == 403
    stranger = TestClient(create_app(web))  # no cookie: a form posted from another site
    assert stranger.post(FORM, data=data | {"csrf": token}, files=photo()).status_code == 403
    assert stored(web) == 0
    r = browser.post(FORM, data=data | {"csrf": token}, files=photo())
    assert r.status_code == 200, r.text
    assert "Differs from the official entry" in r.text
    assert stored(web) == 1
    assert targeted_precincts(web, "small") == ["P1"]


def test_the_anonymous_form_is_throttled(web: Context) -> None:
    browser, token = anonymous(web)
    data = counts(GOOD["P1"]) | {"label": "a citizen", "csrf": token}
    for _ in range(ANON_PRECINCT.free):
        assert browser.post(FORM, data=data, files=photo()).status_code == 200
    r = browser.post(FORM, data=data, files=photo())
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) >= 1
    assert stored(web) == ANON_PRECINCT.free


def test_a_bad_photo_is_refused_on_the_form_with_a_clear_error(web: Context) -> None:
    small = dataclasses.replace(web, settings=DeploymentSettings(secret_key=KEY, scans=ScanPolicy(max_bytes=1000)))
    browser, token = anonymous(small)
    data = counts(GOOD["P1"]) | {"label": "a citizen", "csrf": token}
    r = browser.post(FORM, data=data, files=photo(PNG + bytes(2000)))
    assert r.status_code == 422
    assert "photo: the photo has 2,072 bytes; at most 1,000 are accepted" in r.text
    r = browser.post(FORM, data=data, files=photo(b"%PDF-1.7\n%%EOF\n", "copy.pdf"))
    assert r.status_code == 422
    assert "the photo must be a PNG or JPEG image" in r.text
    assert browser.post(FORM, data=data, files=photo(PNG + bytes(200_000))).status_code == 413
    assert stored(small) == 0


def test_the_observer_form_needs_the_session_csrf_and_an_observer(web: Context) -> None:
    obs, token = client(web, "obs")
    assert obs.get(OBSERVER_FORM).status_code == 200
    data = counts(SWAPPED)
    assert obs.post(OBSERVER_FORM, data=data, files=photo()).status_code == 403  # no token
    assert obs.post(OBSERVER_FORM, data=data | {"csrf": "forged"}, files=photo()).status_code == 403
    assert stored(web) == 0
    r = obs.post(OBSERVER_FORM, data=data | {"csrf": token}, files=photo())
    assert r.status_code == 200, r.text
    assert "480" in r.text
    assert stored(web) == 1
    member, member_token = client(web, "d1")
    assert member.get(OBSERVER_FORM).status_code == 403
    assert member.post(OBSERVER_FORM, data=data | {"csrf": member_token}, files=photo()).status_code == 403
    assert TestClient(create_app(web)).get(OBSERVER_FORM, follow_redirects=False).status_code == 303
    assert stored(web) == 1


@pytest.mark.parametrize(
    ("lang", "heading", "status"),
    [
        ("en", "Observers&#39; copies of the protocols", "Differs from the official entry"),
        ("ru", "Копии протоколов от наблюдателей", "Расходится с официальным вводом"),
        ("kk", "Хаттамалардың байқаушылар көшірмелері", "Ресми енгізуден өзгеше"),
    ],
)
def test_the_unit_page_lists_each_difference_with_the_photo(web: Context, lang: str, heading: str, status: str) -> None:
    browser, token = anonymous(web)
    r = browser.post(FORM, data=counts(SWAPPED) | {"label": "a citizen", "csrf": token}, files=photo())
    assert r.status_code == 200
    for unit in ("P1", "R1-D1", "KZ"):
        page = browser.get(f"/events/small/units/{unit}/copies", params={"lang": lang})
        assert page.status_code == 200
        assert f'<html lang="{lang}">' in page.text
        assert heading in page.text
        assert status in page.text
        cells = re.findall(r"<tr><td>q1</td><td>[^<]+</td><td>(\d+)</td><td>(\d+)</td></tr>", page.text)
        assert cells == [("500", "480"), ("150", "170")]  # official beside the copy, yes then no
        assert '<img src="/events/small/copies/1/photo"' in page.text
        assert "<script" not in page.text
    assert "No copy has been submitted" in browser.get("/events/small/units/R2/copies").text


def test_the_photo_is_served_as_a_sandboxed_download(web: Context) -> None:
    browser, token = anonymous(web)
    browser.post(FORM, data=counts(GOOD["P1"]) | {"label": "a citizen", "csrf": token}, files=photo())
    r = browser.get("/events/small/copies/1/photo")
    assert r.status_code == 200
    assert r.content == PNG
    assert r.headers["content-type"] == "image/png"
    assert r.headers["content-security-policy"] == "sandbox"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-disposition"].startswith("attachment")
    assert browser.get("/events/small/copies/2/photo").status_code == 404


def test_copies_wait_for_the_embargo_like_the_official_figures(web: Context) -> None:
    browser, token = anonymous(web)
    browser.post(FORM, data=counts(SWAPPED) | {"label": "a citizen", "csrf": token}, files=photo())
    set_embargo(web, "small", kz_polls_close(VOTING_DAY, [("Washington", WASHINGTON)]))
    for path in ("/events/small/units/P1/copies", "/events/small/copies/1/photo"):
        r = browser.get(path, headers={"accept": "application/json"})
        assert r.status_code == 409
        assert r.json()["code"] == "embargo"
    web.clock.now = UNTIL  # type: ignore[attr-defined]
    assert browser.get("/events/small/units/P1/copies").status_code == 200
    assert browser.get("/events/small/copies/1/photo").content == PNG
