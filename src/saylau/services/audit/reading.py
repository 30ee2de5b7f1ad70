"""Use cases that read an audit: its status (risk per assertion, what is missing) and the report, the
audit record exported as files a verifier reads (spec/audit.md §14)."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, assert_never

from saylau.audit import AuditPlan, BallotCounts, ContestBatch
from saylau.io.cvr import cvr_file_name
from saylau.model import Conflict, LifecycleError, Territory
from saylau.services.audit.codes import AuditFlowCode
from saylau.services.audit.contest_facts import contest_counts_json, contest_plan_facts
from saylau.services.audit.contest_reported import ContestAudit, contest_plan_text
from saylau.services.audit.copies import copies_text
from saylau.services.audit.plan_facts import plan_facts
from saylau.services.audit.record import AuditEvent, chain_problems, payload_of, record_line
from saylau.services.audit.reported import figures_of, plan_of, plan_text, recorded_plan_text
from saylau.services.audit.state import Loaded, load
from saylau.services.audit.status import AuditStatus, status, status_json
from saylau.services.context import Context
from saylau.store import Tx
from saylau.store.audit_repo import AuditTx, CountEntryRow

__all__ = [
    "REPORT_FILES",
    "AuditStatus",
    "AuditView",
    "BatchView",
    "ContestSubject",
    "Counts",
    "QuestionSubject",
    "RoundView",
    "Subject",
    "audit_view",
    "batch_json",
    "entry_figures",
    "manifest_file",
    "public_json",
    "published_cvrs",
    "report",
    "status",
    "status_json",
]

REPORT_FILES = ("record.jsonl", "manifest.json", "plan.json")


def _listed_cvrs(tx: Tx, loaded: Loaded) -> dict[str, str]:
    """batch -> the canonical text of its cast-vote records, for the batches the manifest lists with a
    ``cvr`` (§18): none before the manifest, none for another method."""
    listed = {f.batch for f in loaded.published.figures if f.cvr is not None} if loaded.published else set()
    return {c.batch: c.text for c in AuditTx(tx).cvrs(loaded.audit.id) if c.batch in listed}


def published_cvrs(ctx: Context, code: str) -> dict[str, str]:
    """The cast-vote records the published manifest lists (batch -> canonical text; §18), for a release."""
    with ctx.store.transaction() as tx:
        return _listed_cvrs(tx, load(tx, code))


def report(ctx: Context, code: str, out: Path) -> dict[str, Path]:
    """Write record.jsonl, manifest.json and plan.json into ``out`` (created; must hold none of them), and
    copies.json once round 1 of a MACRO audit is drawn (the observers' copies of §13a)."""
    with ctx.store.transaction() as tx:
        loaded = load(tx, code)
        manifest = AuditTx(tx).manifest(loaded.audit.id)
        first = next((payload_of(r) for r in loaded.state.record if r.type == AuditEvent.DRAW), {})
        copies = copies_text(tx, loaded.row, first["copies"])[0] if "copies_sha256" in first else None
        cvrs = _listed_cvrs(tx, loaded)
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
        files[f"cvr/{cvr_file_name(batch)}"] = text
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
Counts = BallotCounts | ContestBatch  # a question's figures, or an election contest's (options' votes, invalid)


def counts_json(c: Counts, options: tuple[str, ...] = ()) -> dict[str, int]:
    """A batch's figures as the pages show them: a question's four fields, or a contest's options (ballot
    order) and ``invalid``."""
    if isinstance(c, ContestBatch):
        return contest_counts_json(c, options)
    return {f: int(getattr(c, f)) for f in FIELDS}


def entry_figures(e: CountEntryRow, options: tuple[str, ...] = ()) -> dict[str, int]:
    """One operator's entry's figures (a contest's entry keeps its options' votes as JSON)."""
    if e.votes is None:
        return {f: int(getattr(e, f)) for f in FIELDS}
    votes = json.loads(e.votes)
    return {**{o: int(votes.get(o, 0)) for o in options}, "invalid": int(e.invalid)}


@dataclass(frozen=True, slots=True)
class BatchView:
    """A batch drawn (or targeted, §13a) in a round, as the audit pages show it."""

    batch: str
    unit: str  # the precinct's top-level unit (the manifest's)
    drawn: int  # MACRO: times drawn in this round (0: targeted only); BRAVO: ballots drawn from it
    positions: tuple[int, ...]  # BRAVO: the drawn ballots' positions; MACRO: empty
    reported: Counts
    state: str  # to_count | awaiting_second | mismatch | accepted | counted_before
    accepted: Counts | None  # the accepted hand count (this round or, MACRO, an earlier one)
    operators: tuple[str, ...]  # who keyed this round's entries, in order (accepted: the two agreeing)
    entries: tuple[CountEntryRow, ...]  # this round's entries with their figures (the pages decide who sees them)
    options: tuple[str, ...] = ()  # an election contest's options (ballot order); () for a question

    def differences(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """The fields in which this round's entries differ, with each entry's value (as the protocols')."""
        figures = [entry_figures(e, self.options) for e in self.entries]
        out = []
        for f in figures[0] if figures else ():
            values = tuple(x[f] for x in figures)
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
    targeted: tuple[BatchView, ...] = ()  # round 1 of a MACRO audit: its targeted batches not drawn (§13a)


@dataclass(frozen=True, slots=True)
class QuestionSubject:
    """A referendum question's audit: its plan (from the manifest once published, else the current results)."""

    plan: AuditPlan
    tag: Literal["question"] = "question"


@dataclass(frozen=True, slots=True)
class ContestSubject:
    """An election contest's audit (spec/audit.md §10a): the contest, its batches and plan (as ``plan``)."""

    audited: ContestAudit
    tag: Literal["contest"] = "contest"


Subject = QuestionSubject | ContestSubject


@dataclass(frozen=True, slots=True)
class AuditView:
    """Everything the audit pages show, read in one transaction (the status beside it)."""

    status: AuditStatus
    title: str
    territory: Territory
    subject: Subject  # what is audited, with its plan
    plan_sha256: str
    manifest_sha256: str | None
    manifest_batches: int
    manifest_ballots: int
    seed: str | None
    seed_entries: int  # 0, 1 (awaiting the second member) or 2
    seed_first: str | None  # who made the first entry of the seed (shown so that another member enters it)
    rounds: tuple[RoundView, ...]
    finish: dict[str, Any] | None


def audit_view(ctx: Context, code: str) -> AuditView:
    """The audit of ``code`` for its pages, a question's or an election contest's (NotFound ``no_audit``
    when none is planned)."""
    st = status(ctx, code)
    with ctx.store.transaction() as tx:
        loaded = load(tx, code)
        repo = AuditTx(tx)
        entries = repo.count_entries(loaded.audit.id)
        seeds = repo.seed_entries(loaded.audit.id)
        subject: Subject
        if loaded.contest is not None:  # from the manifest once published, else the current results
            subject = ContestSubject(loaded.contest)
        else:
            plan = loaded.plan
            if plan is None:
                figures = figures_of(tx, loaded.row, loaded.territory, loaded.audit.question)
                plan = plan_of(loaded.row, loaded.territory, loaded.audit.question, figures, loaded.risk_limit)
            subject = QuestionSubject(plan)
    s = loaded.state
    manifest = next((payload_of(r) for r in s.record if r.type == AuditEvent.MANIFEST), None)
    known = _known(loaded)
    rounds = []
    for i, r in enumerate(s.rounds):
        times = Counter(r.batches)
        positions: dict[str, list[int]] = {}
        for b, p in zip(r.batches, r.positions, strict=False):
            positions.setdefault(b, []).append(p)
        mine: dict[str, list[CountEntryRow]] = {}
        for e in entries:
            if e.round == r.round:
                mine.setdefault(e.batch, []).append(e)
        batches = tuple(
            _batch_view(loaded, known, r.round, b, times[b], tuple(positions.get(b, ())), tuple(mine.get(b, ())))
            for b in dict.fromkeys(r.batches)
        )
        targeted = tuple(
            _batch_view(loaded, known, r.round, b, 0, (), tuple(mine.get(b, ())))
            for b in (s.targeted if r.round == 1 else ())
            if b not in times
        )
        m = s.measured[i] if i < len(s.measured) else None
        rounds.append(
            RoundView(
                r.round,
                r.first,
                len(r.batches),
                batches,
                tuple(m["risks"]) if m else (),
                m["decision"] if m else None,
                int(m["next_size"]) if m else 0,
                targeted,
            )
        )
    return AuditView(
        status=st,
        title=loaded.row.referendum.title,
        territory=loaded.territory,
        subject=subject,
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


@dataclass(frozen=True, slots=True)
class _Known:
    """What the batches' views are made of, read once: each batch's (unit, reported figures), a contest's
    options (ballot order; () for a question) and every accepted hand count (a contest's in ballot order)."""

    reported: dict[str, tuple[str, Counts]]
    options: tuple[str, ...]
    accepted: dict[tuple[int, str], tuple[Counts, tuple[str, ...]]]


def _known(loaded: Loaded) -> _Known:
    accepted: dict[tuple[int, str], tuple[Counts, tuple[str, ...]]] = dict(loaded.state.accepted)
    if loaded.contest is not None:
        audited, options = loaded.contest, loaded.contest.options
        for key, (c, ops) in loaded.state.accepted_votes.items():
            votes = c.as_dict()
            accepted[key] = (ContestBatch(c.id, c.unit, tuple((o, votes.get(o, 0)) for o in options), c.invalid), ops)
        return _Known({f.batch: (f.unit, f.counts) for f in audited.figures}, options, accepted)
    figures = loaded.published.figures if loaded.published is not None else ()
    return _Known({f.batch: (f.unit, f.counts) for f in figures}, (), accepted)


def _batch_view(
    loaded: Loaded,
    known: _Known,
    number: int,
    batch: str,
    drawn: int,
    positions: tuple[int, ...],
    mine: tuple[CountEntryRow, ...],
) -> BatchView:
    unit, figures = known.reported[batch]
    options, accepted = known.options, known.accepted
    here = accepted.get((number, batch))
    before = None
    if loaded.audit.method == "macro":
        before = next((c for (r, b), c in accepted.items() if b == batch and r < number), None)
    if here is not None:
        state, hand, operators = "accepted", here[0], here[1]
    elif before is not None:
        state, hand, operators = "counted_before", before[0], before[1]
    else:
        hand, operators = None, tuple(e.operator for e in mine)
        state = (
            "to_count" if not mine else "mismatch" if any(e.decision == "mismatch" for e in mine) else "awaiting_second"
        )
    return BatchView(batch, unit, drawn, positions, figures, state, hand, operators, mine, options)


def manifest_file(ctx: Context, code: str) -> tuple[str, str]:
    """The published manifest's exact text and SHA-256 (NotFound while it is not published)."""
    with ctx.store.transaction() as tx:
        loaded = load(tx, code)
        manifest = AuditTx(tx).manifest(loaded.audit.id)
    if manifest is None:
        raise LifecycleError(f"the manifest of {code} is not published yet", code=AuditFlowCode.AUDIT_STEP)
    return manifest[0], manifest[1]


def batch_json(b: BatchView) -> dict[str, Any]:
    """A drawn batch's public facts: never an entry's figures, only the accepted hand count and its
    differences from the reported figures (hand count − reported)."""
    reported = counts_json(b.reported, b.options)
    hand = counts_json(b.accepted, b.options) if b.accepted is not None else None
    discrepancy = {f: hand[f] - v for f, v in reported.items() if hand[f] != v} if hand is not None else {}
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


def _round_json(r: RoundView) -> dict[str, Any]:
    out: dict[str, Any] = {
        "round": r.round,
        "first": r.first,
        "draws": r.draws,
        "batches": [batch_json(b) for b in r.batches],
        "risks": list(r.risks),
        "decision": r.decision,
        "next_size": r.next_size,
    }
    if r.targeted:  # §13a: the targeted batches not drawn (a round without any has no such key)
        out["targeted"] = [batch_json(b) for b in r.targeted]
    return out


def _subject_json(view: AuditView) -> tuple[dict[str, Any], dict[str, Any]]:
    """What differs between a question's audit and a contest's: the key naming it, and the plan's facts."""
    subject = view.subject
    match subject:
        case QuestionSubject():
            return {"question": view.status.question}, plan_facts(subject.plan, view.territory)
        case ContestSubject():
            named = {"contest": view.status.question, "kind": subject.audited.plan.kind}
            return named, contest_plan_facts(subject.audited, view.territory)
        case _:
            assert_never(subject)


def public_json(view: AuditView) -> dict[str, Any]:
    """The audit's public facts (the page /events/{code}/audit and its JSON; spec/audit.md §15): a
    question's audit names its ``question``, an election contest's its ``contest`` and ``kind``."""
    st = view.status
    named, plan = _subject_json(view)
    manifest = None
    if view.manifest_sha256 is not None:
        manifest = {"sha256": view.manifest_sha256, "batches": view.manifest_batches, "ballots": view.manifest_ballots}
    return {
        "event": st.event,
        "title": view.title,
        **named,
        "method": st.method,
        "risk_limit": st.risk_limit,
        "risk_limit_percent": round(float(Fraction(st.risk_limit)) * 100, 4),
        "step": st.step,
        "plan": {
            "sha256": view.plan_sha256,
            **plan,
        },
        "manifest": manifest,
        "seed": view.seed,
        "seed_entries": view.seed_entries,
        "rounds": [_round_json(r) for r in view.rounds],
        "finish": view.finish,
        "missing": st.missing,
        "chain_ok": st.chain_ok,
    }
