"""Who submits a copy: an active observer's account, or a citizen under a label that holds no contact."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from saylau.model import (
    InputError,
    NotFound,
    Problem,
)
from saylau.services.access.accounts import AccessDenied, Account, Role, list_accounts
from saylau.services.audit.parallel.codes import CopyCode
from saylau.services.context import Context
from saylau.store.observer_schema import LABEL_MAX

__all__ = ["Anonymous", "Submitter", "check_label", "observer_account", "require_observer"]


@dataclass(frozen=True, slots=True)
class Anonymous:
    """A citizen without an account: a label of their own (no contact) and the client address (throttle)."""

    label: str
    client: str


Submitter = Account | Anonymous


def check_label(label: str) -> str:
    """A label of 1..64 printable characters that is no contact (no e-mail address, no phone number)."""
    text = unicodedata.normalize("NFC", label.strip())
    digits = sum(ch.isdigit() for ch in text)
    if not text or len(text) > LABEL_MAX or not all(ch.isprintable() for ch in text):
        message = f"a label of 1 to {LABEL_MAX} printable characters is required"
    elif "@" in text or digits >= 7:
        message = "the label must not be a contact (no e-mail address, no phone number): it is published"
    else:
        return text
    raise InputError([Problem("copy_label", message, field="label")])


def require_observer(account: Account) -> None:
    if account.role is not Role.OBSERVER or not account.active:
        raise AccessDenied(
            f"account {account.name!r} is not an active observer: only observers submit copies of protocols",
            details={"reason": CopyCode.NOT_OBSERVER},
        )


def observer_account(ctx: Context, name: str) -> Account:
    """The observer account named ``name`` (the command line submits on its behalf)."""
    found = next((a for a in list_accounts(ctx) if a.name == name), None)
    if found is None:
        raise NotFound(f"no account {name!r}", details={"account": name})
    require_observer(found)
    return found
