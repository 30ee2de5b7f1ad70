"""The second factor of a commission's critical step, an explicit input of the use case that takes it.

Entering a protocol that makes it count, resolving a mismatch, a correction, a CSV batch and a phase
change each need a verified one-time code by the member who does it. Whether an entry needs one depends
on what the round holds, which only the transaction that accepts it sees under its lock: so the use case
(``protocols.enter_protocols``, ``events.advance``) is given the factor and checks it there, in the same
transaction as the write, and the audit row of the write says how the step was attested.

Two kinds, and no default:

- ``MemberTotp``: a commission member on the web pages, with the code they typed ("" when none). The
  code is checked and its step consumed inside the accepting transaction (``accounts.verify_totp_in``),
  so two requests cannot both use it, and a step is not spent on a refused write.
- ``LocalCli``: a local operator at the ``saylau`` command line on the server. Whoever runs it has shell
  access to the database itself, which no code would stop; the audit row says ``"factor": "local_cli"``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final, assert_never

from saylau.services.access.accounts import AccessDenied, verify_totp_in
from saylau.services.access.codes import AccessCode
from saylau.services.access.throttle import throttle_totp
from saylau.services.context import Context
from saylau.store import Tx

__all__ = ["LOCAL_CLI", "Factor", "LocalCli", "MemberTotp", "factor_kind", "member_totp", "verify_factor"]


@dataclass(frozen=True, slots=True)
class MemberTotp:
    """A commission member acting through the web pages, with the one-time code they typed ("" if none)."""

    account: str
    code: str


@dataclass(frozen=True, slots=True)
class LocalCli:
    """A local operator at the command line: trusted shell access to the database, audited as such."""


LOCAL_CLI: Final = LocalCli()

Factor = MemberTotp | LocalCli


def member_totp(ctx: Context, account: str, code: str, action: str, event: str | None) -> MemberTotp:
    """A member's factor, the attempt counted first (``throttle.throttle_totp``: in a transaction of its own,
    committed before the accepting transaction checks the code, which a wrong code rolls back; a blank
    code is not counted). Raises TooManyAttempts while the account must wait."""
    throttle_totp(ctx, account, code, action, event, ctx.clock())
    return MemberTotp(account, code)


def factor_kind(factor: Factor) -> str:
    match factor:
        case MemberTotp():
            return "totp"
        case LocalCli():
            return "local_cli"
        case _:
            assert_never(factor)


def verify_factor(
    tx: Tx, ctx: Context, factor: Factor, actor: str, now: dt.datetime, *, required: bool
) -> dict[str, str]:
    """Attest the step inside ``tx`` (the accepting transaction, after its locks): a member's code is
    checked and consumed when ``required``; returns what the audit row of the write records. Raises
    ``AccessDenied`` (``totp_required``, or ``factor_not_actor`` when the code is another person's)."""
    match factor:
        case LocalCli():
            return {"factor": "local_cli"}
        case MemberTotp(account=account, code=code):
            if account != actor:
                raise AccessDenied(
                    f"the one-time code of {account!r} cannot attest a step by {actor!r}",
                    code=AccessCode.FACTOR_NOT_ACTOR,
                )
            if not required:
                return {"factor": "none_required"}
            verify_totp_in(tx, ctx.settings.require_key(), account, code, now)
            return {"factor": "totp", "totp_verified_for": account}
        case _:
            assert_never(factor)
