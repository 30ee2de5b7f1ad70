"""Use cases that read an audit: its status (risk per assertion, what is missing) and the report, the
audit record exported as files a verifier reads (spec/audit.md §14)."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from saylau.audit import AuditPlan, BallotCounts
from saylau.model import Conflict, LifecycleError, Territory
from saylau.services.audit.codes import AuditFlowCode
from saylau.services.audit.contest_reported import contest_plan_text, election_contest
from saylau.services.audit.copies import copies_text
from saylau.services.audit.measure import to_count
from saylau.services.audit.plan_facts import plan_facts
from saylau.services.audit.record import AuditEvent, chain_problems, payload_of, record_line
from saylau.services.audit.reported import figures_of, plan_of, plan_text, recorded_plan_text
from saylau.services.audit.state import Loaded, load
from saylau.services.context import Context
from saylau.services.lookup import load_event
from saylau.store.audit_repo import AuditTx, CountEntryRow

__all__ = [
    "REPORT_FILES",
    "AuditStatus",
    "AuditView",
    "BatchView",
    "RoundView",
    "audit_view",
    "batch_json",
    "is_contest_audit",
    "manifest_file",
    "public_json",
    "report",
    "status",
    "status_json",
]

REPORT_FILES = ("record.jsonl", "manifest.json", "plan.json")


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


def report(ctx: Context, code: str, out: Path) -> dict[str, Path]:
    """Write record.jsonl, manifest.json and plan.json into ``out`` (created; must hold none of them), and
    copies.json once round 1 of a MACRO audit is drawn (the observers' copies of §13a)."""
    with ctx.store.transaction() as tx:
        loaded = load(tx, code)
        manifest = AuditTx(tx).manifest(loaded.audit.id)
        first = next((payload_of(r) for r in loaded.state.record if r.type == AuditEvent.DRAW), {})
        copies = copies_text(tx, loaded.row, first["copies"])[0] if "copies_sha256" in first else None
        listed = {f.batch for f in loaded.published.figures if f.cvr is not None} if loaded.published else set()
        cvrs = {c.batch: c.text for c in AuditTx(tx).cvrs(loaded.audit.id) if c.batch in listed}
    problems = chain_problems(loaded.state.record)
    if problems:
        raise Conflict(f"the audit record of {code} does not check: {problems[0]}", code=AuditFlowCode.AUDIT_STEP)
    out.mkdir(parents=True, exist_ok=True)
    taken = [name for name in (*REPORT_FILES, "copies.json", "cvr") if (out / name).exists()]
    if taken:
        raise Conflict(f"{out} already holds {', '.join(taken)}", code=AuditFlowCode.AUDIT_STEP)
    lines = "".join(record_line(r) + "\n" for r in loaded.state.record)
    files = {"record.jsonl": lines}
    if manifest is not None and loaded.plan is not None:
        files["manifest.json"] = manifest[0]
        files["plan.json"] = _plan_as_recorded(loaded)
    elif manifest is not None and loaded.contest is not None:  # an election contest (spec/audit.md §10a, §11)
        files["manifest.json"] = manifest[0]
        files["plan.json"] = contest_plan_text(loaded.contest.plan)
    if copies is not None:  # round 1's draw holds its SHA-256 (§13a, §14)
        files["copies.json"] = copies
    for batch, text in cvrs.items():  # a comparison audit's cast-vote records, whose SHA-256 the manifest lists (§18)
        files[f"cvr/{batch}.csv"] = text
    written = {}
    for name, text in files.items():
        path = out / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        written[name] = path
    return written


def _plan_as_recorded(loaded: Loaded) -> str:
    """plan.json (§10): the text the record's plan_sha256 was taken of (``recorded_plan_text``)."""
    assert loaded.plan is not None
    return recorded_plan_text(loaded.plan, loaded.state.plan_sha256) or plan_text(loaded.plan)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


FIELDS = ("yes", "no", "invalid", "not_counted")


@dataclass(frozen=True, slots=True)
class BatchView:
    """A batch drawn in a round, as the audit pages show it."""

    batch: str
    unit: str  # the precinct's top-level unit (the manifest's)
    drawn: int  # MACRO: times drawn in this round; BRAVO: ballots drawn from it
    positions: tuple[int, ...]  # BRAVO: the drawn ballots' positions; MACRO: empty
    reported: BallotCounts
    state: str  # to_count | awaiting_second | mismatch | accepted | counted_before
    accepted: BallotCounts | None  # the accepted hand count (this round or, MACRO, an earlier one)
    operators: tuple[str, ...]  # who keyed this round's entries, in order (accepted: the two agreeing)
    entries: tuple[CountEntryRow, ...]  # this round's entries with their figures (the pages decide who sees them)

    def differences(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """The fields in which this round's entries differ, with each entry's value (as the protocols')."""
        out = []
        for f in FIELDS:
            values = tuple(int(getattr(e, f)) for e in self.entries)
            if len(set(values)) > 1:
                out.append((f, values))
        return tuple(out)


@dataclass(frozen=True, slots=True)
class RoundView:
    round: int
    first: int  # the index of its first draw
    draws: int  # its number of draws
    batches: tuple[BatchView, ...]  # in the order first drawn
    risks: tuple[dict[str, Any], ...]  # once measured: {assertion, risk, confirmed}
    decision: str | None  # once measured
    next_size: int


@dataclass(frozen=True, slots=True)
class AuditView:
    """Everything the audit pages show, read in one transaction (the status beside it)."""

    status: AuditStatus
    title: str
    territory: Territory
    plan: AuditPlan  # from the manifest once published, else from the current results
    plan_sha256: str
    manifest_sha256: str | None
    manifest_batches: int
    manifest_ballots: int
    seed: str | None
    seed_entries: int  # 0, 1 (awaiting the second member) or 2
    seed_first: str | None  # who made the first entry of the seed (shown so that another member enters it)
    rounds: tuple[RoundView, ...]
    finish: dict[str, Any] | None


def is_contest_audit(ctx: Context, code: str) -> bool:
    """Is the event's audit (if any) of an election contest (spec/audit.md §10a)? Its pages do not exist yet."""
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        audit = AuditTx(tx).find(row.id)
    return audit is not None and election_contest(row, audit.question) is not None


def audit_view(ctx: Context, code: str) -> AuditView:
    """The audit of ``code`` for its pages (NotFound ``no_audit`` when none is planned)."""
    st = status(ctx, code)
    with ctx.store.transaction() as tx:
        loaded = load(tx, code)
        if loaded.contest is not None:
            raise Conflict(
                f"the audit of {code} is of election contest {loaded.audit.question}: the audit pages show a "
                f"question's audit only so far (saylau audit status {code})",
                code=AuditFlowCode.AUDIT_STEP,
            )
        repo = AuditTx(tx)
        entries = repo.count_entries(loaded.audit.id)
        seeds = repo.seed_entries(loaded.audit.id)
        plan = loaded.plan
        if plan is None:
            figures = figures_of(tx, loaded.row, loaded.territory, loaded.audit.question)
            plan = plan_of(loaded.row, loaded.territory, loaded.audit.question, figures, loaded.risk_limit)
    s = loaded.state
    manifest = next((payload_of(r) for r in s.record if r.type == AuditEvent.MANIFEST), None)
    reported = {f.batch: f for f in loaded.published.figures} if loaded.published is not None else {}
    rounds = []
    for i, r in enumerate(s.rounds):
        times = Counter(r.batches)
        positions: dict[str, list[int]] = {}
        for b, p in zip(r.batches, r.positions, strict=False):
            positions.setdefault(b, []).append(p)
        batches = []
        for b in dict.fromkeys(r.batches):
            mine = tuple(e for e in entries if e.round == r.round and e.batch == b)
            batches.append(_batch_view(loaded, r.round, b, times[b], tuple(positions.get(b, ())), mine, reported))
        m = s.measured[i] if i < len(s.measured) else None
        rounds.append(
            RoundView(
                r.round,
                r.first,
                len(r.batches),
                tuple(batches),
                tuple(m["risks"]) if m else (),
                m["decision"] if m else None,
                int(m["next_size"]) if m else 0,
            )
        )
    return AuditView(
        status=st,
        title=loaded.row.referendum.title,
        territory=loaded.territory,
        plan=plan,
        plan_sha256=s.plan_sha256 or "",
        manifest_sha256=s.manifest_sha256,
        manifest_batches=int(manifest["batches"]) if manifest else 0,
        manifest_ballots=int(manifest["ballots"]) if manifest else 0,
        seed=s.seed.digits if s.seed is not None else None,
        seed_entries=len(seeds),
        seed_first=seeds[0].operator if seeds else None,
        rounds=tuple(rounds),
        finish=s.finish,
    )


def _batch_view(
    loaded: Loaded,
    number: int,
    batch: str,
    drawn: int,
    positions: tuple[int, ...],
    mine: tuple[CountEntryRow, ...],
    reported: dict[str, Any],
) -> BatchView:
    s = loaded.state
    figures = reported[batch]
    here = s.accepted.get((number, batch))
    before = None
    if loaded.audit.method == "macro":
        before = next((c for (r, b), c in s.accepted.items() if b == batch and r < number), None)
    if here is not None:
        state, accepted, operators = "accepted", here[0], here[1]
    elif before is not None:
        state, accepted, operators = "counted_before", before[0], before[1]
    else:
        accepted, operators = None, tuple(e.operator for e in mine)
        state = (
            "to_count" if not mine else "mismatch" if any(e.decision == "mismatch" for e in mine) else "awaiting_second"
        )
    return BatchView(batch, figures.unit, drawn, positions, figures.counts, state, accepted, operators, mine)


def manifest_file(ctx: Context, code: str) -> tuple[str, str]:
    """The published manifest's exact text and SHA-256 (NotFound while it is not published)."""
    with ctx.store.transaction() as tx:
        loaded = load(tx, code)
        manifest = AuditTx(tx).manifest(loaded.audit.id)
    if manifest is None:
        raise LifecycleError(f"the manifest of {code} is not published yet", code=AuditFlowCode.AUDIT_STEP)
    return manifest[0], manifest[1]


def _counts_json(c: BallotCounts | None) -> dict[str, int] | None:
    return None if c is None else {f: int(getattr(c, f)) for f in FIELDS}


def batch_json(b: BatchView) -> dict[str, Any]:
    """A drawn batch's public facts: never an entry's figures, only the accepted hand count and its
    differences from the reported figures (hand count − reported)."""
    reported = _counts_json(b.reported)
    hand = _counts_json(b.accepted)
    assert reported is not None
    discrepancy = {f: hand[f] - reported[f] for f in FIELDS if hand[f] != reported[f]} if hand is not None else {}
    return {
        "batch": b.batch,
        "unit": b.unit,
        "drawn": b.drawn,
        "positions": list(b.positions),
        "state": b.state,
        "reported": reported,
        "hand_count": hand,
        "discrepancy": discrepancy,
        "operators": list(b.operators) if b.accepted is not None else [],
    }


def public_json(view: AuditView) -> dict[str, Any]:
    """The audit's public facts (the page /events/{code}/audit and its JSON; spec/audit.md §15)."""
    st, plan = view.status, view.plan
    rounds = [
        {
            "round": r.round,
            "first": r.first,
            "draws": r.draws,
            "batches": [batch_json(b) for b in r.batches],
            "risks": list(r.risks),
            "decision": r.decision,
            "next_size": r.next_size,
        }
        for r in view.rounds
    ]
    manifest = None
    if view.manifest_sha256 is not None:
        manifest = {"sha256": view.manifest_sha256, "batches": view.manifest_batches, "ballots": view.manifest_ballots}
    return {
        "event": st.event,
        "title": view.title,
        "question": st.question,
        "method": st.method,
        "risk_limit": st.risk_limit,
        "risk_limit_percent": round(float(Fraction(st.risk_limit)) * 100, 4),
        "step": st.step,
        "plan": {
            "sha256": view.plan_sha256,
            **plan_facts(plan, view.territory),
        },
        "manifest": manifest,
        "seed": view.seed,
        "seed_entries": view.seed_entries,
        "rounds": rounds,
        "finish": view.finish,
        "missing": st.missing,
        "chain_ok": st.chain_ok,
    }
