"""Typed failures of the record core."""

from __future__ import annotations

from saylau.model.errors import SaylauError

__all__ = ["RecordError"]


class RecordError(SaylauError):
    """An event or record that does not follow spec/record.md."""

    code = "record"
