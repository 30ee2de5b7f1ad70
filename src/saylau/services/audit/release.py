"""The event's risk-limiting audit as a static release shows it (spec/formats.md §9, spec/audit.md §15):
the same public facts as ``/events/{code}/audit.json``, and once the manifest is published its exact text
and the cast-vote records it lists (§18)."""

from __future__ import annotations

from saylau.model import NotFound
from saylau.publish.static_site import AuditRelease
from saylau.services.audit.codes import AuditFlowCode
from saylau.services.audit.reading import audit_view, manifest_file, public_json, published_cvrs
from saylau.services.context import Context

__all__ = ["published_audit"]


def published_audit(ctx: Context, code: str) -> AuditRelease | None:
    """The audit of ``code`` (a question's or an election contest's) for
    ``services.paper.publication.publish_release``; None when no audit is planned (the release then holds no
    audit page; spec/audit.md §15)."""
    try:
        facts = public_json(audit_view(ctx, code))
    except NotFound as exc:
        if exc.code != AuditFlowCode.NO_AUDIT:
            raise
        return None
    if facts["manifest"] is None:
        return AuditRelease(facts, None)
    return AuditRelease(facts, manifest_file(ctx, code)[0], published_cvrs(ctx, code))
