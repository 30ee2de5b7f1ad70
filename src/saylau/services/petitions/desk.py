"""The petitions' pages (spec/petitions.md §12): the public facts of one petition (counts only: no person,
no signature), and the commission's list with its verification form (central members, one-time code)."""

from __future__ import annotations

import dataclasses
from typing import Any

from saylau.model.roles import Role
from saylau.services.access.accounts import AccessDenied, Account
from saylau.services.access.factor import member_totp
from saylau.services.context import Context
from saylau.services.petitions.codes import PetitionFlowCode
from saylau.services.petitions.intake import load_petition
from saylau.services.petitions.verifying import PetitionStatus, Verified, petition_status, verify
from saylau.store.petition_repo import PetitionTx

__all__ = ["desk_list", "desk_verify", "percent_of", "public_facts"]

MAX_LISTED = 500  # petitions on the commission's page


def percent_of(raw: int, required: int) -> tuple[str, int]:
    """Signatures collected as a share of the requirement: the text (one decimal, halves up, exact) and
    the bar's width (0..100)."""
    if required <= 0:
        return "0.0", 0
    tenths = (2000 * raw + required) // (2 * required)  # round half up of 1000 × raw / required
    return f"{tenths // 10}.{tenths % 10}", min(100, tenths // 10)


def public_facts(ctx: Context, code: str) -> dict[str, Any]:
    """Counts only, as the public page and its JSON show them."""
    s = petition_status(ctx, code)
    return _facts(s)


def _facts(s: PetitionStatus) -> dict[str, Any]:
    text, width = percent_of(s.raw, s.required)
    v: Verified | None = s.verified
    return {
        "petition": s.code, "kind": s.kind, "scope": s.scope, "preset": s.preset, "opens": s.opens.isoformat(),
        "closes": s.closes.isoformat(), "rule": s.rule, "threshold": s.threshold, "registered": s.registered,
        "required": s.required, "signatures": s.raw, "paper": s.paper, "online": s.online,
        "withdrawn": s.withdrawn, "percent": text, "bar": width,
        "outcome": None if v is None else {
            "qualified": v.qualified, "decided_by": v.decided_by, "valid": v.valid, "words": v.words,
            "recall_event": v.recall_event,
        },
    }  # fmt: skip


def desk_list(ctx: Context, account: Account) -> dict[str, Any]:
    """Every petition's facts (any signed-in account reads them) and whether this account may verify."""
    with ctx.store.transaction() as tx:
        codes = PetitionTx(tx).codes()[:MAX_LISTED]
    return {"petitions": [public_facts(ctx, c) for c in codes], "may_verify": account.role is Role.CENTRAL}


def desk_verify(ctx: Context, account: Account, code: str, seed: str, totp: str) -> Verified:
    """Verify from the commission's page: central members only, with their one-time code (checked and
    consumed in the writing transaction); the seed as published (20 digits) for a sample rule."""
    if account.role is not Role.CENTRAL:
        with ctx.store.transaction() as tx:
            reason = PetitionFlowCode.PETITION_CENTRAL_ONLY
            tx.audit(None, account.name, "petition.verify", "refused", {"reason": reason, "petition": code[:64]},
                     ctx.clock())  # fmt: skip
        raise AccessDenied(
            f"{account.name} ({account.role}) may not verify a petition: central members only",
            details={"reason": PetitionFlowCode.PETITION_CENTRAL_ONLY},
        )
    with ctx.store.transaction() as tx:
        load_petition(tx, code)
    factor = member_totp(ctx, account.name, totp, "petition.verify", None)
    return verify(dataclasses.replace(ctx, actor=account.name), code, seed.strip()[:20] or None, factor=factor)
