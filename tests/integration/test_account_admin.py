"""Account administration on SQLite and PostgreSQL (issue #9): disable, enable, reset password, reset TOTP and
end sessions, each audited (who, what, the target) and each ending the target's sessions at once; password
rules; names and unit codes without control or bidirectional characters; units scoped per event; the same
actions through `saylau user ...`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyotp
import pytest
from alembic import command
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from tests.conftest import FixedClock
from tests.integration.small import EVENT, TERRITORY, event_bytes
from typer.testing import CliRunner

from saylau.cli.main import app
from saylau.io import parse_territory
from saylau.model import InputError, NotFound, Phase, UnitCode
from saylau.services.access import accounts
from saylau.services.access.account_rules import password_problems
from saylau.services.access.accounts import (
    AccessDenied,
    NotAuthenticated,
    Role,
    create_account,
    list_accounts,
    login,
    may_act_on,
    may_see,
    require_totp,
    session_of,
)
from saylau.services.access.admin import (
    disable_account,
    enable_account,
    grant_units,
    reset_password,
    reset_totp,
    revoke_sessions,
)
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context
from saylau.services.paper import commission as c
from saylau.services.paper.events import create_event, import_territory
from saylau.services.paper.lifecycle import advance
from saylau.services.secret_key import SecretKey
from saylau.services.settings import DeploymentSettings
from saylau.store import Store, connect, migrate
from saylau.store import accounts_schema as a
from saylau.store.db import _config

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NEW_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"
PASSWORD = "correct horse battery"
NEW_PASSWORD = "staple lantern orbit"
KEY = SecretKey(bytes(range(32)))


@pytest.fixture
def ctx(store: Store) -> Context:
    """Two events with the same small territory ("small" in counting, "other" in setup) and a key."""
    ctx = Context(store, FixedClock(), "official-1", DeploymentSettings(secret_key=KEY))
    create_event(ctx, event_bytes(), "event.json")
    import_territory(ctx, "small", TERRITORY.encode(), "territory.csv", "csv")
    create_event(ctx, json.dumps({**EVENT, "code": "other"}).encode(), "other.json")
    import_territory(ctx, "other", TERRITORY.encode(), "territory.csv", "csv")
    advance(ctx, "small", Phase.VOTING, LOCAL_CLI)
    advance(ctx, "small", Phase.COUNTING, LOCAL_CLI)
    return ctx


def _accounts_log(ctx: Context, action: str) -> list[dict[str, Any]]:
    with ctx.store.transaction() as tx:
        return [r for r in tx.audit_rows(None) if r["action"] == action]


def _sessions(ctx: Context, name: str) -> int:
    with ctx.store.transaction() as tx:
        q = select(a.session.c.id).join(a.account, a.account.c.id == a.session.c.account_id)
        return len(tx.conn.execute(q.where(a.account.c.name == name)).all())


def _dana_with_two_sessions(ctx: Context) -> None:
    create_account(ctx, "dana", Role.DISTRICT, PASSWORD, ["R1-D1"], SECRET)
    login(ctx, "dana", PASSWORD, "cookie-1", "csrf-1")
    login(ctx, "dana", PASSWORD, "cookie-2", "csrf-2")
    assert session_of(ctx, "cookie-1") is not None


def test_a_disabled_account_cannot_log_in_and_its_sessions_stop_at_once(ctx: Context) -> None:
    _dana_with_two_sessions(ctx)
    done = disable_account(ctx, "dana", factor=LOCAL_CLI)
    assert done.sessions_ended == 2
    assert session_of(ctx, "cookie-1") is None
    assert session_of(ctx, "cookie-2") is None
    assert _sessions(ctx, "dana") == 0
    with pytest.raises(NotAuthenticated):
        login(ctx, "dana", PASSWORD, "cookie-3", "csrf-3")
    assert [x.active for x in list_accounts(ctx)] == [False]
    [row] = _accounts_log(ctx, "account.disable")
    assert (row["actor"], row["outcome"], row["details"]["account"], row["details"]["sessions_ended"]) == (
        "official-1",
        "ok",
        "dana",
        2,
    )
    enable_account(ctx, "dana", factor=LOCAL_CLI)
    assert login(ctx, "dana", PASSWORD, "cookie-4", "csrf-4").account.active
    assert [r["details"]["account"] for r in _accounts_log(ctx, "account.enable")] == ["dana"]


def test_a_session_of_an_inactive_account_does_not_work(ctx: Context) -> None:
    """Even a session row left behind (not deleted) stops working once the account is inactive."""
    _dana_with_two_sessions(ctx)
    with ctx.store.transaction() as tx:
        tx.conn.execute(a.account.update().values(active=False))
    assert session_of(ctx, "cookie-1") is None


def test_a_password_reset_ends_sessions_and_only_the_new_password_works(ctx: Context) -> None:
    _dana_with_two_sessions(ctx)
    with pytest.raises(InputError):
        reset_password(ctx, "dana", "password1234", factor=LOCAL_CLI)  # common: refused, nothing changed
    assert session_of(ctx, "cookie-1") is not None
    assert reset_password(ctx, "dana", NEW_PASSWORD, factor=LOCAL_CLI).sessions_ended == 2
    assert session_of(ctx, "cookie-1") is None
    with pytest.raises(NotAuthenticated):
        login(ctx, "dana", PASSWORD, "t", "c")
    login(ctx, "dana", NEW_PASSWORD, "t", "c")
    [row] = _accounts_log(ctx, "account.reset-password")
    assert row["details"] == {"account": "dana", "role": "district", "sessions_ended": 2, "factor": "local_cli"}
    assert NEW_PASSWORD not in json.dumps(row, default=str)


def test_a_totp_reset_seals_a_new_secret_ends_sessions_and_the_old_codes_stop(ctx: Context) -> None:
    _dana_with_two_sessions(ctx)
    done = reset_totp(ctx, "dana", NEW_SECRET, factor=LOCAL_CLI)
    assert done.sessions_ended == 2
    assert done.provisioning_uri is not None
    assert f"secret={NEW_SECRET}" in done.provisioning_uri
    assert session_of(ctx, "cookie-2") is None
    with ctx.store.transaction() as tx:
        stored = tx.conn.execute(select(a.account.c.totp_secret)).scalar_one()
    assert stored.startswith(f"aesgcm1:{KEY.key_id}:")
    assert KEY.open(stored, "dana") == NEW_SECRET
    [account] = list_accounts(ctx)
    clock = ctx.clock
    with pytest.raises(AccessDenied):
        require_totp(ctx, account, pyotp.TOTP(SECRET).at(clock.now), "test", None)  # type: ignore[attr-defined]
    clock.now += dt.timedelta(seconds=60)  # type: ignore[attr-defined]
    require_totp(ctx, account, pyotp.TOTP(NEW_SECRET).at(clock.now), "test", None)  # type: ignore[attr-defined]
    assert [r["details"]["account"] for r in _accounts_log(ctx, "account.reset-totp")] == ["dana"]


def test_sessions_are_revoked_and_the_member_may_log_in_again(ctx: Context) -> None:
    _dana_with_two_sessions(ctx)
    assert revoke_sessions(ctx, "dana", factor=LOCAL_CLI).sessions_ended == 2
    assert session_of(ctx, "cookie-1") is None
    assert revoke_sessions(ctx, "dana", factor=LOCAL_CLI).sessions_ended == 0
    login(ctx, "dana", PASSWORD, "cookie-3", "c")
    assert [r["details"]["sessions_ended"] for r in _accounts_log(ctx, "account.revoke-sessions")] == [2, 0]
    for name in ("nobody", "dana\x00", "\udcff", "d" * 5000):  # NUL or a lone surrogate: no database error
        with pytest.raises(NotFound):
            disable_account(ctx, name, factor=LOCAL_CLI)


@pytest.mark.parametrize(
    "password",
    [
        "password1234",  # on the list
        "qwertyuiopasdf",  # a keyboard run
        "Sunshine2024!!",  # a listed word with digits and symbols around it
        "aaaaaaaaaaaaaaaa",  # one character repeated
        "my-dana-password-x",  # contains the name
        "DANA2026winter!",  # contains the name, in another case
        "shorty",
    ],
)
def test_weak_passwords_are_refused(ctx: Context, password: str) -> None:
    assert password_problems(password, "dana")
    with pytest.raises(InputError) as refused:
        create_account(ctx, "dana", Role.CENTRAL, password, [], SECRET)
    assert all(p.rule == "password" for p in refused.value.problems)
    assert list_accounts(ctx) == []


def test_a_good_password_passes() -> None:
    assert password_problems(PASSWORD, "dana") == []
    assert password_problems("violet-tractor-98-glass", "dana") == []


@pytest.mark.parametrize(
    ("name", "unit"),
    [
        ("da\u202ena", "R1-D1"),  # right-to-left override in the name
        ("da\u2066na", "R1-D1"),  # isolate
        ("dana\u200f", "R1-D1"),  # right-to-left mark
        ("da\x00na", "R1-D1"),  # NUL
        ("da\nna", "R1-D1"),  # newline
        ("dana", "R1-D1\u202e"),  # in the unit code
        ("dana", "R1\x07-D1"),  # BEL in the unit code
        ("Cafe\u0301", "R1-D1"),  # not NFC (e + combining acute)
        ("x" * 129, "R1-D1"),
        ("dana", "R" * 65),
    ],
)
def test_names_and_units_with_control_or_bidi_characters_are_refused(ctx: Context, name: str, unit: str) -> None:
    with pytest.raises(InputError) as refused:
        create_account(ctx, name, Role.DISTRICT, PASSWORD, [unit], SECRET)
    assert {p.rule for p in refused.value.problems} & {"characters", "nfc", "name", "unit"}
    assert list_accounts(ctx) == []


def test_units_must_exist_in_the_events_territory(ctx: Context) -> None:
    with pytest.raises(InputError) as refused:
        create_account(ctx, "dana", Role.DISTRICT, PASSWORD, ["R9-D9"], SECRET, event="small")
    assert [p.rule for p in refused.value.problems] == ["unit_exists"]
    with pytest.raises(InputError):
        create_account(ctx, "dana", Role.DISTRICT, PASSWORD, ["R9-D9"], SECRET)  # in no event at all
    with pytest.raises(NotFound):
        create_account(ctx, "dana", Role.DISTRICT, PASSWORD, ["R1-D1"], SECRET, event="nope")
    assert list_accounts(ctx) == []


def test_the_database_refuses_a_scoped_unit_outside_the_events_territory(ctx: Context) -> None:
    account, _ = create_account(ctx, "dana", Role.DISTRICT, PASSWORD, ["R1-D1"], SECRET, event="small")
    with pytest.raises(IntegrityError), ctx.store.transaction() as tx:
        tx.conn.execute(insert(a.account_event_unit), {"account_id": account.id, "event_id": 1, "unit_code": "R9"})


def test_units_of_one_event_give_no_rights_in_another(ctx: Context) -> None:

    dana, _ = create_account(ctx, "dana", Role.DISTRICT, PASSWORD, ["R1-D1"], SECRET, event="other")
    assert dana.event_units == (("other", "R1-D1"),)
    assert dana.units == ()
    [stored] = list_accounts(ctx)
    assert stored == dana
    territory = parse_territory(TERRITORY.encode(), "territory.csv", "csv")
    assert may_act_on(dana, territory, UnitCode("P1"), "other")
    assert may_see(dana, territory, UnitCode("P1"), "other")
    assert not may_act_on(dana, territory, UnitCode("P1"), "small")
    assert not may_see(dana, territory, UnitCode("P1"), "small")
    assert not may_act_on(dana, territory, UnitCode("P1"))  # no event named: only units for every event
    with pytest.raises(AccessDenied):
        c.entry_form(ctx, dana, "small", "P1")
    with pytest.raises(AccessDenied):
        c.board(ctx, dana, "small", None)
    assert c.board(ctx, dana, "other", None).unit == "R1-D1"
    assert c.entry_form(ctx, dana, "other", "P1").can_enter


def test_units_are_granted_for_one_more_event(ctx: Context) -> None:
    dana, _ = create_account(ctx, "dana", Role.DISTRICT, PASSWORD, ["R1-D1"], SECRET, event="other")
    with pytest.raises(InputError):
        grant_units(ctx, "dana", "small", ["R9"])  # not in the territory
    with pytest.raises(InputError):
        grant_units(ctx, "dana", "small", ["R1\u202e"])
    create_account(ctx, "cen", Role.CENTRAL, PASSWORD, [], SECRET)
    with pytest.raises(InputError):
        grant_units(ctx, "cen", "small", ["R1-D1"])
    assert grant_units(ctx, "dana", "small", ["R1-D1", "R1-D1"]) == ("R1-D1",)
    assert grant_units(ctx, "dana", "small", ["R1-D1"]) == ()  # already given
    [dana] = [x for x in list_accounts(ctx) if x.name == "dana"]
    assert dana.event_units == (("other", "R1-D1"), ("small", "R1-D1"))
    assert c.entry_form(ctx, dana, "small", "P1").can_enter
    [row, _again] = _accounts_log(ctx, "account.grant")
    assert row["details"] == {"account": "dana", "event": "small", "units": ["R1-D1"]}


def test_units_given_without_an_event_hold_in_every_event_that_has_them(ctx: Context) -> None:
    """The meaning every unit had before revision 0009, kept for ``--unit`` without ``--event``."""
    erlan, _ = create_account(ctx, "erlan", Role.DISTRICT, PASSWORD, ["R1-D1"], SECRET)
    assert erlan.units == ("R1-D1",)
    assert c.entry_form(ctx, erlan, "small", "P1").can_enter
    assert c.entry_form(ctx, erlan, "other", "P1").can_enter


def test_upgrading_to_0009_keeps_units_for_every_event(db_url: str) -> None:
    """A member's unit stored before revision 0009 keeps holding in every event whose territory has it."""

    engine = connect(db_url)
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0008")
    now = dt.datetime(2022, 6, 5, tzinfo=dt.UTC)
    with engine.begin() as conn:
        account = {"name": "dana", "role": "district", "password_hash": "x", "totp_secret": "x"}
        conn.execute(insert(a.account), {**account, "totp_last_step": 0, "active": True, "created_at": now})
        conn.execute(insert(a.account_unit), {"account_id": 1, "unit_code": "R1-D1"})
    migrate(engine)
    store = Store(engine)
    try:
        ctx = Context(store, FixedClock(), "admin", DeploymentSettings(secret_key=KEY))
        create_event(ctx, event_bytes(), "event.json")
        import_territory(ctx, "small", TERRITORY.encode(), "territory.csv", "csv")
        [dana] = list_accounts(ctx)
        assert (dana.units, dana.event_units) == (("R1-D1",), ())
        assert c.entry_form(ctx, dana, "small", "P1").can_enter
    finally:
        store.dispose()


# --- the command line ---------------------------------------------------------------------------------


def _cli(db_url: str, *args: str, ok: bool = True) -> str:
    result = CliRunner().invoke(app, [*args, "--db", db_url], env={"SAYLAU_SECRET_KEY": KEY.to_text()})
    assert (result.exit_code == 0) == ok, result.output
    return result.output


def test_the_user_commands_act_audit_and_end_sessions(db_url: str, tmp_path: Path) -> None:
    password_file = tmp_path / "password"
    password_file.write_text(PASSWORD + "\n")
    password_file.chmod(0o600)
    engine_ctx = _context(db_url)
    try:
        create_event(engine_ctx, event_bytes(), "event.json")
        import_territory(engine_ctx, "small", TERRITORY.encode(), "territory.csv", "csv")
        common = ["--password-file", str(password_file), "--actor", "op"]
        out = _cli(db_url, "user", "add", "dana", "--role", "district", "--event", "small", "--unit", "R1-D1", *common)
        assert "otpauth://totp/saylau:dana?secret=" in out
        listed = json.loads(_cli(db_url, "user", "list", "--json"))
        assert listed["accounts"][0]["event_units"] == [{"event": "small", "unit": "R1-D1"}]
        assert "R1-D1@small" in _cli(db_url, "user", "list")
        granted = json.loads(_cli(db_url, "user", "grant", "dana", "--event", "small", "--unit", "R1", "--json"))
        assert granted == {"account": "dana", "event": "small", "units": ["R1"]}
        _cli(db_url, "user", "grant", "dana", "--event", "small", "--unit", "NOWHERE", ok=False)
        weak = tmp_path / "weak"
        weak.write_text("password1234\n")
        weak.chmod(0o600)
        _cli(db_url, "user", "reset-password", "dana", "--password-file", str(weak), ok=False)
        shared = tmp_path / "shared"
        shared.write_text(NEW_PASSWORD + "\n")
        shared.chmod(0o644)  # readable by others: refused, like the key file
        assert "secret_file_permissions" in _cli(
            db_url, "user", "reset-password", "dana", "--password-file", str(shared), ok=False
        )

        steps: list[tuple[list[str], str, int]] = [
            (["disable", "dana"], "account.disable", 1),
            (["enable", "dana"], "account.enable", 0),  # a disabled account has no session to end
            (["reset-password", "dana", "--password-file", str(password_file)], "account.reset-password", 1),
            (["reset-totp", "dana"], "account.reset-totp", 1),
            (["sessions", "revoke", "dana"], "account.revoke-sessions", 1),
        ]
        for args, action, sessions in steps:
            if sessions:
                login(engine_ctx, "dana", PASSWORD, f"cookie-{action}", "c")
            out = _cli(db_url, "user", *args, "--actor", "op", "--json")
            assert json.loads(out)["sessions_ended"] == sessions
            assert session_of(engine_ctx, f"cookie-{action}") is None, action
            [row] = _accounts_log(engine_ctx, action)
            facts = (row["actor"], row["details"]["account"], row["details"]["sessions_ended"])
            assert facts == ("op", "dana", sessions)
        _cli(db_url, "user", "disable", "dana")
        assert "disabled" in _cli(db_url, "user", "list")
        with pytest.raises(NotAuthenticated):
            login(engine_ctx, "dana", PASSWORD, "late", "c")
        _cli(db_url, "user", "disable", "nobody", ok=False)
    finally:
        engine_ctx.store.dispose()


def test_reset_totp_prints_the_new_uri_once(db_url: str) -> None:
    ctx = _context(db_url)
    try:
        create_account(ctx, "cen", Role.CENTRAL, PASSWORD, [], SECRET)
    finally:
        ctx.store.dispose()
    out = _cli(db_url, "user", "reset-totp", "cen")
    assert out.count("otpauth://totp/saylau:cen?secret=") == 1
    assert f"secret={SECRET}" not in out


def _context(db_url: str) -> Context:

    engine = connect(db_url)
    migrate(engine)
    return dataclasses.replace(
        Context(Store(engine), FixedClock(), "setup"), settings=DeploymentSettings(secret_key=KEY)
    )


@pytest.mark.parametrize("change", ["reset_password", "disable"])
def test_a_login_checked_before_a_reset_does_not_outlive_it(
    ctx: Context, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """The password is verified outside any transaction (argon2 is slow): a reset or a disabling that
    commits meanwhile ends the account's sessions, and the session of that login must not survive it."""

    create_account(ctx, "dana", Role.DISTRICT, PASSWORD, ["R1-D1"], SECRET)
    verify = accounts.password_ok

    def verify_then_reset(stored: str, password: str) -> bool:
        ok = verify(stored, password)
        monkeypatch.setattr(accounts, "password_ok", verify)  # once
        if change == "reset_password":
            reset_password(ctx, "dana", NEW_PASSWORD, factor=LOCAL_CLI)
        else:
            disable_account(ctx, "dana", factor=LOCAL_CLI)
        return ok

    monkeypatch.setattr(accounts, "password_ok", verify_then_reset)
    with pytest.raises(NotAuthenticated):
        login(ctx, "dana", PASSWORD, "cookie-raced", "csrf")
    assert session_of(ctx, "cookie-raced") is None
    assert _sessions(ctx, "dana") == 0
