"""The administrator's accounts page on SQLite and PostgreSQL (issue #9): admins only, CSRF and the admin's own
one-time code on every action; each action works, is audited and ends the target's sessions at once (a
disabled member's cookie stops working on its next request); the page in kk and ru."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
from fastapi.testclient import TestClient
from tests.integration.test_commission_lang import english_strings, visible_text
from tests.integration.test_commission_pages import PASSWORD, URL, client, commission_setup

from saylau.api import create_app
from saylau.publish.site.i18n_commission import ACCOUNTS_UI
from saylau.services.access.accounts import Role, create_account
from saylau.services.context import Context

ADMIN_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXG"
ACTIONS = ("disable", "enable", "reset-password", "reset-totp", "revoke-sessions")


@pytest.fixture
def app_ctx(ctx: Context) -> Context:
    ctx = commission_setup(ctx)
    create_account(ctx, "adm", Role.ADMIN, PASSWORD, [], ADMIN_SECRET)
    return ctx


def admin_code(ctx: Context) -> str:
    ctx.clock.now += dt.timedelta(seconds=31)  # type: ignore[attr-defined]  # a fresh TOTP step
    return pyotp.TOTP(ADMIN_SECRET).at(ctx.clock.now)  # type: ignore[attr-defined]


def _log(ctx: Context, action: str) -> list[dict[str, object]]:
    with ctx.store.transaction() as tx:
        return [r for r in tx.audit_rows(None) if r["action"] == action]


def _post(c: TestClient, action: str, **data: str) -> object:
    return c.post(f"/commission/accounts/{action}", data=data, follow_redirects=False)


def test_the_accounts_page_is_for_admins_only(app_ctx: Context) -> None:
    anon = TestClient(create_app(app_ctx))
    assert anon.get("/commission/accounts", follow_redirects=False).status_code == 303
    for action in ACTIONS:
        assert anon.post(f"/commission/accounts/{action}", data={"account": "d1"}).status_code == 401
    for name in ("cen", "d1", "r2", "obs"):
        member, csrf = client(app_ctx, name)
        assert member.get("/commission/accounts").status_code == 403
        assert "/commission/accounts" not in member.get("/commission").text
        for action in ACTIONS:
            r = member.post(f"/commission/accounts/{action}", data={"account": "d2", "csrf": csrf, "totp": "000000"})
            assert r.status_code == 403, (name, action)
    refused = [r for r in _log(app_ctx, "account.disable") if r["outcome"] == "refused"]
    assert {r["actor"] for r in refused} == {"cen", "d1", "r2", "obs"}
    assert all(r["details"] == {"reason": "admin_only"} for r in refused)
    d2, _ = client(app_ctx, "d2")
    assert d2.get(URL).status_code == 200  # nothing was done to d2
    admin, _ = client(app_ctx, "adm")
    page = admin.get("/commission/accounts")
    assert page.status_code == 200
    assert all(name in page.text for name in ("cen", "d1", "d2", "d3", "r2", "obs"))
    assert "/commission/accounts" in admin.get("/commission").text


def test_csrf_and_the_admins_own_code_are_required(app_ctx: Context) -> None:
    admin, csrf = client(app_ctx, "adm")
    d1, _ = client(app_ctx, "d1")
    assert _post(admin, "disable", account="d1", totp=admin_code(app_ctx)).status_code == 403  # no CSRF
    assert _post(admin, "disable", account="d1", csrf="wrong", totp=admin_code(app_ctx)).status_code == 403
    assert _post(admin, "disable", account="d1", csrf=csrf, totp="000000").status_code == 403  # wrong code
    assert _post(admin, "disable", account="d1", csrf=csrf).status_code == 403  # no code
    d1_code = pyotp.TOTP("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXB").at(app_ctx.clock.now)  # type: ignore[attr-defined]
    assert _post(admin, "disable", account="d1", csrf=csrf, totp=d1_code).status_code == 403  # not the admin's
    assert d1.get(URL).status_code == 200  # d1 still works
    refused = [r for r in _log(app_ctx, "account.disable") if r["outcome"] == "refused"]
    assert [r["details"] for r in refused] == [{"reason": "totp", "account": "d1"}] * 3
    assert _post(admin, "disable", account="adm", csrf=csrf, totp=admin_code(app_ctx)).status_code == 403  # self
    assert _post(admin, "disable", account="nobody", csrf=csrf, totp=admin_code(app_ctx)).status_code == 404
    for odd in ("d1\x00", "\x00", "d" * 5000):  # names no account can have: not looked up, no 500
        assert _post(admin, "disable", account=odd, csrf=csrf, totp=admin_code(app_ctx)).status_code == 404


def test_disabling_a_member_stops_their_cookie_at_once(app_ctx: Context) -> None:
    admin, csrf = client(app_ctx, "adm")
    d1, d1_csrf = client(app_ctx, "d1")
    r = _post(admin, "disable", account="d1", csrf=csrf, totp=admin_code(app_ctx))
    assert r.status_code == 200  # type: ignore[attr-defined]
    assert 'id="account-done"' in r.text  # type: ignore[attr-defined]
    assert d1.get(URL, follow_redirects=False).status_code == 303  # back to the log-in page
    assert d1.post(URL, data={"csrf": d1_csrf}).status_code == 401
    login = TestClient(create_app(app_ctx))
    token = re.search(r'name="csrf" value="([^"]+)"', login.get("/login").text)
    assert token is not None
    again = login.post("/login", data={"name": "d1", "password": PASSWORD, "csrf": token.group(1)})
    assert again.status_code == 401
    [row] = [r for r in _log(app_ctx, "account.disable") if r["outcome"] == "ok"]
    assert row["actor"] == "adm"
    assert row["details"] == {
        "account": "d1",
        "role": "district",
        "sessions_ended": 1,
        "factor": "totp",
        "totp_verified_for": "adm",
    }
    assert "account-disabled" in admin.get("/commission/accounts").text
    assert _post(admin, "enable", account="d1", csrf=csrf, totp=admin_code(app_ctx)).status_code == 200
    client(app_ctx, "d1")  # may log in again
    assert [r["details"]["account"] for r in _log(app_ctx, "account.enable")] == ["d1"]


@pytest.mark.parametrize("action", ["reset-password", "reset-totp", "revoke-sessions"])
def test_each_action_ends_the_members_sessions_and_is_logged(app_ctx: Context, action: str) -> None:
    admin, csrf = client(app_ctx, "adm")
    d2, _ = client(app_ctx, "d2")
    other_d2, _ = client(app_ctx, "d2")
    extra = {"password": "staple lantern orbit"} if action == "reset-password" else {}
    r = _post(admin, action, account="d2", csrf=csrf, totp=admin_code(app_ctx), **extra)
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]
    assert d2.get(URL, follow_redirects=False).status_code == 303
    assert other_d2.get(URL, follow_redirects=False).status_code == 303
    [row] = _log(app_ctx, f"account.{action}")
    assert (row["actor"], row["outcome"]) == ("adm", "ok")
    assert row["details"] == {
        "account": "d2",
        "role": "district",
        "sessions_ended": 2,
        "factor": "totp",
        "totp_verified_for": "adm",
    }
    assert admin.get(URL).status_code == 200  # the admin's own session is untouched
    if action == "reset-totp":
        uri = re.search(r'id="new-totp">.*?<code>([^<]+)</code>', r.text)  # type: ignore[attr-defined]
        assert uri is not None
        assert uri.group(1).startswith("otpauth://totp/saylau:d2?secret=")
        assert "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXC" not in uri.group(1)
        assert uri.group(1) not in admin.get("/commission/accounts").text  # shown once
    if action == "reset-password":
        login = TestClient(create_app(app_ctx))
        token = re.search(r'name="csrf" value="([^"]+)"', login.get("/login").text)
        assert token is not None
        old = login.post("/login", data={"name": "d2", "password": PASSWORD, "csrf": token.group(1)})
        assert old.status_code == 401


def test_a_weak_new_password_is_refused_with_the_reason(app_ctx: Context) -> None:
    admin, csrf = client(app_ctx, "adm")
    d2, _ = client(app_ctx, "d2")
    for weak in ("password1234", "Qwertyuiop123!", "zzzzzzzzzzzzzzz"):
        r = _post(admin, "reset-password", account="d2", csrf=csrf, totp=admin_code(app_ctx), password=weak)
        assert r.status_code == 422  # type: ignore[attr-defined]
        assert "password refused" in r.text  # type: ignore[attr-defined]
    assert d2.get(URL).status_code == 200
    assert _log(app_ctx, "account.reset-password") == []


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_accounts_page_speaks_kazakh_and_russian(app_ctx: Context, lang: str) -> None:
    admin, csrf = client(app_ctx, "adm")
    r = _post(admin, f"revoke-sessions?lang={lang}", account="d1", csrf=csrf, totp=admin_code(app_ctx))
    page = admin.get(f"/commission/accounts?lang={lang}").text
    english = english_strings() | {
        text
        for key, text in ACCOUNTS_UI["en"].items()
        if ACCOUNTS_UI[lang][key] != text  # type: ignore[index]
    }
    for html in (page, r.text):  # type: ignore[attr-defined]
        text = visible_text(html)
        assert not [s for s in english if s in text], lang
    assert ACCOUNTS_UI[lang]["do_disable"] in page  # type: ignore[index]
