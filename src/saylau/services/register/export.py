"""An export of the register at an instant (spec/register.md §8): pseudonymised by default, a keyed hash
of the identifier in place of who the person is and no names, address or birth date (the birth year
only); names and identifiers only for a member whose role allows them (model.roles.REGISTER_NAMES) or
the commission's own command line. Logged in the audit log."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
from typing import TextIO

from saylau.model.roles import REGISTER_NAMES, Role
from saylau.register.rows import COLUMNS
from saylau.services.access.accounts import AccessDenied
from saylau.services.context import Context
from saylau.services.secret_key import SecretKey
from saylau.store.register_repo import RegisterTx

__all__ = ["PSEUDONYMOUS_COLUMNS", "export_register", "pseudonym"]

PSEUDONYMOUS_COLUMNS = ("pseudonym", "birth_year", "sex", "precinct", "status")
_PURPOSE = b"saylau-register-pseudonym\x00"


def pseudonym(key: SecretKey, identifier: str) -> str:
    """HMAC-SHA-256 of the identifier under the deployment's secret key, with a purpose tag; 128 bits in hex.
    The same person has the same pseudonym in every export under one key, and nobody without the key can
    link it to them (an IIN has too few values for an unkeyed hash: about 10^10 per birth date)."""
    return hmac.new(key.raw, _PURPOSE + identifier.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def export_register(ctx: Context, at: dt.datetime, out: TextIO, *, names: bool, role: Role | None) -> int:
    """Write every person's entry in force at ``at`` to ``out`` as CSV; the rows written. ``role`` None is
    the local command line. With ``names`` the columns are the import's (spec/register.md §1)."""
    if names and role is not None and role not in REGISTER_NAMES:
        raise AccessDenied(f"the role {role.value} may not read names from the register: export pseudonymised")
    key = None if names else ctx.settings.require_key()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS if names else PSEUDONYMOUS_COLUMNS)
    rows = 0
    with ctx.store.transaction(write=True) as tx:
        for current in RegisterTx(tx).current(at):
            e = current.entry
            if key is None:
                writer.writerow([e.identifier, e.surname, e.given_name, e.patronymic, e.birth_date.isoformat(),
                                 e.sex or "", e.address, e.precinct, e.status.value])  # fmt: skip
            else:
                writer.writerow(
                    [pseudonym(key, e.identifier), e.birth_date.year, e.sex or "", e.precinct, e.status.value]
                )
            rows += 1
        details = {"at": at.isoformat(), "names": names, "rows": rows}
        tx.audit(None, ctx.actor, "register.export", "ok", details, ctx.clock())
    return rows
