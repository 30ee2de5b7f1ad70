"""An audit's status (spec/audit.md §11 step 6): the risk per assertion after the last round, what the audit
waits for in words, the targeted batches and the assertions they overturn, the finish and the full hand
count's result; ``saylau audit status`` and the pages read it (``reading`` re-exports it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from saylau.services.audit.measure import to_count
from saylau.services.audit.record import AuditEvent, chain_problems
from saylau.services.audit.state import Loaded, load
from saylau.services.context import Context
from saylau.store.audit_repo import AuditTx

__all__ = ["AuditStatus", "status", "status_json"]


@dataclass(frozen=True, slots=True)
class AuditStatus:
    event: str
    question: str
    method: str
    risk_limit: str
    step: str  # the record's head event type
    round: int  # rounds drawn
    draws: int  # draws so far
    risks: tuple[dict[str, Any], ...]  # the last measured round's risk per assertion
    waiting: tuple[str, ...]  # batches of the open round without an accepted hand count
    mismatches: tuple[str, ...]  # of those, the ones whose entries disagree (a further entry is needed)
    missing: str  # what the audit waits for, in words
    finish: dict[str, Any] | None
    chain_ok: bool
    targeted: tuple[dict[str, Any], ...] = ()  # MACRO: {batch, counted, differs} per targeted batch (§13a)
    overturning: tuple[str, ...] = ()  # assertions the targeted batches' hand counts contradict
    hand_count: dict[str, Any] | None = None  # the full hand count's result, once entered whole (§13b)


def status(ctx: Context, code: str) -> AuditStatus:
    with ctx.store.transaction() as tx:
        loaded = load(tx, code)
        entries = AuditTx(tx).count_entries(loaded.audit.id)
        seeds = len(AuditTx(tx).seed_entries(loaded.audit.id))
    s = loaded.state
    current = s.full_count or s.open_round
    waiting = tuple(to_count(loaded, current)) if current is not None else ()
    mismatched = {
        e.batch for e in entries if current is not None and e.round == current.round and e.decision == "mismatch"
    }
    risks = tuple(s.measured[-1]["risks"]) if s.measured else ()
    return AuditStatus(
        event=code,
        question=loaded.audit.question,
        method=loaded.audit.method,
        risk_limit=loaded.audit.risk_limit,
        step=s.head or "",
        round=len(s.rounds),
        draws=s.draws_so_far(),
        risks=risks,
        waiting=waiting,
        mismatches=tuple(sorted(mismatched & set(waiting))),
        missing=_missing(loaded, waiting, seeds),
        finish=s.finish,
        chain_ok=not chain_problems(s.record),
        targeted=_targeted(loaded),
        overturning=tuple(s.measured[-1].get("overturning", ())) if s.measured else (),
        hand_count=s.hand_count,
    )


def _targeted(loaded: Loaded) -> tuple[dict[str, Any], ...]:
    s = loaded.state
    measured = {t["batch"]: t["differs"] for t in s.measured[0].get("targeted", ())} if s.measured else {}
    return tuple(
        {"batch": b, "counted": "yes" if b in measured else "no", "differs": measured.get(b, "")} for b in s.targeted
    )


def _missing(loaded: Loaded, waiting: tuple[str, ...], seeds: int) -> str:
    s = loaded.state
    code = loaded.row.referendum.code
    if s.hand_count is not None:
        if s.hand_count["outcome"] == "stands":
            return "nothing: the full hand count confirms the reported outcome"
        return (
            "nothing more to count: the full hand count overturns the reported outcome (a finding for the commission)"
        )
    if s.finish is not None:
        if s.finish["outcome"] == "confirmed":
            return "nothing: the audit confirmed the reported outcome"
        scope = f"a full hand count of {', '.join(s.finish['scopes'])} ({len(s.finish['batches'])} batches)"
        return f"{scope}: {len(waiting)} batch(es) still to be accepted (saylau audit enter {code})"
    if s.head == AuditEvent.PLAN:
        return f"the manifest (saylau audit manifest {code})"
    if s.head == AuditEvent.MANIFEST:
        if seeds:
            return "the second entry of the seed, by another member (saylau audit seed)"
        return "the seed, rolled with dice and entered by two members (saylau audit seed)"
    if waiting:
        return f"hand counts of {len(waiting)} batch(es) of round {len(s.rounds)}: {', '.join(waiting[:10])}"
    return f"the next round's draw (saylau audit draw {code})"


def status_json(st: AuditStatus) -> dict[str, object]:
    return {
        "event": st.event,
        "question": st.question,
        "method": st.method,
        "risk_limit": st.risk_limit,
        "step": st.step,
        "round": st.round,
        "draws": st.draws,
        "risks": list(st.risks),
        "waiting": list(st.waiting),
        "mismatches": list(st.mismatches),
        "missing": st.missing,
        "finish": st.finish,
        "chain_ok": st.chain_ok,
        "targeted": list(st.targeted),
        "overturning": list(st.overturning),
        "hand_count": st.hand_count,
    }
