"""``saylau user``: commission accounts (the TOTP provisioning URI is printed once, at creation and at
``reset-totp``), disabling and enabling them, resetting their password or TOTP secret and ending their
sessions, the secret key that seals their TOTP secrets at rest (``keygen``, ``rekey``), and the deployment
settings that ``saylau serve`` shares with these commands (key, scan policy). A password is never an
argument: it comes from ``--password-file``, $SAYLAU_NEW_PASSWORD or a prompt."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from saylau.cli.common import (
    DEFAULT_DB,
    ActorOpt,
    DbOpt,
    JsonOpt,
    console,
    handle_errors,
    open_context,
    print_json,
)
from saylau.cli.help import HelpTyper
from saylau.model import SaylauError
from saylau.model.roles import Role

if TYPE_CHECKING:
    from saylau.services.access.accounts import Account
    from saylau.services.access.admin import ActionResult
    from saylau.services.context import Context
    from saylau.services.secret_key import SecretKey

# lazy: the account machinery (argon2, pyotp, the store) is imported inside each command that uses it, so
# `saylau --help` and the commands without a database start without it (issue 10 item 8)

__all__ = [
    "KEY_ENV",
    "KeyFileOpt",
    "RequireScanOpt",
    "ScanMaxOpt",
    "load_key",
    "user_app",
    "with_settings",
]

KEY_ENV = "SAYLAU_SECRET_KEY"
_MIB = 1024 * 1024

user_app = HelpTyper(help="Commission accounts: roles, units, password and one-time codes.", no_args_is_help=True)
sessions_app = HelpTyper(help="The log-in sessions of an account.", no_args_is_help=True)
user_app.add_typer(sessions_app, name="sessions")

KeyFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--key-file",
        envvar="SAYLAU_SECRET_KEY_FILE",
        metavar="FILE",
        help=f"File holding the secret key that seals TOTP secrets, 32 bytes as base64url text (else ${KEY_ENV}; "
        "see `saylau user keygen`; format: spec/formats.md §12).",
    ),
]
ScanMaxOpt = Annotated[
    float,
    typer.Option(
        "--scan-max-mb",
        envvar="SAYLAU_SCAN_MAX_MB",
        metavar="MIB",
        min=0.001,
        max=1024.0,
        help="Largest protocol scan accepted, in MiB.",
    ),
]
NameArg = Annotated[str, typer.Argument(help="The account's name (rules: spec/formats.md §13).")]
PasswordFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--password-file",
        metavar="FILE",
        help="Read the new password from this file, its first line (mode 0600), not a prompt (format: "
        "spec/formats.md §13).",
    ),
]
RequireScanOpt = Annotated[
    bool,
    typer.Option(
        "--require-scan/--scan-optional",
        envvar="SAYLAU_REQUIRE_SCAN",
        help="Whether a protocol keyed through the entry form must come with its scan.",
    ),
]


def load_key(key_file: Path | None) -> SecretKey | None:
    """The secret key from ``key_file``, else from $SAYLAU_SECRET_KEY; None when neither is given."""
    from saylau.services.private_files import read_private_file  # noqa: PLC0415
    from saylau.services.secret_key import SecretKey  # noqa: PLC0415

    if key_file is not None:
        # refused when group or others may read it (issue 9): the key opens every member's TOTP secret
        text = read_private_file(key_file, "the secret key").decode("utf-8", errors="replace")
        return SecretKey.from_text(text, str(key_file))
    text = os.environ.get(KEY_ENV, "").strip()
    return SecretKey.from_text(text, f"${KEY_ENV}") if text else None


def with_settings(
    ctx: Context, key_file: Path | None, scan_max_mb: float | None = None, require_scan: bool = False
) -> Context:
    """``ctx`` with the deployment's settings: the secret key and the scan policy (``scan_max_mb`` None:
    the default size, 20 MiB)."""
    from saylau.services.settings import DEFAULT_SCAN_MAX_BYTES, DeploymentSettings, ScanPolicy  # noqa: PLC0415

    if scan_max_mb is None:
        scan_max_mb = DEFAULT_SCAN_MAX_BYTES / _MIB
    policy = ScanPolicy(max_bytes=int(scan_max_mb * _MIB), required=require_scan)
    return dataclasses.replace(ctx, settings=DeploymentSettings(secret_key=load_key(key_file), scans=policy))


def _new_password(name: str, password_file: Path | None) -> str:
    """From ``password_file`` (its first line), else $SAYLAU_NEW_PASSWORD, else a prompt (typed twice)."""
    if password_file is not None:
        from saylau.services.private_files import read_private_file  # noqa: PLC0415

        # refused when group or others may read it, like the secret key's file
        lines = read_private_file(password_file, "the new password").decode("utf-8", errors="replace").splitlines()
        return lines[0] if lines else ""
    return os.environ.get("SAYLAU_NEW_PASSWORD") or typer.prompt(
        f"password for {name}", hide_input=True, confirmation_prompt=True
    )


@user_app.command("add")
@handle_errors
def add_command(
    name: NameArg,
    role: Annotated[Role, typer.Option("--role", metavar="ROLE", help="The account's role.")],
    unit: Annotated[
        list[str] | None, typer.Option("--unit", metavar="UNIT", help="A unit the member acts on (repeatable).")
    ] = None,
    event: Annotated[
        str | None,
        typer.Option(
            "--event",
            metavar="EVENT",
            help="The event the units are given for (without it: every event that has them).",
        ),
    ] = None,
    password_file: PasswordFileOpt = None,
    key_file: KeyFileOpt = None,
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
) -> None:
    """Add an account. The password comes from --password-file, SAYLAU_NEW_PASSWORD or is asked for (never
    an argument). Its TOTP secret is stored sealed under the secret key, which is needed here. A member's
    units must be in the territory of --event (or, without it, of some event, and then hold in every
    event whose territory has them)."""
    import pyotp  # noqa: PLC0415

    from saylau.services.access.accounts import create_account  # noqa: PLC0415

    ctx = with_settings(open_context(db, actor), key_file)
    ctx.settings.require_key()  # before the password is asked for
    password = _new_password(name, password_file)
    account, uri = create_account(ctx, name, role, password, unit or [], pyotp.random_base32(), event)
    typer.echo(f"account {account.name} ({account.role}) created")
    typer.echo(f"TOTP provisioning URI (shown once; scan it into the member's authenticator): {uri}")


def _units_text(a: Account) -> str:
    return ",".join([*a.units, *(f"{u}@{e}" for e, u in a.event_units)])


@user_app.command("list")
@handle_errors
def list_command(db: DbOpt = DEFAULT_DB, as_json: JsonOpt = False) -> None:
    """Every account with its role and units (`UNIT@EVENT` for a unit given for one event); a disabled
    account is marked so."""
    from saylau.services.access.accounts import list_accounts  # noqa: PLC0415

    accounts = list_accounts(open_context(db, None))
    if as_json:
        print_json(
            {
                "accounts": [
                    {
                        "name": a.name,
                        "role": a.role.value,
                        "active": a.active,
                        "units": list(a.units),
                        "event_units": [{"event": e, "unit": u} for e, u in a.event_units],
                    }
                    for a in accounts
                ]
            }
        )
        return
    for a in accounts:
        typer.echo(f"{a.name}\t{a.role}\t{_units_text(a)}" + ("" if a.active else "\tdisabled"))


def _report(done: ActionResult, as_json: bool, what: str, **extra: str | None) -> None:
    if as_json:
        doc = {"account": done.account, "action": done.action.value, "sessions_ended": done.sessions_ended}
        print_json(doc | extra)
        return
    typer.echo(f"account {done.account}: {what}; {done.sessions_ended} session(s) ended")


@user_app.command("disable")
@handle_errors
def disable_command(name: NameArg, db: DbOpt = DEFAULT_DB, actor: ActorOpt = None, as_json: JsonOpt = False) -> None:
    """Disable an account: it cannot log in, and its open sessions end now. Logged."""
    from saylau.services.access.admin import disable_account  # noqa: PLC0415
    from saylau.services.access.factor import LOCAL_CLI  # noqa: PLC0415

    _report(disable_account(open_context(db, actor), name, factor=LOCAL_CLI), as_json, "disabled")


@user_app.command("enable")
@handle_errors
def enable_command(name: NameArg, db: DbOpt = DEFAULT_DB, actor: ActorOpt = None, as_json: JsonOpt = False) -> None:
    """Enable a disabled account again. Logged."""
    from saylau.services.access.admin import enable_account  # noqa: PLC0415
    from saylau.services.access.factor import LOCAL_CLI  # noqa: PLC0415

    _report(enable_account(open_context(db, actor), name, factor=LOCAL_CLI), as_json, "enabled")


@user_app.command("reset-password")
@handle_errors
def reset_password_command(
    name: NameArg,
    password_file: PasswordFileOpt = None,
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Give an account a new password (from --password-file, SAYLAU_NEW_PASSWORD or a prompt, never an
    argument); its open sessions end now. Logged."""
    from saylau.services.access.admin import reset_password  # noqa: PLC0415
    from saylau.services.access.factor import LOCAL_CLI  # noqa: PLC0415

    ctx = open_context(db, actor)
    password = _new_password(name, password_file)
    _report(reset_password(ctx, name, password, factor=LOCAL_CLI), as_json, "password reset")


@user_app.command("reset-totp")
@handle_errors
def reset_totp_command(
    name: NameArg, key_file: KeyFileOpt = None, db: DbOpt = DEFAULT_DB, actor: ActorOpt = None, as_json: JsonOpt = False
) -> None:
    """Give an account a new TOTP secret (sealed under the secret key) and print its provisioning URI once;
    codes of the old one stop working and its open sessions end now. Logged."""
    import pyotp  # noqa: PLC0415

    from saylau.services.access.admin import reset_totp  # noqa: PLC0415
    from saylau.services.access.factor import LOCAL_CLI  # noqa: PLC0415

    ctx = with_settings(open_context(db, actor), key_file)
    done = reset_totp(ctx, name, pyotp.random_base32(), factor=LOCAL_CLI)
    _report(done, as_json, "TOTP secret reset", provisioning_uri=done.provisioning_uri)
    if not as_json:
        typer.echo(
            f"TOTP provisioning URI (shown once; scan it into the member's authenticator): {done.provisioning_uri}"
        )


@user_app.command("grant")
@handle_errors
def grant_command(
    name: NameArg,
    event: Annotated[str, typer.Option("--event", metavar="EVENT", help="The event the units are given for.")],
    unit: Annotated[
        list[str], typer.Option("--unit", metavar="UNIT", help="A unit of that event's territory (repeatable).")
    ],
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Give a member units in one event (for example a new event), each in its territory. Logged."""
    from saylau.services.access.admin import grant_units  # noqa: PLC0415

    new = grant_units(open_context(db, actor), name, event, unit)
    if as_json:
        print_json({"account": name, "event": event, "units": list(new)})
        return
    typer.echo(f"account {name}: {len(new)} unit(s) given in {event}: {', '.join(new) or 'none new'}")


@sessions_app.command("revoke")
@handle_errors
def revoke_command(name: NameArg, db: DbOpt = DEFAULT_DB, actor: ActorOpt = None, as_json: JsonOpt = False) -> None:
    """End every open session of an account (it may log in again). Logged."""
    from saylau.services.access.admin import revoke_sessions  # noqa: PLC0415
    from saylau.services.access.factor import LOCAL_CLI  # noqa: PLC0415

    _report(revoke_sessions(open_context(db, actor), name, factor=LOCAL_CLI), as_json, "sessions revoked")


@user_app.command("keygen")
@handle_errors
def keygen_command(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="FILE",
            help="Write the key to this new file (mode 0600) instead of printing it (format: spec/formats.md §12).",
        ),
    ] = None,
) -> None:
    """Make a new secret key (32 random bytes, base64url) for sealing TOTP secrets at rest.

    Keep it out of the database and its backups; give it to `saylau serve` and `saylau user` as
    $SAYLAU_SECRET_KEY or with --key-file. Losing it means re-enrolling every account's one-time codes."""
    from saylau.services.secret_key import SecretKey  # noqa: PLC0415

    key = SecretKey.generate()
    if out is None:
        typer.echo(key.to_text())
        return
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise SaylauError(f"cannot create {out}: {exc.strerror}", code="unwritable") from exc
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key.to_text() + "\n")
    console.print(f"secret key {key.key_id} written to {out} (mode 0600)", highlight=False)


@user_app.command("rekey")
@handle_errors
def rekey_command(
    key_file: KeyFileOpt = None,
    old_key_file: Annotated[
        Path | None,
        typer.Option(
            "--old-key-file",
            metavar="FILE",
            help="The key the secrets are sealed with now, a key rotation (format: spec/formats.md §12).",
        ),
    ] = None,
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
) -> None:
    """Seal every TOTP secret under the secret key: once after upgrading a database whose secrets were
    stored in plaintext, and to rotate keys (--old-key-file). All or nothing; logged."""
    from saylau.services.access.accounts import rekey  # noqa: PLC0415

    ctx = with_settings(open_context(db, actor), key_file)
    old = load_key(old_key_file) if old_key_file is not None else None
    sealed, resealed, unchanged = rekey(ctx, old)
    key = ctx.settings.require_key()
    console.print(
        f"key {key.key_id}: {sealed} plaintext secret(s) sealed, {resealed} re-sealed from the old key, "
        f"{unchanged} already sealed",
        highlight=False,
    )
