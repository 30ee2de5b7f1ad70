"""Precinct protocols and the schema (fields + control relations) that a rule preset gives them.

A protocol holds, per question, a count for each field of the schema. The Kazakh fields and relations
are in kazakhstan.md §2.2; other presets may name other fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from saylau.model.ids import Operator, QuestionCode, UnitCode

__all__ = [
    "STANDARD_FIELDS",
    "Counts",
    "FieldDef",
    "Protocol",
    "ProtocolEntry",
    "ProtocolSchema",
    "Relation",
]

Counts = Mapping[str, int]

# The fields every referendum protocol carries; presets may add more. The outcome reads these.
STANDARD_FIELDS: tuple[str, ...] = (
    "registered",  # voters on the list, supplementary list included
    "received",  # ballots received by the precinct commission
    "issued",  # ballots issued to voters
    "cancelled",  # unused ballots cancelled
    "participated",  # ballots found in the boxes = took part
    "yes",
    "no",
    "not_counted",  # valid but not counted: both answers marked (2022 amendment)
    "invalid",
)


@dataclass(frozen=True, slots=True)
class FieldDef:
    name: str
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Relation:
    """``sum(left) op sum(right)``. ``source`` cites the article or says the relation is inferred."""

    name: str
    left: tuple[str, ...]
    op: Literal["==", "<=", ">="]
    right: tuple[str, ...]
    source: str

    def holds(self, counts: Counts) -> bool:
        lhs = sum(counts[f] for f in self.left)
        rhs = sum(counts[f] for f in self.right)
        if self.op == "==":
            return lhs == rhs
        if self.op == "<=":
            return lhs <= rhs
        return lhs >= rhs

    def describe(self) -> str:
        return f"{' + '.join(self.left)} {self.op} {' + '.join(self.right)}"


@dataclass(frozen=True, slots=True)
class ProtocolSchema:
    fields: tuple[FieldDef, ...]
    relations: tuple[Relation, ...]

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


@dataclass(frozen=True, slots=True)
class Protocol:
    """What a precinct commission reports: per question, a count per field."""

    precinct: UnitCode
    counts: Mapping[QuestionCode, Counts]


@dataclass(frozen=True, slots=True)
class ProtocolEntry:
    """One operator's keying of a protocol. ``reason`` is required for a correction."""

    protocol: Protocol
    operator: Operator
    reason: str | None = None
