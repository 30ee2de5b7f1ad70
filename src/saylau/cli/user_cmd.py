"""``saylau user``: commission accounts (the TOTP provisioning URI is printed once, at creation)."""

from __future__ import annotations

import os
from typing import Annotated

import pyotp
import typer

from saylau.cli.common import DEFAULT_DB, ActorOpt, DbOpt, handle_errors, open_context
from saylau.services.accounts import Role, create_account, list_accounts

__all__ = ["user_app"]

user_app = typer.Typer(help="Commission accounts: roles, units, password and one-time codes.", no_args_is_help=True)


@user_app.command("add")
@handle_errors
def add_command(
    name: str,
    role: Annotated[Role, typer.Option("--role", help="admin, central, regional, district, precinct or observer")],
    unit: Annotated[list[str] | None, typer.Option("--unit", help="A unit the member acts on (repeatable)")] = None,
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
) -> None:
    """Add an account. The password comes from SAYLAU_NEW_PASSWORD or is asked for (never an argument)."""
    password = os.environ.get("SAYLAU_NEW_PASSWORD") or typer.prompt(
        f"password for {name}", hide_input=True, confirmation_prompt=True
    )
    account, uri = create_account(open_context(db, actor), name, role, password, unit or [], pyotp.random_base32())
    typer.echo(f"account {account.name} ({account.role}) created")
    typer.echo(f"TOTP provisioning URI (shown once; scan it into the member's authenticator): {uri}")


@user_app.command("list")
@handle_errors
def list_command(db: DbOpt = DEFAULT_DB) -> None:
    """Every account with its role and units."""
    for a in list_accounts(open_context(db, None)):
        typer.echo(f"{a.name}\t{a.role}\t{','.join(a.units)}")
