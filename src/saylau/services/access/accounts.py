"""Use cases: commission accounts, roles and unit scopes; argon2 passwords, sessions and the TOTP factor.

Roles: ``admin`` manages accounts; ``central`` acts on every precinct; ``regional``, ``district`` and
``precinct`` members act only on precincts under their units; ``observer`` reads everything and changes
nothing. A member's units are given for one event (``event_units``, each in that event's territory) or,
as every unit was before revision 0009, for every event whose territory has them (``units``): the rights
in an event come from those two only, never from units given for another event. A session is a random
value in an HttpOnly cookie; only its SHA-256 is stored. Random values (session ids, CSRF tokens, TOTP
secrets) are made by the caller (``api``/``cli``) and passed in. Disabling an account, resetting its
password or TOTP secret and ending its sessions live beside this module, in ``services.account_admin``.

TOTP secrets are stored sealed under the deployment's secret key (``ctx.settings.secret_key``,
``services.secret_key``): without the key none is stored or read, and a plaintext secret left from an
older database is refused until ``saylau user rekey`` seals it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

import pyotp

from saylau.model import Conflict, InputError, NotFound, Problem, SaylauError, Territory, UnitCode
from saylau.model.roles import Role
from saylau.model.strict import ascii_digits
from saylau.services.access.account_rules import identifier_problems, password_problems
from saylau.services.access.codes import AccessCode
from saylau.services.access.passwords import dummy_hash, hash_password, password_ok
from saylau.services.access.throttle import (
    TooManyAttempts,
    login_keys,
    reserve,
    retry_seconds,
    succeeded,
    throttle_totp,
    totp_succeeded,
)
from saylau.services.context import Context
from saylau.services.secret_key import SecretKey, SecretKeyError, is_sealed
from saylau.store import Tx
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
    "require_known_units",
    "require_totp",
    "session_of",
    "token_hash",
    "verify_totp_in",
]

SESSION_LIFETIME = dt.timedelta(hours=12)
_ISSUER = "saylau"


SCOPED = frozenset({Role.REGIONAL, Role.DISTRICT, Role.PRECINCT})
MEMBERS = SCOPED | {Role.CENTRAL}  # those who key protocols


class NotAuthenticated(SaylauError):
    code: str = AccessCode.NOT_AUTHENTICATED


class AccessDenied(SaylauError):
    code: str = AccessCode.FORBIDDEN


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    name: str
    role: Role
    units: tuple[str, ...]  # for every event whose territory has them (given without an event)
    event_units: tuple[tuple[str, str], ...] = ()  # (event code, unit code): for that event only
    active: bool = True

    @property
    def is_member(self) -> bool:
        return self.role in MEMBERS

    def units_in(self, event: str | None) -> tuple[str, ...]:
        """The units this account acts on in ``event`` (None: only those given for every event)."""
        return tuple(sorted({*self.units, *(u for e, u in self.event_units if e == event)}))


@dataclass(frozen=True, slots=True)
class SessionInfo:
    account: Account
    csrf: str


def _account(row: AccountRow) -> Account:
    return Account(row.id, row.name, Role(row.role), row.units, row.event_units, row.active)


def token_hash(token: str) -> str:
    return hashlib.sha256(b"saylau-session\x00" + token.encode("utf-8")).hexdigest()


def provisioning_uri(name: str, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name=_ISSUER)


def create_account(
    ctx: Context,
    name: str,
    role: Role,
    password: str,
    units: Sequence[str],
    totp_secret: str,
    event: str | None = None,
) -> tuple[Account, str]:
    """A new account; returns it with its TOTP provisioning URI (shown once, to be scanned). Its units hold
    in ``event`` only, and must be in that event's territory; given without an event they hold in every
    event whose territory has them, and must be in at least one."""
    units = sorted(set(units))  # a unit given twice is given once
    _check_new_account(name, role, password, units)
    sealed = ctx.settings.require_key().seal(totp_secret, name)
    password_hash = hash_password(password)  # outside the write transaction: argon2 is slow on purpose
    now = ctx.clock()
    with ctx.store.transaction() as tx:
        accounts = AccountsTx(tx)
        if accounts.find_account(name) is not None:
            raise Conflict(f"an account {name!r} already exists", code=AccessCode.DUPLICATE_ACCOUNT)
        event_id = _scope(tx, accounts, units, event)
        everywhere = units if event_id is None else []
        account_id = accounts.insert_account(name, role.value, password_hash, sealed, everywhere, now)
        if event_id is not None:
            accounts.insert_event_units(account_id, event_id, units)
        details = {"account": name, "role": role.value, "units": units, "event": event}
        tx.audit(None, ctx.actor, "account.create", "ok", details, now)
    scoped = () if event is None else tuple((event, u) for u in units)
    return Account(account_id, name, role, tuple(everywhere), scoped), provisioning_uri(name, totp_secret)


def _check_new_account(name: str, role: Role, password: str, units: Sequence[str]) -> None:
    problems = identifier_problems(name, "name", 128) + password_problems(password, name)
    for u in units:
        problems += identifier_problems(u, "unit", 64)
    if role in SCOPED and not units:
        problems.append(Problem(rule="units", message=f"a {role} member needs at least one unit", field="unit"))
    if role not in SCOPED and units:
        problems.append(Problem(rule="units", message=f"a {role} account has no units (it sees all)", field="unit"))
    if problems:
        raise InputError(problems, summary=f"account {name!r} refused")


def _scope(tx: Tx, accounts: AccountsTx, units: Sequence[str], event: str | None) -> int | None:
    """The id of ``event`` (None: no event), once every unit is known to be in its territory (or any)."""
    if event is None:
        require_known_units(units, accounts.units_of_any_event(units), None)
        return None
    row = tx.find_event(event)  # (not services.events, which imports this module through the factor)
    if row is None:
        raise NotFound(f"no event {event!r} in this database", details={"event": event})
    require_known_units(units, accounts.units_of_event(row.id, units), event)  # none without a territory
    return row.id


def require_known_units(units: Sequence[str], known: set[str], event: str | None) -> None:
    """Refuse the ``units`` not in ``known`` (the units of ``event``'s territory, or of any event's)."""
    where = f"the territory of event {event!r}" if event is not None else "the territory of any event"
    unknown = [
        Problem(rule="unit_exists", message=f"unit {u!r} is not in {where}", field="unit")
        for u in units
        if u not in known
    ]
    if unknown:
        raise InputError(unknown, summary=f"{len(unknown)} unit(s) not found")


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
    verified = password_ok(row.password_hash if row is not None else dummy_hash(), password)
    ok = row is not None and row.active and verified
    with ctx.store.transaction(write=True) as tx:
        if row is not None and ok:
            # the password was checked outside any transaction: a reset or a disabling that committed
            # meanwhile (and ended the account's sessions) must not be outlived by this new session
            now_row = AccountsTx(tx).find_account(row.name, lock=True)
            ok = now_row is not None and now_row.active and now_row.password_hash == row.password_hash
        if row is not None and ok:
            succeeded(tx, keys)
            AccountsTx(tx).insert_session(token_hash(token), row.id, csrf, now, now + SESSION_LIFETIME)
            tx.audit(None, row.name, "session.login", "ok", {"role": row.role}, now)
        else:
            tx.audit(None, actor, "session.login", "refused", {"reason": "bad_credentials", "client": client[:64]}, now)
    if row is None or not ok:
        raise NotAuthenticated("wrong name or password", code=AccessCode.BAD_CREDENTIALS)
    return SessionInfo(_account(row), csrf)


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


def verify_totp_in(tx: Tx, key: SecretKey, account_name: str, code: str | None, now: dt.datetime) -> int:
    """Check ``account_name``'s TOTP code (window ±1 step, each step usable once) and consume its step
    inside ``tx``, the transaction of the action it guards: a concurrent use of the same step waits for
    this one and is refused (a replay). Returns the step; raises ``AccessDenied(code="totp_required")``.
    The caller audits a refusal in a transaction of its own (``tx`` is rolled back)."""
    accounts = AccountsTx(tx)
    row = accounts.find_account(account_name)
    secret = key.open(row.totp_secret, row.name) if row is not None else None
    step = _matching_step(secret, (code or "").strip(), now) if secret is not None else None
    if row is None or step is None or not accounts.set_totp_step(row.id, step):
        raise AccessDenied("a valid one-time code (TOTP) is required for this action", code=AccessCode.TOTP_REQUIRED)
    totp_succeeded(tx, account_name)  # a right code resets the account's count of wrong ones
    return step


def require_totp(ctx: Context, account: Account, code: str | None, action: str, event: str | None) -> None:
    """Check a TOTP code in a transaction of its own (``verify_totp_in``) or log the refusal and raise. Wrong
    codes are throttled per account (``services.throttle``): the attempt is counted before the code is
    checked, and refused unchecked (TooManyAttempts, logged) while the account must wait."""
    now = ctx.clock()
    try:
        key = ctx.settings.require_key()
        throttle_totp(ctx, account.name, code, action, event, now)
        with ctx.store.transaction() as tx:
            verify_totp_in(tx, key, account.name, code, now)
    except SecretKeyError as exc:
        with ctx.store.transaction() as tx:
            tx.audit(event, account.name, action, "refused", {"reason": exc.code}, now)
        raise
    except AccessDenied:
        with ctx.store.transaction() as tx:
            tx.audit(event, account.name, action, "refused", {"reason": "totp"}, now)
        raise


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
    if not (len(code) == 6 and ascii_digits(code, 6)):  # not str.isdigit: '１２３４５６' is no code
        return None
    totp = pyotp.TOTP(secret)
    step = int(now.timestamp()) // totp.interval
    for candidate in (step - 1, step, step + 1):
        if hmac.compare_digest(totp.at(candidate * totp.interval), code):
            return candidate
    return None


def may_act_on(account: Account, territory: Territory, precinct: UnitCode, event: str | None = None) -> bool:
    """A member acts on precincts of ``event`` under one of their units in that event (central: every
    precinct); others never. Without ``event`` only the units given for every event count."""
    if account.role is Role.CENTRAL:
        return True
    if account.role not in SCOPED or precinct not in territory:
        return False
    return any(u == precinct or u in territory.ancestors(precinct) for u in account.units_in(event))


def may_see(account: Account, territory: Territory, unit: UnitCode, event: str | None = None) -> bool:
    """Observers, admins and central see everything; scoped members their units' subtrees and paths in
    ``event`` (without it, only the units given for every event count)."""
    if account.role not in SCOPED:
        return True
    if unit not in territory:
        return False
    path = {unit, *territory.ancestors(unit)}
    units = account.units_in(event)
    return any(u in path or unit in territory.ancestors(UnitCode(u)) for u in units if u in territory)
