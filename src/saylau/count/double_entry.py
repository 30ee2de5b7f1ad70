"""Double entry of a protocol, as the Dutch Kiesraad's Abacus does it (spec/counting.md §3).

Two different operators key the same paper protocol independently. The protocol counts only when a new
entry agrees field by field with an earlier entry of the round keyed by someone else. When entries
differ, every differing field is listed with each entry's value, and a further entry settles it by
agreeing with one of the earlier ones. One person's two entries never make a protocol.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from saylau.count.codes import CountCode
from saylau.model.errors import Conflict
from saylau.model.ids import QuestionCode

__all__ = [
    "Agreed",
    "AwaitingSecond",
    "Decision",
    "Difference",
    "EntryRecord",
    "Mismatch",
    "decide",
    "differences",
]


@dataclass(frozen=True, slots=True)
class EntryRecord:
    """One operator's keying of a protocol: per question, a count per field."""

    operator: str
    counts: Mapping[QuestionCode, Mapping[str, int]]


@dataclass(frozen=True, slots=True)
class Difference:
    """A field on which the entries differ: each entry's value in round order, the new entry last.

    ``None`` stands for a value that an entry does not have at all (a question or field not keyed).
    """

    question: QuestionCode
    field: str
    values: tuple[int | None, ...]


@dataclass(frozen=True, slots=True)
class AwaitingSecond:
    """The first entry of a round: it waits for an independent second entry."""

    kind: Literal["awaiting_second"] = "awaiting_second"


@dataclass(frozen=True, slots=True)
class Agreed:
    """The new entry agrees with entry ``with_index`` of the round (another operator): the protocol counts."""

    with_index: int
    kind: Literal["agreed"] = "agreed"


@dataclass(frozen=True, slots=True)
class Mismatch:
    """The new entry agrees with no earlier entry of the round: a further entry must settle it."""

    differences: tuple[Difference, ...]
    kind: Literal["mismatch"] = "mismatch"


Decision = AwaitingSecond | Agreed | Mismatch


def decide(round_entries: Sequence[EntryRecord], new: EntryRecord) -> Decision:
    """Decide what ``new`` does to a round whose earlier entries are ``round_entries`` (in keying order).

    Raises ``Conflict(code="same_operator")`` if ``new.operator`` already keyed an entry of the round.
    """
    if any(e.operator == new.operator for e in round_entries):
        raise Conflict(
            f"operator {new.operator!r} already keyed an entry of this round; "
            "a second entry must come from a different operator",
            code=CountCode.SAME_OPERATOR,
            details={"operator": new.operator},
        )
    if not round_entries:
        return AwaitingSecond()
    for index, earlier in enumerate(round_entries):
        if _identical(earlier, new) or not differences(earlier, new):
            return Agreed(with_index=index)
    return Mismatch(differences=_spread([*round_entries, new]))


def differences(a: EntryRecord, b: EntryRecord) -> tuple[Difference, ...]:
    """Every (question, field) on which ``a`` and ``b`` differ, with values ``(a's, b's)``."""
    return _spread([a, b])


def _identical(a: EntryRecord, b: EntryRecord) -> bool:
    """The fast path: equal mappings of plain ints (``True == 1`` must not pass, hence the type check)."""
    return (
        a.counts == b.counts
        and all(type(v) is int for counts in b.counts.values() for v in counts.values())
        and all(type(v) is int for counts in a.counts.values() for v in counts.values())
    )


def _spread(entries: Sequence[EntryRecord]) -> tuple[Difference, ...]:
    out: list[Difference] = []
    for question, field in _keys(entries):
        values = tuple(_value(e, question, field) for e in entries)
        if any(v != values[0] or type(v) is not type(values[0]) for v in values):
            out.append(Difference(question, field, values))
    return tuple(out)


def _keys(entries: Sequence[EntryRecord]) -> list[tuple[QuestionCode, str]]:
    """Every (question, field) keyed in any entry, in first-seen order."""
    seen: dict[tuple[QuestionCode, str], None] = {}
    for entry in entries:
        for question, counts in entry.counts.items():
            for field in counts:
                seen.setdefault((question, field), None)
    return list(seen)


def _value(entry: EntryRecord, question: QuestionCode, field: str) -> int | None:
    counts = entry.counts.get(question)
    return None if counts is None else counts.get(field)
