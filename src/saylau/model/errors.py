"""Typed, expected failures. Each carries a stable ``code`` and the facts (STYLE.md habit 4)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from saylau.model.codes import ModelCode

__all__ = [
    "Conflict",
    "InputError",
    "LifecycleError",
    "NotFound",
    "Problem",
    "ProtocolRejected",
    "SaylauError",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: where (file, line, field) and which rule it breaks."""

    rule: str
    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line) if p is not None)
        parts = [where] if where else []
        if self.field:
            parts.append(f"field '{self.field}'")
        prefix = ", ".join(parts)
        return f"{prefix}: {self.message} [{self.rule}]" if prefix else f"{self.message} [{self.rule}]"


class SaylauError(Exception):
    """Base of every expected failure. ``code`` is stable; ``details`` are the facts."""

    code: str = ModelCode.ERROR

    def __init__(self, message: str, *, code: str | None = None, details: Mapping[str, object] | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details: Mapping[str, object] = dict(details or {})


class InputError(SaylauError):
    """Bad input: every problem found is reported, each naming file, line, field and rule."""

    code: str = ModelCode.BAD_INPUT

    def __init__(self, problems: Sequence[Problem], *, summary: str | None = None):
        self.problems: tuple[Problem, ...] = tuple(problems)
        head = summary or f"{len(self.problems)} problem(s) in the input"
        body = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{head}\n{body}" if body else head)


class ProtocolRejected(SaylauError):
    """A protocol breaks one or more control relations: all of them are named."""

    code: str = ModelCode.CONTROL_RELATION

    def __init__(self, precinct: str, violations: Sequence[str], *, file: str | None = None, line: int | None = None):
        self.precinct = precinct
        self.violations: tuple[str, ...] = tuple(violations)
        where = f"{file}:{line}: " if file is not None and line is not None else ""
        msg = f"{where}protocol for precinct {precinct} refused: " + "; ".join(self.violations)
        super().__init__(msg, details={"precinct": precinct, "violations": list(self.violations)})


class LifecycleError(SaylauError):
    """An action not allowed in the event's current phase, or a transition that does not exist."""

    code: str = ModelCode.LIFECYCLE


class NotFound(SaylauError):
    code: str = ModelCode.NOT_FOUND


class Conflict(SaylauError):
    """The action contradicts what is already recorded (duplicate code, same operator twice...)."""

    code: str = ModelCode.CONFLICT
