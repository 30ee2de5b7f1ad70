"""Accounts on SQLite and PostgreSQL: argon2 passwords, hashed session ids, TOTP (±1 step, no replay), scopes,
TOTP secrets sealed at rest (AES-GCM under the deployment's key; wrong or missing key refused; rekey)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pyotp
import pytest
from alembic import command
from sqlalchemy import insert, select, update
from tests.conftest import FixedClock
from tests.elections import SMALL, load
from tests.integration.small import TERRITORY

from saylau.io import parse_territory
from saylau.model import Conflict, InputError, Phase, UnitCode
from saylau.services.access.accounts import (
    AccessDenied,
    Account,
    NotAuthenticated,
    Role,
    create_account,
    list_accounts,
    login,
    may_act_on,
    rekey,
    require_totp,
    session_of,
    token_hash,
)
from saylau.services.context import Context
from saylau.services.secret_key import SecretKey, SecretKeyError
from saylau.services.settings import DeploymentSettings
from saylau.store import Store, connect, migrate
from saylau.store import accounts_schema as a
from saylau.store.db import _config

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "correct horse battery"
KEY = SecretKey(bytes(range(32)))
OTHER_KEY = SecretKey(bytes(range(1, 33)))


@pytest.fixture
def ctx(store: Store) -> Context:
    """The conftest context with a secret key configured (as `saylau serve --key-file` gives one), and the
    small event with its territory (a member's units must be in an event's territory)."""
    ctx = Context(store, FixedClock(), "official-1", DeploymentSettings(secret_key=KEY))
    load(ctx, SMALL, until=Phase.SETUP)
    return ctx


def _stored_secret(ctx: Context, name: str) -> str:
    with ctx.store.transaction() as tx:
        return str(tx.conn.execute(select(a.account.c.totp_secret).where(a.account.c.name == name)).scalar_one())


def _with_key(ctx: Context, key: SecretKey | None) -> Context:
    return dataclasses.replace(ctx, settings=DeploymentSettings(secret_key=key))


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

    return Account(1, "x", role, units)


def test_totp_secrets_are_sealed_at_rest_and_need_the_key(ctx: Context) -> None:
    account, _ = create_account(ctx, "dana", Role.CENTRAL, PASSWORD, [], SECRET)
    stored = _stored_secret(ctx, "dana")
    assert stored.startswith(f"aesgcm1:{KEY.key_id}:")
    assert SECRET not in stored
    assert SECRET.lower() not in stored.lower()
    with ctx.store.transaction() as tx:  # nowhere in the account row, base32 or raw
        row = tx.conn.execute(select(a.account)).one()
    assert all(SECRET not in str(v) for v in row)
    now = ctx.clock.now  # type: ignore[attr-defined]
    code = pyotp.TOTP(SECRET).at(now)
    with pytest.raises(SecretKeyError) as wrong:
        require_totp(_with_key(ctx, OTHER_KEY), account, code, "test", None)
    assert wrong.value.code == "secret_key_wrong"
    with pytest.raises(SecretKeyError) as missing:
        require_totp(_with_key(ctx, None), account, code, "test", None)
    assert missing.value.code == "secret_key_missing"
    with pytest.raises(SecretKeyError):
        create_account(_with_key(ctx, None), "erlan", Role.CENTRAL, PASSWORD, [], SECRET)
    require_totp(ctx, account, code, "test", None)  # the right key opens it
    with ctx.store.transaction() as tx:
        refused = [r for r in tx.audit_rows(None) if r["action"] == "test" and r["outcome"] == "refused"]
    assert [r["details"]["reason"] for r in refused] == ["secret_key_wrong", "secret_key_missing"]


def test_a_sealed_secret_does_not_open_for_another_account_or_when_damaged(ctx: Context) -> None:
    create_account(ctx, "dana", Role.CENTRAL, PASSWORD, [], SECRET)
    erlan, _ = create_account(ctx, "erlan", Role.CENTRAL, PASSWORD, [], "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU")
    with ctx.store.transaction() as tx:  # dana's sealed secret copied onto erlan's row
        tx.conn.execute(
            update(a.account).where(a.account.c.name == "erlan").values(totp_secret=_stored_secret(ctx, "dana"))
        )
    code = pyotp.TOTP(SECRET).at(ctx.clock.now)  # type: ignore[attr-defined]
    with pytest.raises(SecretKeyError) as damaged:
        require_totp(ctx, erlan, code, "test", None)
    assert damaged.value.code == "secret_damaged"


def test_rekey_seals_plaintext_rows_and_rotates_keys(ctx: Context) -> None:
    account, _ = create_account(ctx, "dana", Role.CENTRAL, PASSWORD, [], SECRET)
    with ctx.store.transaction() as tx:  # a row as stored before revision 0006: plaintext base32
        tx.conn.execute(update(a.account).values(totp_secret=SECRET))
    code = pyotp.TOTP(SECRET).at(ctx.clock.now)  # type: ignore[attr-defined]
    with pytest.raises(SecretKeyError) as plaintext:
        require_totp(ctx, account, code, "test", None)
    assert plaintext.value.code == "secret_plaintext"
    assert rekey(ctx) == (1, 0, 0)
    assert _stored_secret(ctx, "dana").startswith(f"aesgcm1:{KEY.key_id}:")
    assert rekey(ctx) == (0, 0, 1)  # idempotent
    rotated = _with_key(ctx, OTHER_KEY)
    with pytest.raises(SecretKeyError):
        rekey(rotated)  # sealed under KEY, which was not given: nothing changes
    assert _stored_secret(ctx, "dana").startswith(f"aesgcm1:{KEY.key_id}:")
    assert rekey(rotated, KEY) == (0, 1, 0)
    assert _stored_secret(ctx, "dana").startswith(f"aesgcm1:{OTHER_KEY.key_id}:")
    require_totp(rotated, account, code, "test", None)
    with ctx.store.transaction() as tx:
        assert [r["details"]["resealed"] for r in tx.audit_rows(None) if r["action"] == "account.rekey"] == [0, 0, 1]


def test_a_key_is_read_from_its_text_and_checked() -> None:
    key = SecretKey.generate()
    assert SecretKey.from_text(key.to_text() + "\n") == key
    with pytest.raises(SecretKeyError):
        SecretKey.from_text("not a key!")
    with pytest.raises(SecretKeyError):
        SecretKey.from_text(SecretKey.generate().to_text()[:20])
    assert key.to_text() not in repr(DeploymentSettings(secret_key=key))
    assert key.to_text() not in repr(key)


def test_upgrading_to_0006_keeps_accounts_and_units_then_rekey_seals(db_url: str) -> None:
    """An accounts database from before revision 0006 (plaintext secret, a unit, a session) upgrades on
    both engines: the column is widened, units kept, sessions dropped; `rekey` then seals the secret."""

    engine = connect(db_url)
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
    now = dt.datetime(2022, 6, 5, tzinfo=dt.UTC)
    with engine.begin() as conn:
        conn.execute(
            insert(a.account),
            {
                "name": "dana",
                "role": "district",
                "password_hash": "x",
                "totp_secret": SECRET,
                "totp_last_step": 0,
                "active": True,
                "created_at": now,
            },
        )
        conn.execute(insert(a.account_unit), {"account_id": 1, "unit_code": "R1-D1"})
        conn.execute(
            insert(a.session),
            {
                "token_sha256": "0" * 64,
                "account_id": 1,
                "csrf": "c",
                "created_at": now,
                "expires_at": now + dt.timedelta(hours=1),
            },
        )
    migrate(engine)
    store = Store(engine)
    try:
        ctx = Context(store, FixedClock(), "admin", DeploymentSettings(secret_key=KEY))
        assert [(x.name, x.units) for x in list_accounts(ctx)] == [("dana", ("R1-D1",))]
        with store.transaction() as tx:
            assert tx.conn.execute(select(a.session.c.id)).all() == []
        assert _stored_secret(ctx, "dana") == SECRET
        assert rekey(ctx) == (1, 0, 0)
        assert KEY.open(_stored_secret(ctx, "dana"), "dana") == SECRET
    finally:
        store.dispose()
