"""The register's domain: a person's entry, its dated versions, and the diff of two imports
(spec/register.md §4, §5). Plain values, no clock, no database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from saylau.register.iin import Sex

__all__ = ["ChangeKind", "Entry", "PersonVersion", "RegisterDiff", "Status", "diff"]


class Status(StrEnum):
    """A person's standing in the register; only ``active`` persons are on a voter list."""

    ACTIVE = "active"
    DECEASED = "deceased"
    MOVED = "moved"  # left the register's territory (or absent from a re-import: spec/register.md §5)
    DEPRIVED = "deprived"  # deprived of the vote by a court (Constitution Art. 33(3))


class ChangeKind(StrEnum):
    ADDED = "added"
    MOVED = "moved"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Entry:
    """One person as a source states them: what a version records besides who, when, why."""

    identifier: str
    surname: str
    given_name: str
    patronymic: str  # "" when there is none
    birth_date: dt.date
    sex: Sex | None
    address: str
    precinct: str
    status: Status

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)


@dataclass(frozen=True, slots=True)
class PersonVersion:
    """One dated, audited version of a person: every change is a new version, none is ever rewritten."""

    entry: Entry
    version: int  # 1, 2, ... per person
    valid_from: dt.datetime
    actor: str  # who
    reason: str  # why
    source: str  # the source document (an import's file and SHA-256, a court decision, a death record)


@dataclass(frozen=True, slots=True)
class RegisterDiff:
    """What a re-import would change, each list sorted by identifier (old, new pairs for moved/changed).

    ``removed`` is every active person of the register the import no longer lists; a person already not
    active who is absent stays as they are."""

    added: tuple[Entry, ...]
    moved: tuple[tuple[Entry, Entry], ...]  # the precinct changed (other fields may have too)
    removed: tuple[Entry, ...]
    changed: tuple[tuple[Entry, Entry], ...]  # same precinct, another field changed

    @property
    def empty(self) -> bool:
        return not (self.added or self.moved or self.removed or self.changed)

    def counts(self) -> dict[str, int]:
        return {
            ChangeKind.ADDED: len(self.added),
            ChangeKind.MOVED: len(self.moved),
            ChangeKind.REMOVED: len(self.removed),
            ChangeKind.CHANGED: len(self.changed),
        }


def diff(current: Mapping[str, Entry], incoming: Mapping[str, Entry]) -> RegisterDiff:
    """The diff from the register's current entries to an import's, both keyed by identifier."""
    added, moved, changed = [], [], []
    for ident in sorted(incoming):
        new = incoming[ident]
        old = current.get(ident)
        if old is None:
            added.append(new)
        elif old.precinct != new.precinct:
            moved.append((old, new))
        elif old != new:
            changed.append((old, new))
    removed = [current[i] for i in sorted(current) if i not in incoming and current[i].status is Status.ACTIVE]
    return RegisterDiff(tuple(added), tuple(moved), tuple(removed), tuple(changed))
