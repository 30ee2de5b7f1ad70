"""Verifying a petition and reporting it (spec/petitions.md §10): the register read at the closing day
(its dated versions, names keyed with saylau.register.names.match_key), the registered count for a share
threshold through services.register's voter lists, the core's verification (full, sample from a published
seed, sequential) with every signature's verdict kept, and a qualified recall's vote created under
``kz-recall`` through services.paper.events' create path."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from saylau.crypto.sampler import Seed
from saylau.petitions import (
    InMemoryRegister,
    Matching,
    Petition,
    PetitionError,
    PetitionsCode,
    ShareThreshold,
    Signature,
    SignatureId,
    Verification,
    Withdrawal,
    recall_vote,
    required_signatures,
    verify_petition,
)
from saylau.register.names import match_key
from saylau.services.access.factor import LOCAL_CLI, Factor, verify_factor
from saylau.services.context import Context
from saylau.services.paper.events import create_event, import_territory
from saylau.services.petitions.intake import Scope, load_petition, resolve_scope
from saylau.services.petitions.records import petition_of, plain, preset_version, registrants, signature_of
from saylau.services.register.lists import born_by
from saylau.store.petition_repo import PetitionTx, VerificationRow
from saylau.store.register_repo import RegisterTx

__all__ = ["PetitionStatus", "Verified", "create_recall_vote", "petition_report", "petition_status", "verify"]

MAX_SIGNATURES = 2_000_000  # signatures one verification reads (more than any district's voters)


@dataclass(frozen=True, slots=True)
class Verified:
    petition: str
    qualified: bool
    decided_by: str
    required: int
    raw: int
    valid: int
    words: str
    zone: str | None
    recall_event: str | None


@dataclass(frozen=True, slots=True)
class PetitionStatus:
    """Counts only (the public page's): no person, no signature's content."""

    code: str
    kind: str
    scope: str
    preset: str
    opens: dt.date
    closes: dt.date
    rule: str
    threshold: dict[str, Any]
    registered: int | None  # the scope's registered voters at the share's date (None: a count threshold)
    required: int
    paper: int
    online: int
    withdrawn: int
    verified: Verified | None

    @property
    def raw(self) -> int:
        return self.paper + self.online


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=dt.UTC)


def _registered(ctx: Context, petition: Petition, scope: Scope) -> int | None:
    """The scope's voters on the register's lists at the end of the threshold's day, counted as
    services.register's lists count them (active, of age that day: ``born_by``); counts only, which any
    page may show (spec/register.md §8), so the read is not logged as a member's read of persons."""
    if not isinstance(petition.threshold, ShareThreshold):
        return None
    day = petition.threshold.as_of
    with ctx.store.transaction() as tx:
        counts = RegisterTx(tx).counts(_end_of(day), born_by(day, petition.min_age))
    return sum(counts.get(p, 0) for p in scope.precincts)


def _scope(ctx: Context, code: str) -> tuple[Petition, Scope]:
    with ctx.store.transaction() as tx:
        row = load_petition(tx, code)
        return petition_of(row), resolve_scope(tx, row.scope)


def _verdicts(m: Matching | None) -> list[dict[str, Any]] | None:
    if m is None:
        return None
    return [
        {"signature": x.signature, "status": x.status.value, "reason": x.reason, "person": x.person,
         "counted": x.counted}
        for x in m.matches
    ]  # fmt: skip


def _figures(v: Verification) -> dict[str, Any]:
    def counts(m: Matching | None) -> dict[str, int] | None:
        return None if m is None else {k.value: n for k, n in m.counts.items() if n}

    return {
        "words": v.outcome.words,
        "zone": None if v.zone is None else v.zone.value,
        "estimate": plain(v.estimate),
        "sequential": plain(v.sequential),
        "sample": None if v.sample is None else [x.signature for x in v.sample.matches],
        "sample_counts": counts(v.sample),
        "full_counts": counts(v.full),
    }


def verify(ctx: Context, code: str, seed: str | None = None, *, factor: Factor = LOCAL_CLI) -> Verified:
    """Run the petition's verification and keep it (rule, seed, sample, figures, outcome, every verdict).

    The register is read as recorded by the end of the closing day; the reading is a member's read of
    personal data, logged in the audit log (how many persons, never who). ``factor`` attests the step (a
    member's one-time code from the commission's page, checked in the writing transaction; the command line's
    shell access). A qualified recall then gets its vote (create_recall_vote)."""
    petition, scope = _scope(ctx, code)
    registered = _registered(ctx, petition, scope)
    parsed = None if seed is None else Seed(seed)
    now = ctx.clock()
    with ctx.store.transaction(write=True) as tx:
        row = load_petition(tx, code)
        pt = PetitionTx(tx)
        pt.lock(row.id)
        attested = verify_factor(tx, ctx, factor, ctx.actor, now, required=True)
        signatures: list[Signature] = []
        for s in pt.signatures(row.id):
            if len(signatures) >= MAX_SIGNATURES:
                raise PetitionError(f"more than {MAX_SIGNATURES} signatures", code=PetitionsCode.PETITION_BAD_SIGNATURE)
            signatures.append(signature_of(s))
        withdrawals = [Withdrawal(SignatureId(s), on) for s, on in pt.withdrawals(row.id)]
        register = InMemoryRegister(registrants(pt.register_versions(min(now, _end_of(petition.closes)))))
        result = verify_petition(
            petition, signatures, withdrawals, register, match_key, scope.precincts, registered or 0, parsed
        )
        recall = None
        if result.outcome.qualified and petition.kind.value == "recall":
            days = preset_version(row).recall_vote_days or 60
            recall = recall_vote(petition, result, now.date(), days).event_code
        o = result.outcome
        values = {
            "rule": petition.rule.kind, "seed": seed, "decided_by": o.decided_by, "qualified": o.qualified,
            "required": o.required, "raw": o.raw, "valid": o.valid, "figures": _figures(result),
            "verdicts": {"sample": _verdicts(result.sample), "full": _verdicts(result.full)},
            "recall_event": recall, "at": now, "actor": ctx.actor,
        }  # fmt: skip
        pt.insert_verification(row.id, values)
        details = {"petition": code, "register_persons": len(register), "signatures": len(signatures),
                   "qualified": o.qualified, "decided_by": o.decided_by, **attested}  # fmt: skip
        tx.audit(None, ctx.actor, "petition.verify", "ok", details, now)
    if recall is not None:
        with ctx.store.transaction() as tx:
            called = tx.find_event(recall) is not None  # a verification run again: the vote is already called
        if not called:
            create_recall_vote(ctx, code)
    zone = None if result.zone is None else result.zone.value
    return Verified(code, o.qualified, o.decided_by, o.required, o.raw, o.valid, o.words, zone, recall)


def create_recall_vote(ctx: Context, code: str) -> str:
    """The recall vote of a petition whose last verification qualified it: an event under ``kz-recall`` on
    the day the verification fixed (its decision day + the preset's ``recall_vote.after_days``), whose
    territory is the district's subtree (with its chain of parents up to the country) copied from the event
    whose territory holds the district (spec/petitions.md §10). An event already there is refused."""
    with ctx.store.transaction() as tx:
        row = load_petition(tx, code)
        runs = PetitionTx(tx).verifications(row.id)
        last = runs[-1] if runs else None
        if last is None or last.recall_event is None:
            raise PetitionError(
                f"petition {code} has no verification that qualified a recall",
                code=PetitionsCode.PETITION_NOT_QUALIFIED,
            )
        petition = petition_of(row)
        scope = resolve_scope(tx, row.scope)
        if scope.event is None:
            raise PetitionError(
                f"district {row.scope!r} is in no event's territory: the recall vote has no territory to copy",
                code=PetitionsCode.PETITION_NOT_QUALIFIED,
            )
        source = tx.find_event(scope.event)
        assert source is not None
        territory = tx.territory(source.id)
        assert territory is not None
    days = preset_version(row).recall_vote_days or 60
    vote_on = last.at.date() + dt.timedelta(days=days)
    units = [*reversed(territory.ancestors(petition.scope)), *territory.walk(petition.scope)]  # type: ignore[arg-type]
    rows = []
    for u in (territory[c] for c in units):
        rows.append(
            {"code": u.code, "kind": u.kind.value, "parent": u.parent, "registered": u.registered,
             **{f"name_{lang}": name for lang, name in u.names.items() if lang in ("kk", "ru", "en")}}
        )  # fmt: skip
    definition = {
        "code": last.recall_event,
        "title": f"Recall of the deputy of district {petition.scope}",
        "date": vote_on.isoformat(),
        "preset": "kz-recall",
        "settings": {"body": "maslikhat"},
        "questions": [
            {
                "code": "recall",
                "texts": [
                    {"lang": "en", "text": f"Do you support the recall of the deputy of district {petition.scope}?",
                     "official": True},
                ],
            }
        ],
    }  # fmt: skip
    create_event(ctx, json.dumps(definition).encode(), f"petition {code}")
    import_territory(ctx, last.recall_event, json.dumps(rows).encode(), f"{scope.event} ({petition.scope})", "json")
    return last.recall_event


def _verified(code: str, v: VerificationRow) -> Verified:
    return Verified(
        code, v.qualified, v.decided_by, v.required, v.raw, v.valid, v.figures["words"], v.figures["zone"],
        v.recall_event,
    )  # fmt: skip


def petition_status(ctx: Context, code: str) -> PetitionStatus:
    """Counts only: the public page's figures."""
    petition, scope = _scope(ctx, code)
    registered = _registered(ctx, petition, scope)
    with ctx.store.transaction() as tx:
        row = load_petition(tx, code)
        pt = PetitionTx(tx)
        counts = pt.counts(row.id)
        runs = pt.verifications(row.id)
    return PetitionStatus(
        code, row.kind, row.scope, row.preset, petition.opens, petition.closes, petition.rule.kind,
        plain(petition.threshold), registered, required_signatures(petition.threshold, registered or 0),
        counts["paper"], counts["online"], counts["withdrawn"], _verified(code, runs[-1]) if runs else None,
    )  # fmt: skip


def petition_report(ctx: Context, code: str, *, verdicts: bool = False) -> dict[str, Any]:
    """The status, every verification's figures and the count per verdict; with ``verdicts`` each
    signature's verdict and the person it matched (a member's read of personal data: logged)."""
    status = petition_status(ctx, code)
    now = ctx.clock()
    with ctx.store.transaction(write=True) as tx:
        row = load_petition(tx, code)
        pt = PetitionTx(tx)
        runs = pt.verifications(row.id)
        sheets = pt.sheets(row.id)
        if verdicts:
            tx.audit(None, ctx.actor, "petition.report", "ok", {"petition": code, "verdicts": True}, now)
    out: dict[str, Any] = {"status": plain(status), "sheets": sheets, "verifications": []}
    for v in runs:
        kept: dict[str, Any] = v.verdicts if isinstance(v.verdicts, dict) else {}
        item: dict[str, Any] = {
            "at": v.at.isoformat(), "actor": v.actor, "rule": v.rule, "seed": v.seed, "figures": v.figures,
            "outcome": plain(_verified(code, v)),
            "verdict_counts": {k: dict(Counter(x["status"] for x in (kept.get(k) or []))) for k in ("sample", "full")},
        }  # fmt: skip
        if verdicts:
            item["verdicts"] = kept
        out["verifications"].append(item)
    return out
