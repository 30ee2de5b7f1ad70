"""Accounts on SQLite and PostgreSQL: argon2 passwords, hashed session ids, TOTP (±1 step, no replay), scopes."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from sqlalchemy import select
from tests.integration.small import TERRITORY

from saylau.io import parse_territory
from saylau.model import Conflict, InputError, UnitCode
from saylau.services import Context
from saylau.services.accounts import (
    AccessDenied,
    NotAuthenticated,
    Role,
    create_account,
    list_accounts,
    login,
    may_act_on,
    require_totp,
    session_of,
    token_hash,
)
from saylau.store import accounts_schema as a

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "correct horse battery"


def test_an_account_is_stored_with_an_argon2_hash_and_logs_in(ctx: Context) -> None:
    account, uri = create_account(ctx, "dana", Role.DISTRICT, PASSWORD, ["R1-D1"], SECRET)
    assert uri.startswith("otpauth://totp/saylau:dana?secret=")
    assert [(x.name, x.role, x.units) for x in list_accounts(ctx)] == [("dana", Role.DISTRICT, ("R1-D1",))]
    with ctx.store.transaction() as tx:
        stored = tx.conn.execute(select(a.account.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    info = login(ctx, "dana", PASSWORD, "the-cookie-value", "csrf-1")
    assert info.account == account
    assert info.csrf == "csrf-1"
    with ctx.store.transaction() as tx:
        kept = tx.conn.execute(select(a.session.c.token_sha256)).scalar_one()
    assert kept == token_hash("the-cookie-value") != "the-cookie-value"
    found = session_of(ctx, "the-cookie-value")
    assert found is not None
    assert found.account.name == "dana"
    assert session_of(ctx, "another-value") is None


def test_wrong_passwords_are_refused_and_logged(ctx: Context) -> None:
    create_account(ctx, "dana", Role.DISTRICT, PASSWORD, ["R1-D1"], SECRET)
    with pytest.raises(NotAuthenticated):
        login(ctx, "dana", "not the password", "t", "c")
    with pytest.raises(NotAuthenticated):
        login(ctx, "nobody", PASSWORD, "t", "c")
    with ctx.store.transaction() as tx:
        rows = tx.audit_rows(None)
    assert [(r["actor"], r["action"], r["outcome"]) for r in rows[1:]] == [
        ("dana", "session.login", "refused"),
        ("nobody", "session.login", "refused"),
    ]


def test_accounts_are_checked(ctx: Context) -> None:
    with pytest.raises(InputError):
        create_account(ctx, "short", Role.CENTRAL, "short", [], SECRET)
    with pytest.raises(InputError):
        create_account(ctx, "nounits", Role.PRECINCT, PASSWORD, [], SECRET)
    create_account(ctx, "dana", Role.CENTRAL, PASSWORD, [], SECRET)
    with pytest.raises(Conflict):
        create_account(ctx, "dana", Role.CENTRAL, PASSWORD, [], SECRET)


def test_a_session_expires(ctx: Context) -> None:
    create_account(ctx, "dana", Role.CENTRAL, PASSWORD, [], SECRET)
    login(ctx, "dana", PASSWORD, "tok", "c")
    ctx.clock.now += dt.timedelta(hours=13)  # type: ignore[attr-defined]
    assert session_of(ctx, "tok") is None


def test_totp_window_and_no_replay(ctx: Context) -> None:
    account, _ = create_account(ctx, "dana", Role.CENTRAL, PASSWORD, [], SECRET)
    totp = pyotp.TOTP(SECRET)
    now = ctx.clock.now  # type: ignore[attr-defined]
    previous = totp.at(now - dt.timedelta(seconds=30))
    require_totp(ctx, account, previous, "test", None)  # one step back is accepted
    with pytest.raises(AccessDenied):
        require_totp(ctx, account, previous, "test", None)  # the same code twice: a replay
    with pytest.raises(AccessDenied):
        require_totp(ctx, account, totp.at(now - dt.timedelta(seconds=120)), "test", None)
    with pytest.raises(AccessDenied):
        require_totp(ctx, account, "12345", "test", None)
    require_totp(ctx, account, totp.at(now + dt.timedelta(seconds=30)), "test", None)


def test_members_act_only_under_their_units() -> None:
    territory = parse_territory(TERRITORY.encode(), "territory.csv", "csv")
    district, _ = _account(Role.DISTRICT, ("R1-D1",)), None
    assert may_act_on(district, territory, UnitCode("P1"))
    assert not may_act_on(district, territory, UnitCode("P3"))
    assert may_act_on(_account(Role.REGIONAL, ("R2",)), territory, UnitCode("P3"))
    assert may_act_on(_account(Role.PRECINCT, ("P4",)), territory, UnitCode("P4"))
    assert not may_act_on(_account(Role.PRECINCT, ("P4",)), territory, UnitCode("P5"))
    assert may_act_on(_account(Role.CENTRAL, ()), territory, UnitCode("P5"))
    assert not may_act_on(_account(Role.OBSERVER, ()), territory, UnitCode("P5"))
    assert not may_act_on(_account(Role.ADMIN, ()), territory, UnitCode("P5"))


def _account(role: Role, units: tuple[str, ...]):
    from saylau.services.accounts import Account

    return Account(1, "x", role, units)
