"""The stable error codes of the audit workflow (spec/formats.md §15)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["AuditFlowCode"]


class AuditFlowCode(StrEnum):
    """Codes raised by saylau.services.audit."""

    AUDIT_EXISTS = "audit_exists"  # the event already has an audit
    NO_AUDIT = "no_audit"  # the event has no audit (plan one first)
    AUDIT_PHASE = "audit_phase"  # an audit is planned only once the results are final or certified
    AUDIT_STEP = "audit_step"  # a step out of order (the manifest before the plan, a draw before the seed, ...)
    AUDIT_FINISHED = "audit_finished"  # the audit has finished: nothing more is drawn or entered
    RESULTS_INCOMPLETE = "results_incomplete"  # precincts without an accepted protocol: no manifest can list them
    RESULTS_CHANGED = "results_changed"  # the results differ from those the plan was made from
    SEED_MISMATCH = "seed_mismatch"  # the second entry of the seed differs from the first
    SEED_SAME_OPERATOR = "seed_same_operator"  # the second entry of the seed by the member who made the first
    BATCH_NOT_OPEN = "batch_not_open"  # a hand count for a batch not drawn in the open round, or already accepted
    NOT_POLLABLE = "not_pollable"  # ballot polling asked for an assertion that is not two-sided
    AUDIT_CENTRAL_ONLY = "audit_central_only"  # plan, manifest, seed, draw by a non-central member (forbidden)
    AUDIT_NOT_COUNTER = "audit_not_counter"  # a hand count by who may not count the batch (reason of forbidden)
    AUDIT_OUTSIDE_UNITS = "audit_outside_units"  # a drawn batch outside the member's units (reason of forbidden)
    CVR_EXISTS = "cvr_exists"  # a precinct's cast-vote records are entered once
