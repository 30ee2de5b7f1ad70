"""Use cases: an administrator disables or enables an account, resets its password or its TOTP secret,
or ends its sessions (``saylau user disable|enable|reset-password|reset-totp|sessions revoke`` and the
commission's accounts page); and gives a member units in one more event (``saylau user grant``).

Each action is one transaction: the change, the end of every open session of the target account (all
five actions end them; enabling ends any left from before it was disabled) and the audit entry (who, what,
the target account, how many sessions ended). A disabled account cannot log in, and its sessions stop
at once: they are deleted here, and ``session_of`` refuses an inactive account's session anyway.

Access rule (the accounts page): only an account of role ``admin``, with a CSRF token and its own valid
one-time code (``factor.MemberTotp``, checked and consumed in the transaction of the change, so a code is
not spent on a refused action), and never on its own account (an administrator locking themselves out is
done from the command line). Every refusal is logged. The command line acts as ``ctx.actor`` with the
``factor.LOCAL_CLI`` factor (the operator with shell access to the database), recorded in the audit row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import assert_never

from saylau.model import InputError, NotFound, Problem
from saylau.services.access.account_rules import identifier_problems, password_problems
from saylau.services.access.accounts import (
    SCOPED,
    AccessDenied,
    Account,
    Role,
    list_accounts,
    provisioning_uri,
    require_known_units,
)
from saylau.services.access.codes import AccessCode
from saylau.services.access.factor import Factor, member_totp, verify_factor
from saylau.services.access.passwords import hash_password
from saylau.services.context import Context
from saylau.services.lookup import load_event, require_territory
from saylau.services.secret_key import SecretKeyError
from saylau.store.accounts_repo import AccountRow, AccountsTx

__all__ = [
    "AccountAction",
    "AccountOverview",
    "ActionResult",
    "account_overview",
    "admin_action",
    "disable_account",
    "enable_account",
    "grant_units",
    "require_admin",
    "reset_password",
    "reset_totp",
    "revoke_sessions",
]


class AccountAction(StrEnum):
    DISABLE = "disable"
    ENABLE = "enable"
    RESET_PASSWORD = "reset-password"
    RESET_TOTP = "reset-totp"
    REVOKE_SESSIONS = "revoke-sessions"


@dataclass(frozen=True, slots=True)
class ActionResult:
    action: AccountAction
    account: str
    sessions_ended: int
    provisioning_uri: str | None = None  # reset-totp only: shown once, to be scanned


@dataclass(frozen=True, slots=True)
class AccountOverview:
    account: Account
    open_sessions: int


def _storable(name: str) -> bool:
    """Whether an account could have this name at all (no NUL, which PostgreSQL cannot store, nor a lone
    surrogate; at most 128 characters): other names are not looked up."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in name and 0 < len(name) <= 128


def _target(accounts: AccountsTx, name: str) -> AccountRow:
    row = accounts.find_account(name) if _storable(name) else None
    if row is None:
        raise NotFound(f"no account {name[:130]!r}")
    return row


def _apply(ctx: Context, name: str, action: AccountAction, change: dict[str, object], factor: Factor) -> ActionResult:
    """In one transaction: the actor's factor checked (an administrator's code consumed), ``change`` on the
    account, every session of it ended, the audit entry; a refused factor is logged and changes nothing."""
    now = ctx.clock()
    try:
        with ctx.store.transaction(write=True) as tx:
            accounts = AccountsTx(tx)
            row = _target(accounts, name)
            attested = verify_factor(tx, ctx, factor, ctx.actor, now, required=True)
            if "active" in change:
                accounts.set_active(row.id, bool(change["active"]))
            if "password_hash" in change:
                accounts.set_password_hash(row.id, str(change["password_hash"]))
            if "totp_secret" in change:
                accounts.set_totp_secret(row.id, str(change["totp_secret"]))
            ended = accounts.delete_sessions(row.id)
            details = {"account": row.name, "role": row.role, "sessions_ended": ended, **attested}
            tx.audit(None, ctx.actor, f"account.{action.value}", "ok", details, now)
    except (AccessDenied, SecretKeyError) as exc:
        with ctx.store.transaction() as tx:
            why = "totp" if isinstance(exc, AccessDenied) else exc.code
            tx.audit(None, ctx.actor, f"account.{action.value}", "refused", {"reason": why, "account": name}, now)
        raise
    return ActionResult(action, row.name, ended)


def disable_account(ctx: Context, name: str, *, factor: Factor) -> ActionResult:
    """The account can no longer log in; its sessions end now."""
    return _apply(ctx, name, AccountAction.DISABLE, {"active": False}, factor)


def enable_account(ctx: Context, name: str, *, factor: Factor) -> ActionResult:
    """A disabled account may log in again (with its password and one-time codes as they were)."""
    return _apply(ctx, name, AccountAction.ENABLE, {"active": True}, factor)


def reset_password(ctx: Context, name: str, password: str, *, factor: Factor) -> ActionResult:
    """A new password (the same rules as at creation); its sessions end now."""
    problems = password_problems(password, name)
    if problems:
        raise InputError(problems, summary=f"new password for {name!r} refused")
    return _apply(ctx, name, AccountAction.RESET_PASSWORD, {"password_hash": hash_password(password)}, factor)


def reset_totp(ctx: Context, name: str, totp_secret: str, *, factor: Factor) -> ActionResult:
    """A new TOTP secret, sealed under the deployment's key; returns its provisioning URI (shown once).
    Codes of the old secret stop working; its sessions end now."""
    sealed = ctx.settings.require_key().seal(totp_secret, name)
    done = _apply(ctx, name, AccountAction.RESET_TOTP, {"totp_secret": sealed}, factor)
    return dataclasses.replace(done, provisioning_uri=provisioning_uri(name, totp_secret))


def revoke_sessions(ctx: Context, name: str, *, factor: Factor) -> ActionResult:
    """End every open session of the account (it may log in again)."""
    return _apply(ctx, name, AccountAction.REVOKE_SESSIONS, {}, factor)


def grant_units(ctx: Context, name: str, event: str, units: Sequence[str]) -> tuple[str, ...]:
    """Give a member more units in ``event`` (each in its territory), for example the units of a new event;
    returns those newly given. Rights only grow: no session is ended. Logged."""
    wanted = sorted(set(units))
    problems = [p for u in wanted for p in identifier_problems(u, "unit", 64)]
    if not wanted:
        problems.append(Problem(rule="units", message="at least one unit is required", field="unit"))
    if problems:
        raise InputError(problems, summary=f"units for {name!r} refused")
    now = ctx.clock()
    with ctx.store.transaction(write=True) as tx:
        accounts = AccountsTx(tx)
        row = _target(accounts, name)
        if Role(row.role) not in SCOPED:
            message = f"a {row.role} account has no units (it sees all)"
            raise InputError([Problem(rule="units", message=message, field="unit")])
        event_row = load_event(tx, event)
        require_territory(tx, event_row)
        require_known_units(wanted, accounts.units_of_event(event_row.id, wanted), event)
        new = [u for u in wanted if (event, u) not in row.event_units]
        accounts.insert_event_units(row.id, event_row.id, new)
        details = {"account": row.name, "event": event, "units": new}
        tx.audit(None, ctx.actor, "account.grant", "ok", details, now)
    return tuple(new)


def require_admin(ctx: Context, account: Account, action: str) -> None:
    """Only an administrator manages accounts; a refusal is logged."""
    if account.role is not Role.ADMIN:
        with ctx.store.transaction() as tx:
            tx.audit(None, account.name, action, "refused", {"reason": "admin_only"}, ctx.clock())
        raise AccessDenied(f"{account.name} ({account.role}) may not manage accounts", code=AccessCode.FORBIDDEN)


def account_overview(ctx: Context, admin: Account) -> list[AccountOverview]:
    """Every account with its state and number of open sessions: administrators only."""
    require_admin(ctx, admin, "accounts.view")
    with ctx.store.transaction() as tx:
        sessions = AccountsTx(tx).open_sessions(ctx.clock())
    return [AccountOverview(a, sessions.get(a.id, 0)) for a in list_accounts(ctx)]


def admin_action(
    ctx: Context,
    admin: Account,
    action: AccountAction,
    name: str,
    totp: str,
    *,
    password: str = "",
    totp_secret: str = "",
) -> ActionResult:
    """``action`` on the account ``name`` by the administrator ``admin`` (the accounts page): admins only,
    never on their own account, with their own valid one-time code; logged as ``admin``."""
    audit_action = f"account.{action.value}"
    require_admin(ctx, admin, audit_action)
    if name == admin.name:
        with ctx.store.transaction() as tx:
            tx.audit(None, admin.name, audit_action, "refused", {"reason": "own_account", "account": name}, ctx.clock())
        raise AccessDenied("an administrator does not act on their own account here", code=AccessCode.OWN_ACCOUNT)
    as_admin = dataclasses.replace(ctx, actor=admin.name)
    factor = member_totp(ctx, admin.name, totp, audit_action, None)  # checked in the transaction of the change
    match action:
        case AccountAction.DISABLE:
            return disable_account(as_admin, name, factor=factor)
        case AccountAction.ENABLE:
            return enable_account(as_admin, name, factor=factor)
        case AccountAction.RESET_PASSWORD:
            return reset_password(as_admin, name, password, factor=factor)
        case AccountAction.RESET_TOTP:
            return reset_totp(as_admin, name, totp_secret, factor=factor)
        case AccountAction.REVOKE_SESSIONS:
            return revoke_sessions(as_admin, name, factor=factor)
        case _:
            assert_never(action)
