"""The audit core's one error class: an expected failure with a stable code and the facts (STYLE habit 4)."""

from __future__ import annotations

from saylau.audit.codes import AuditCode
from saylau.model.errors import SaylauError

__all__ = ["AuditError"]


class AuditError(SaylauError):
    """An audit input or parameter the mathematics cannot take (the code says which)."""

    code: str = AuditCode.AUDIT
