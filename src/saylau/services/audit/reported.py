"""What the audit is of: the accepted protocols as a manifest, and the plan rebuilt from a manifest.

The manifest lists every precinct of the event (a batch) with its top-level unit, its register and its
ballots by category, in the order of the precinct codes' UTF-8 bytes (spec/audit.md §11). The plan is
rebuilt from the manifest alone (national and unit tallies are its sums), so anyone holding the manifest
and the event's preset rebuilds the same plan; the plan's exact JSON (REPORT profile) is hashed into the
record.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import assert_never

from saylau.audit import CATEGORIES, AuditPlan, BallotCounts, Batch, Manifest, plan_json, plan_question
from saylau.count.layout import event_rules
from saylau.model import Conflict, Mode, QuestionCode, QuestionContest, Territory, UnitCode, UnitKind
from saylau.model.canonical import CanonicalProfile, canonical_json
from saylau.model.tally import Tally, UnitRow
from saylau.record.encoding import canon
from saylau.services.audit.codes import AuditFlowCode
from saylau.store import EventRow, Tx

__all__ = [
    "Figures",
    "Published",
    "figures_of",
    "manifest_of",
    "manifest_text",
    "parse_manifest",
    "plan_of",
    "plan_text",
    "question_of",
    "sha256",
    "totals",
]


@dataclass(frozen=True, slots=True)
class Figures:
    """One batch of the manifest: a precinct, its top-level unit, its register and its ballots."""

    batch: str
    unit: str
    registered: int
    counts: BallotCounts
    cvr: str | None = None  # the SHA-256 of its cast-vote records, when it has them (spec/audit.md §18)


@dataclass(frozen=True, slots=True)
class Published:
    figures: tuple[Figures, ...]
    manifest: Manifest


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def question_of(row: EventRow, question: str | None) -> QuestionCode:
    """The question audited: the one named, else the event's first referendum question."""
    codes = [q.code for q in row.referendum.contests if isinstance(q, QuestionContest)]
    if question is None and codes:
        return codes[0]
    if question in codes:
        return QuestionCode(question)
    raise Conflict(
        f"{row.referendum.code} has no referendum question {question!r} (questions: {', '.join(codes) or 'none'}; "
        "an election's party-list or district contest is audited with --contest CODE)",
        code=AuditFlowCode.AUDIT_STEP,
        details={"question": question},
    )


def figures_of(tx: Tx, row: EventRow, territory: Territory, question: str) -> tuple[Figures, ...]:
    """Every precinct's accepted protocol (its latest version), in the manifest's order."""
    latest: dict[UnitCode, dict[str, int]] = {}
    for v in tx.iter_versions(row.id, Mode.LIVE):
        latest[v.precinct] = dict(v.counts[QuestionCode(question)])
    missing = [p for p in territory.precincts() if p not in latest]
    if missing:
        raise Conflict(
            f"{len(missing)} precinct(s) without an accepted protocol, e.g. {missing[:5]}",
            code=AuditFlowCode.RESULTS_INCOMPLETE,
            details={"missing": missing[:100]},
        )
    out = []
    for p in territory.precincts():
        c = latest[p]
        counts = BallotCounts(c["yes"], c["no"], c.get("invalid", 0), c.get("not_counted", 0))
        ancestors = territory.ancestors(p)
        top = ancestors[-2] if len(ancestors) >= 2 else p  # the unit under the country
        out.append(Figures(p, top, c["registered"], counts))
    return tuple(sorted(out, key=lambda f: f.batch))


def manifest_text(event: str, question: str, figures: Sequence[Figures]) -> str:
    """The manifest's canonical JSON (RECORD profile), exactly as hashed and published; a batch with
    cast-vote records also has ``cvr``, their SHA-256 (spec/audit.md §18)."""
    batches: list[dict[str, object]] = [
        {
            "id": f.batch,
            "unit": f.unit,
            "registered": f.registered,
            "yes": f.counts.yes,
            "no": f.counts.no,
            "invalid": f.counts.invalid,
            "not_counted": f.counts.not_counted,
        }
        | ({"cvr": f.cvr} if f.cvr is not None else {})
        for f in figures
    ]
    return canon({"batches": batches, "event": event, "question": question})


def parse_manifest(text: str) -> Published:
    value = json.loads(text)
    figures = tuple(
        Figures(
            b["id"],
            b["unit"],
            b["registered"],
            BallotCounts(b["yes"], b["no"], b["invalid"], b["not_counted"]),
            b.get("cvr"),
        )
        for b in value["batches"]
    )
    return Published(figures, manifest_of(figures))


def manifest_of(figures: Sequence[Figures]) -> Manifest:
    return Manifest.of([Batch(f.batch, f.unit, f.counts) for f in figures])


def totals(figures: Sequence[Figures]) -> BallotCounts:
    """The ballots of ``figures`` by category."""
    return BallotCounts(*(sum(f.counts.get(k) for f in figures) for k in CATEGORIES))


def _tally(figures: Sequence[Figures]) -> Tally:
    y = sum(f.counts.yes for f in figures)
    n = sum(f.counts.no for f in figures)
    inv = sum(f.counts.invalid for f in figures)
    nc = sum(f.counts.not_counted for f in figures)
    return Tally(sum(f.registered for f in figures), y + n + inv + nc, y, n, nc, inv)


def _weight(kind: UnitKind) -> Fraction:
    """As the count weighs a top-level unit: a region 1, abroad 0 (counted nationally, not as a unit)."""
    match kind:
        case UnitKind.REGION:
            return Fraction(1)
        case UnitKind.ABROAD | UnitKind.COUNTRY | UnitKind.DISTRICT | UnitKind.PRECINCT:
            return Fraction(0)
        case _:
            assert_never(kind)


def plan_of(
    row: EventRow, territory: Territory, question: str, figures: Sequence[Figures], risk_limit: Fraction
) -> AuditPlan:
    """The audit plan of ``question`` on the manifest's figures (national and unit tallies are its sums)."""
    rules = event_rules(row.referendum)
    by_unit: dict[str, list[Figures]] = {}
    for f in figures:
        by_unit.setdefault(f.unit, []).append(f)
    units = [UnitRow(u, _tally(by_unit.get(u, [])), _weight(territory[u].kind)) for u in territory.top_units()]
    return plan_question(
        rules.version, row.referendum.settings, QuestionCode(question), _tally(figures), units, risk_limit=risk_limit
    )


def plan_text(plan: AuditPlan) -> str:
    """The plan's exact JSON (spec/audit.md §10; REPORT profile: it has booleans and nulls)."""
    return canonical_json(plan_json(plan), CanonicalProfile.REPORT)


def recorded_plan_text(plan: AuditPlan, recorded_sha256: str | None) -> str | None:
    """The text of ``plan`` whose SHA-256 the record's plan event holds (spec/audit.md §10): today's text, or,
    for an audit planned before plan.json carried ``law``, the same plan's text without it; None when
    neither is (the results changed since the plan)."""
    for text in (plan_text(plan), plan_text(dataclasses.replace(plan, law=None))):
        if sha256(text) == recorded_sha256:
            return text
    return None
