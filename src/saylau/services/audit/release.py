"""The event's risk-limiting audit as a static release shows it (spec/formats.md §9, spec/audit.md §15):
the same public facts as ``/events/{code}/audit.json`` and the manifest's exact text once published."""

from __future__ import annotations

from saylau.model import NotFound
from saylau.publish.static_site import AuditRelease
from saylau.services.audit.codes import AuditFlowCode
from saylau.services.audit.reading import audit_view, is_contest_audit, manifest_file, public_json
from saylau.services.context import Context

__all__ = ["published_audit"]


def published_audit(ctx: Context, code: str) -> AuditRelease | None:
    """The audit of ``code`` for ``services.paper.publication.publish_release``; None when no audit is
    planned (the release then holds no audit page), nor for an election contest's audit, which has no page
    yet (spec/audit.md §15)."""
    if is_contest_audit(ctx, code):
        return None
    try:
        facts = public_json(audit_view(ctx, code))
    except NotFound as exc:
        if exc.code != AuditFlowCode.NO_AUDIT:
            raise
        return None
    manifest = manifest_file(ctx, code)[0] if facts["manifest"] is not None else None
    return AuditRelease(facts, manifest)
