"""Cast-vote records of precincts for a ballot-level comparison audit (spec/audit.md §18; the file:
spec/formats.md "Cast-vote records").

``saylau audit cvr EVENT --unit U FILE``, after the plan of a ``comparison`` audit and before the manifest:
one precinct's records, checked against its accepted protocol (the figures the manifest will list), kept
as their canonical text with its SHA-256 (the manifest lists it as the batch's ``cvr``). Append-only: a
precinct's records are entered once.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from saylau.audit import CATEGORIES
from saylau.io.cvr import parse_cvr
from saylau.model import Conflict, InputError, LifecycleError, Problem
from saylau.services.access.factor import Factor
from saylau.services.audit.codes import AuditFlowCode
from saylau.services.audit.compare import comparison_size, estimators
from saylau.services.audit.record import AuditEvent
from saylau.services.audit.reported import Published, figures_of, manifest_of, plan_of, sha256
from saylau.services.audit.state import load
from saylau.services.audit.workflow import written
from saylau.services.context import Context
from saylau.store import Tx
from saylau.store.audit_repo import AuditTx, CvrRow

__all__ = ["CvrOutcome", "enter_cvr", "expected_round"]


@dataclass(frozen=True, slots=True)
class CvrOutcome:
    event: str
    batch: str
    sha256: str
    ballots: int
    precincts: int  # precincts with cast-vote records so far
    expected: int = 0  # the planner's round 1 (§18) with the records entered so far, no discrepancies: shown only


def enter_cvr(ctx: Context, code: str, unit: str, data: bytes, source: str, *, factor: Factor) -> CvrOutcome:
    """Check and keep one precinct's cast-vote records (all or nothing)."""
    now = ctx.clock()

    def step(tx: Tx) -> CvrOutcome:
        loaded = load(tx, code, lock=True)
        if loaded.audit.method != "comparison":
            raise LifecycleError(
                f"the audit of {code} is by {loaded.audit.method}: cast-vote records are for a comparison audit "
                f"(saylau audit plan {code} --method comparison)",
                code=AuditFlowCode.AUDIT_STEP,
            )
        if loaded.state.head != AuditEvent.PLAN:
            raise LifecycleError(
                f"the manifest of {code} is published: cast-vote records are entered before it",
                code=AuditFlowCode.AUDIT_STEP,
            )
        if unit not in set(loaded.territory.precincts()):
            raise InputError([Problem(rule="not_a_precinct", message=f"{unit!r} is not a precinct of {code}",
                                      file=source, field="unit")])  # fmt: skip
        figures = {f.batch: f for f in figures_of(tx, loaded.row, loaded.territory, loaded.audit.question)}
        repo = AuditTx(tx)
        if unit in repo.cvr_hashes(loaded.audit.id):
            raise Conflict(f"{unit} already has its cast-vote records", code=AuditFlowCode.CVR_EXISTS,
                           details={"batch": unit})  # fmt: skip
        counts = figures[unit].counts
        parsed = parse_cvr(data, source, CATEGORIES, {c: counts.get(c) for c in CATEGORIES})
        digest = sha256(parsed.text)
        repo.add_cvr(loaded.audit.id, CvrRow(unit, parsed.text, digest, len(parsed.readings), ctx.actor), now)
        return CvrOutcome(code, unit, digest, len(parsed.readings), len(repo.cvr_hashes(loaded.audit.id)))

    outcome = written(ctx, code, "audit.cvr", {"unit": unit, "source": source}, step, factor)
    return dataclasses.replace(outcome, expected=expected_round(ctx, code))


def expected_round(ctx: Context, code: str) -> int:
    """The draws round 1 would have (§18) if the manifest were published now with the CVRs kept so far:
    shown after the write's transaction (a search over the precincts, no lock held), never recorded."""
    with ctx.store.transaction() as tx:
        loaded = load(tx, code)
        hashes = AuditTx(tx).cvr_hashes(loaded.audit.id)
        figures = figures_of(tx, loaded.row, loaded.territory, loaded.audit.question)
    listed = tuple(dataclasses.replace(f, cvr=hashes.get(f.batch)) for f in figures)
    plan = plan_of(loaded.row, loaded.territory, loaded.audit.question, listed, loaded.risk_limit)
    published = Published(listed, manifest_of(listed))
    return comparison_size(published, plan, dict(estimators(published, plan)))
