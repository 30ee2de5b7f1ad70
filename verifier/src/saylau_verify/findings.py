"""A failed check: the spec step, the element concerned and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Finding", "RecordUnreadable"]


@dataclass(frozen=True, slots=True)
class Finding:
    step: int
    subject: str
    message: str
    prefix: str = "V"  # "V": a step of spec/record.md §6; "A": a check of spec/audit.md §14

    def __str__(self) -> str:
        return f"{self.prefix}{self.step} {self.subject}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"step": f"{self.prefix}{self.step}", "subject": self.subject, "message": self.message}


class RecordUnreadable(Exception):
    """The record cannot be read at all (exit 2)."""
