"""Use cases: commission accounts, roles and unit scopes; argon2 passwords, sessions and the TOTP factor.

Roles: ``admin`` manages accounts; ``central`` acts on every precinct; ``regional``, ``district`` and
``precinct`` members act only on precincts under their units; ``observer`` reads everything and changes
nothing. A session is a random value in an HttpOnly cookie; only its SHA-256 is stored. Random values
(session ids, CSRF tokens, TOTP secrets) are made by the caller (``api``/``cli``) and passed in.

TOTP secrets are stored sealed under the deployment's secret key (``ctx.settings.secret_key``,
``services.secret_key``): without the key none is stored or read, and a plaintext secret left from an
older database is refused until ``saylau user rekey`` seals it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from saylau.model import Conflict, InputError, Problem, SaylauError, Territory, UnitCode
from saylau.services.context import Context
from saylau.services.secret_key import SecretKey, SecretKeyError, is_sealed
from saylau.services.throttle import (
    TooManyAttempts,
    login_keys,
    reserve,
    retry_seconds,
    succeeded,
    throttle_totp,
    totp_succeeded,
)
from saylau.store.accounts_repo import AccountRow, AccountsTx

__all__ = [
    "MEMBERS",
    "SCOPED",
    "SESSION_LIFETIME",
    "AccessDenied",
    "Account",
    "NotAuthenticated",
    "Role",
    "SessionInfo",
    "create_account",
    "csrf_ok",
    "list_accounts",
    "login",
    "logout",
    "may_act_on",
    "may_see",
    "provisioning_uri",
    "rekey",
    "require_totp",
    "session_of",
    "token_hash",
]

SESSION_LIFETIME = dt.timedelta(hours=12)
_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
_ISSUER = "saylau"


class Role(StrEnum):
    ADMIN = "admin"
    CENTRAL = "central"
    REGIONAL = "regional"
    DISTRICT = "district"
    PRECINCT = "precinct"
    OBSERVER = "observer"


SCOPED = frozenset({Role.REGIONAL, Role.DISTRICT, Role.PRECINCT})
MEMBERS = SCOPED | {Role.CENTRAL}  # those who key protocols


class NotAuthenticated(SaylauError):
    code = "not_authenticated"


class AccessDenied(SaylauError):
    code = "forbidden"


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    name: str
    role: Role
    units: tuple[str, ...]

    @property
    def is_member(self) -> bool:
        return self.role in MEMBERS


@dataclass(frozen=True, slots=True)
class SessionInfo:
    account: Account
    csrf: str


def _account(row: AccountRow) -> Account:
    return Account(row.id, row.name, Role(row.role), row.units)


def token_hash(token: str) -> str:
    return hashlib.sha256(b"saylau-session\x00" + token.encode("utf-8")).hexdigest()


def provisioning_uri(name: str, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name=_ISSUER)


def create_account(
    ctx: Context, name: str, role: Role, password: str, units: Sequence[str], totp_secret: str
) -> tuple[Account, str]:
    """A new account; returns it with its TOTP provisioning URI (shown once, to be scanned)."""
    problems = []
    if not name.strip() or len(name) > 128:
        problems.append(Problem(rule="name", message="a name of 1 to 128 characters is required", field="name"))
    if len(password) < 12:
        problems.append(Problem(rule="password", message="a password of at least 12 characters", field="password"))
    if role in SCOPED and not units:
        problems.append(Problem(rule="units", message=f"a {role} member needs at least one unit", field="unit"))
    if role not in SCOPED and units:
        problems.append(Problem(rule="units", message=f"a {role} account has no units (it sees all)", field="unit"))
    if problems:
        raise InputError(problems, summary=f"account {name!r} refused")
    sealed = ctx.settings.require_key().seal(totp_secret, name)
    now = ctx.clock()
    with ctx.store.transaction() as tx:
        accounts = AccountsTx(tx)
        if accounts.find_account(name) is not None:
            raise Conflict(f"an account {name!r} already exists", code="duplicate_account")
        account_id = accounts.insert_account(name, role.value, _HASHER.hash(password), sealed, units, now)
        tx.audit(
            None, ctx.actor, "account.create", "ok", {"account": name, "role": role.value, "units": list(units)}, now
        )
    return Account(account_id, name, role, tuple(sorted(units))), provisioning_uri(name, totp_secret)


def list_accounts(ctx: Context) -> list[Account]:
    with ctx.store.transaction() as tx:
        return [_account(r) for r in AccountsTx(tx).accounts()]


def login(ctx: Context, name: str, password: str, token: str, csrf: str, client: str = "local") -> SessionInfo:
    """Check the password (argon2) and open a session keyed by ``token``; every attempt is logged.

    The attempt is first counted by the throttle (name and ``client`` address, ``services.throttle``) in
    one short write transaction; a key still waiting refuses it (TooManyAttempts) before any check. The
    password is then verified outside any transaction (argon2 is slow; SQLite would hold its write lock
    meanwhile), against a dummy hash for an unknown name, so that unknown, inactive and active accounts
    take the same time; a last short transaction opens the session or logs the refusal."""
    now = ctx.clock()
    keys = login_keys(name, client)
    actor = name[:128] or "?"
    with ctx.store.transaction(write=True) as tx:
        wait = reserve(tx, keys, now)
        row = AccountsTx(tx).find_account(name) if wait is None else None
        if wait is not None:
            details = {"reason": "throttled", "client": client[:64], "retry_after": retry_seconds(wait)}
            tx.audit(None, actor, "session.login", "refused", details, now)
    if wait is not None:
        raise TooManyAttempts("log-ins", wait)
    verified = _password_ok(row.password_hash if row is not None else _dummy_hash(), password)
    ok = row is not None and row.active and verified
    with ctx.store.transaction(write=True) as tx:
        if row is not None and ok:
            succeeded(tx, keys)
            AccountsTx(tx).insert_session(token_hash(token), row.id, csrf, now, now + SESSION_LIFETIME)
            tx.audit(None, row.name, "session.login", "ok", {"role": row.role}, now)
        else:
            tx.audit(None, actor, "session.login", "refused", {"reason": "bad_credentials", "client": client[:64]}, now)
    if row is None or not ok:
        raise NotAuthenticated("wrong name or password", code="bad_credentials")
    return SessionInfo(_account(row), csrf)


@functools.cache
def _dummy_hash() -> str:
    """An argon2 hash of nothing anyone types, made once: verified when the name is unknown."""
    return _HASHER.hash("saylau: no such account")


def _password_ok(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def session_of(ctx: Context, token: str | None) -> SessionInfo | None:
    if not token:
        return None
    with ctx.store.transaction() as tx:
        row = AccountsTx(tx).find_session(token_hash(token), ctx.clock())
    return None if row is None else SessionInfo(_account(row.account), row.csrf)


def logout(ctx: Context, token: str, who: str) -> None:
    now = ctx.clock()
    with ctx.store.transaction() as tx:
        AccountsTx(tx).delete_session(token_hash(token))
        tx.audit(None, who, "session.logout", "ok", {}, now)


def csrf_ok(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


def require_totp(ctx: Context, account: Account, code: str | None, action: str, event: str | None) -> None:
    """Check a TOTP code (window ±1 step, each step usable once) or log the refusal and raise. Wrong codes
    are throttled per account (``services.throttle``): the attempt is counted before the code is checked,
    and refused unchecked (TooManyAttempts, logged) while the account must wait; a right code resets."""
    now = ctx.clock()
    try:
        key = ctx.settings.require_key()
        throttle_totp(ctx, account.name, code, action, event, now)
        with ctx.store.transaction() as tx:
            accounts = AccountsTx(tx)
            row = accounts.find_account(account.name)
            secret = key.open(row.totp_secret, row.name) if row is not None else None
            step = _matching_step(secret, (code or "").strip(), now) if secret is not None else None
            ok = row is not None and step is not None and accounts.set_totp_step(row.id, step)
            if ok:
                totp_succeeded(tx, account.name)
    except SecretKeyError as exc:
        with ctx.store.transaction() as tx:
            tx.audit(event, account.name, action, "refused", {"reason": exc.code}, now)
        raise
    if not ok:
        with ctx.store.transaction() as tx:
            tx.audit(event, account.name, action, "refused", {"reason": "totp"}, now)
        raise AccessDenied("a valid one-time code (TOTP) is required for this action", code="totp_required")


def rekey(ctx: Context, old_key: SecretKey | None = None) -> tuple[int, int, int]:
    """Seal every TOTP secret under the configured key, in one transaction (all or nothing): plaintext
    ones left by an older database, and those sealed under ``old_key`` (a key rotation). Returns
    (sealed from plaintext, re-sealed from the old key, already sealed under the key)."""
    key = ctx.settings.require_key()
    now = ctx.clock()
    counts = [0, 0, 0]
    with ctx.store.transaction(write=True) as tx:
        accounts = AccountsTx(tx)
        for row in accounts.accounts():
            if is_sealed(row.totp_secret) and row.totp_secret.split(":")[1] == key.key_id:
                key.open(row.totp_secret, row.name)  # it opens: nothing to do
                counts[2] += 1
                continue
            if is_sealed(row.totp_secret):
                if old_key is None:
                    key.open(row.totp_secret, row.name)  # raises: sealed under another key, which was not given
                secret, kind = (old_key or key).open(row.totp_secret, row.name), 1
            else:
                secret, kind = row.totp_secret, 0
            accounts.set_totp_secret(row.id, key.seal(secret, row.name))
            counts[kind] += 1
        details = {"key": key.key_id, "from_plaintext": counts[0], "resealed": counts[1], "unchanged": counts[2]}
        tx.audit(None, ctx.actor, "account.rekey", "ok", details, now)
    return counts[0], counts[1], counts[2]


def _matching_step(secret: str, code: str, now: dt.datetime) -> int | None:
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    step = int(now.timestamp()) // totp.interval
    for candidate in (step - 1, step, step + 1):
        if hmac.compare_digest(totp.at(candidate * totp.interval), code):
            return candidate
    return None


def may_act_on(account: Account, territory: Territory, precinct: UnitCode) -> bool:
    """A member acts on precincts under one of their units (central: every precinct); others never."""
    if account.role is Role.CENTRAL:
        return True
    if account.role not in SCOPED or precinct not in territory:
        return False
    return any(u == precinct or u in territory.ancestors(precinct) for u in account.units)


def may_see(account: Account, territory: Territory, unit: UnitCode) -> bool:
    """Observers, admins and central see everything; scoped members their units' subtrees and paths."""
    if account.role not in SCOPED:
        return True
    if unit not in territory:
        return False
    path = {unit, *territory.ancestors(unit)}
    return any(u in path or unit in territory.ancestors(UnitCode(u)) for u in account.units if u in territory)
