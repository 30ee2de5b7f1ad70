"""The commission pages through FastAPI's TestClient on SQLite and PostgreSQL: log in, CSRF, blind
double entry, the mismatch shown to district members only, corrections, the board, CSV and the audit log."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pyotp
import pytest
from fastapi.testclient import TestClient
from tests.elections import SMALL, load
from tests.integration.small import FIELDS, GOOD, protocols_csv

from saylau.api import create_app
from saylau.services.access.accounts import Role, create_account
from saylau.services.context import Context
from saylau.services.secret_key import SecretKey
from saylau.services.settings import DeploymentSettings

PASSWORD = "correct horse battery"
SECRETS = {
    "cen": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXA",
    "d1": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXB",
    "d2": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXC",
    "d3": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXD",
    "obs": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXE",
    "r2": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXF",
}


KEY = SecretKey(bytes(range(32)))
TOKEN = re.compile(r'name="csrf" value="[^"]*"')


def shown(html: str) -> str:
    """The page without its random CSRF token, so an absence check cannot meet a token by chance."""
    return TOKEN.sub('name="csrf"', html)


@pytest.fixture
def app_ctx(ctx: Context) -> Context:
    return commission_setup(ctx)


def commission_setup(ctx: Context) -> Context:
    """The small event in counting, with central, district, regional and observer accounts (and a key)."""
    ctx = dataclasses.replace(ctx, settings=DeploymentSettings(secret_key=KEY))
    load(ctx, SMALL)
    create_account(ctx, "cen", Role.CENTRAL, PASSWORD, [], SECRETS["cen"])
    for name in ("d1", "d2", "d3"):
        create_account(ctx, name, Role.DISTRICT, PASSWORD, ["R1-D1"], SECRETS[name])
    create_account(ctx, "r2", Role.REGIONAL, PASSWORD, ["R2"], SECRETS["r2"])
    create_account(ctx, "obs", Role.OBSERVER, PASSWORD, [], SECRETS["obs"])
    return ctx


def client(ctx: Context, name: str) -> tuple[TestClient, str]:
    c = TestClient(create_app(ctx))
    page = c.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token is not None
    r = c.post("/login", data={"name": name, "password": PASSWORD, "csrf": token.group(1)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    board = c.get("/commission/events/small")
    assert board.status_code == 200
    csrf = re.search(r'name="csrf" value="([^"]+)"', board.text)
    assert csrf is not None
    return c, csrf.group(1)


def code(ctx: Context, name: str) -> str:
    ctx.clock.now += dt.timedelta(seconds=31)  # type: ignore[attr-defined]  # a fresh TOTP step
    return pyotp.TOTP(SECRETS[name]).at(ctx.clock.now)  # type: ignore[attr-defined]


def form(values: tuple[int, ...], **extra: str) -> dict[str, str]:
    return {f"q1.{f}": str(v) for f, v in zip(FIELDS, values, strict=True)} | extra


URL = "/commission/events/small/precincts/P1"


def test_login_is_needed_and_csrf_is_checked(app_ctx: Context) -> None:
    anon = TestClient(create_app(app_ctx))
    assert anon.get("/commission", follow_redirects=False).status_code == 303
    assert anon.post(URL, data=form(GOOD["P1"])).status_code == 401
    r = anon.post("/login", data={"name": "d1", "password": PASSWORD, "csrf": "x"})
    assert r.status_code == 403
    c, _csrf = client(app_ctx, "d1")
    assert c.post(URL, data=form(GOOD["P1"])).status_code == 403  # no CSRF token
    assert c.post(URL, data=form(GOOD["P1"], csrf="wrong")).status_code == 403
    private = c.get(URL).headers
    assert private["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in private["content-security-policy"]
    assert private["cache-control"] == "no-store"
    public = anon.get("/").headers  # issue 9: public pages may not be framed either, but may be cached
    assert public["x-frame-options"] == "DENY"
    assert "cache-control" not in public


def test_blind_double_entry_mismatch_and_third_entry(app_ctx: Context) -> None:
    d1, t1 = client(app_ctx, "d1")
    r = d1.post(URL, data=form(GOOD["P1"], csrf=t1))
    assert r.status_code == 200
    assert "awaiting second" in r.text
    d2, t2 = client(app_ctx, "d2")
    page = d2.get(URL).text
    assert 'name="totp"' in page
    assert "690" not in shown(page)
    wrong = (*GOOD["P1"][:5], 501, 149, *GOOD["P1"][7:])
    assert d2.post(URL, data=form(wrong, csrf=t2, totp="000000")).status_code == 403  # TOTP required
    r = d2.post(URL, data=form(wrong, csrf=t2, totp=code(app_ctx, "d2")))
    assert r.status_code == 200
    assert "mismatch" in r.text
    assert "501" not in shown(r.text)
    assert "500" not in shown(r.text).split("Your entry")[1]
    d3, t3 = client(app_ctx, "d3")
    page = d3.get(URL).text
    assert "Differences" in page
    assert "501" in page
    assert "500" in page
    r = d3.post(URL, data=form(GOOD["P1"], csrf=t3, totp=code(app_ctx, "d3")))
    assert "agreed" in r.text
    assert "version 1 accepted" in r.text


def test_members_are_limited_to_their_units_and_observers_change_nothing(app_ctx: Context) -> None:
    r2, t = client(app_ctx, "r2")
    assert r2.post(URL, data=form(GOOD["P1"], csrf=t)).status_code == 403
    assert r2.get(URL).status_code == 403
    obs, to = client(app_ctx, "obs")
    assert obs.get(URL).status_code == 200
    assert obs.post(URL, data=form(GOOD["P1"], csrf=to)).status_code == 403
    log = obs.get("/commission/events/small/audit")
    assert log.status_code == 200
    assert "protocols.enter" in log.text
    assert "refused" in log.text


def test_live_check_endpoint_runs_the_control_relations(app_ctx: Context) -> None:
    d1, t1 = client(app_ctx, "d1")
    bad = (*GOOD["P1"][:5], 600, *GOOD["P1"][6:])
    body = d1.post(URL + "/check", data=form(bad), headers={"X-CSRF-Token": t1}).json()
    assert body["ok"] is False
    assert body["problems"]
    assert d1.post(URL + "/check", data=form(GOOD["P1"]), headers={"X-CSRF-Token": t1}).json()["ok"] is True
    assert d1.post(URL + "/check", data=form(GOOD["P1"])).status_code == 403


def test_correction_needs_a_reason_and_a_code(app_ctx: Context) -> None:
    d1, t1 = client(app_ctx, "d1")
    d2, t2 = client(app_ctx, "d2")
    d1.post(URL, data=form(GOOD["P1"], csrf=t1))
    d2.post(URL, data=form(GOOD["P1"], csrf=t2, totp=code(app_ctx, "d2")))
    fixed = (*GOOD["P1"][:5], 499, 151, *GOOD["P1"][7:])
    assert "Reason for the correction" in d1.get(URL).text
    r = d1.post(URL, data=form(fixed, csrf=t1, totp=code(app_ctx, "d1")))
    assert r.status_code == 422
    r = d1.post(URL, data=form(fixed, csrf=t1, totp=code(app_ctx, "d1"), reason="recount of box 2"))
    assert "awaiting second" in r.text
    r = d2.post(URL, data=form(fixed, csrf=t2, totp=code(app_ctx, "d2"), reason="recount of box 2"))
    assert "version 2 accepted" in r.text


def test_board_and_csv_upload_with_a_per_row_report(app_ctx: Context) -> None:
    cen, tc = client(app_ctx, "cen")
    d1, t1 = client(app_ctx, "d1")
    upload = "/commission/events/small/upload"
    batch = protocols_csv({"P1": GOOD["P1"], "P3": GOOD["P3"]}).decode()
    r = d1.post(upload, data={"csv": batch, "csrf": t1, "totp": code(app_ctx, "d1")})
    assert r.status_code == 422
    assert "P3 is not under your units" in r.text
    r = cen.post(upload, data={"csv": batch, "csrf": tc, "totp": code(app_ctx, "cen")})
    assert r.status_code == 200
    assert r.text.count("awaiting second") == 2
    board = cen.get("/commission/events/small").text
    assert "Missing: <strong>3</strong>" in board
    assert "Awaiting second entry: <strong>2</strong>" in board
    r = d1.post(URL, data=form(GOOD["P1"], csrf=t1, totp=code(app_ctx, "d1")))
    assert "version 1 accepted" in r.text
    mine = shown(d1.get("/commission/events/small").text)
    assert "/precincts/P1?" in mine
    assert "P3" not in mine


def test_phase_change_is_central_only_with_a_code(app_ctx: Context) -> None:
    d1, t1 = client(app_ctx, "d1")
    assert d1.post("/commission/events/small/phase", data={"target": "provisional", "csrf": t1}).status_code == 403
    cen, tc = client(app_ctx, "cen")
    assert cen.post("/commission/events/small/phase", data={"target": "provisional", "csrf": tc}).status_code == 403
    data = {"target": "provisional", "csrf": tc, "totp": code(app_ctx, "cen")}
    r = cen.post("/commission/events/small/phase", data=data, follow_redirects=False)
    assert r.status_code == 303
    assert "Phase: <strong>provisional</strong>" in cen.get("/commission/events/small").text
