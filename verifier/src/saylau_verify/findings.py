"""A failed check: the spec step, the element concerned and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Finding", "RecordUnreadable"]


@dataclass(frozen=True, slots=True)
class Finding:
    step: int
    subject: str
    message: str

    def __str__(self) -> str:
        return f"V{self.step} {self.subject}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"step": f"V{self.step}", "subject": self.subject, "message": self.message}


class RecordUnreadable(Exception):
    """The record cannot be read at all (exit 2)."""
