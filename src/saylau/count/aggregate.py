"""Aggregation of accepted protocols up the territory, incrementally (spec/counting.md §4).

Every unit (precinct included) owns one flat row of 64-bit counts in a single ``array``: one block per
contest, as wide as that contest's fields (a party list has a field per list, a question yes/no...). A
precinct's row is its current protocol, any other unit's row the sum over its reported precincts. A
contest with a scope (a single-member district) is on the ballot only in the precincts under its scope
unit; the other precincts' blocks for it stay zero and their protocols need not carry it.
Setting a protocol applies the difference to the precinct and each ancestor:
O(depth × fields), whatever the size of the territory.

A channel (spec/counting.md §5, e.g. the e-ballots of an e2e election linked to a district) is a
contribution keyed by (channel, unit) at a unit above the precincts: it is added to that unit and its
ancestors like a precinct's row, but never counts as an expected or reported precinct, and each unit also
keeps the part of its sums that each channel brought.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import assert_never

from saylau.count.codes import CountCode
from saylau.model.errors import InputError, NotFound, Problem
from saylau.model.ids import QuestionCode, UnitCode
from saylau.model.protocol import Counts
from saylau.model.results import UnitResult
from saylau.model.tally import Tally, UnitRow
from saylau.model.territory import Territory, UnitKind

__all__ = ["MAX_COUNT", "Aggregator", "ContestLayout", "aggregate"]

MAX_COUNT = 2**63 - 1  # one signed 64-bit slot per count; far above any electorate
_Protocols = Mapping[UnitCode, Mapping[QuestionCode, Counts]]
_NO_CHANNELS: Mapping[str, Mapping[QuestionCode, Counts]] = {}  # shared, never mutated


@dataclass(frozen=True, slots=True)
class ContestLayout:
    """One contest's block: its fields in order, and the unit whose precincts have it (None: all)."""

    contest: QuestionCode
    fields: tuple[str, ...]
    scope: UnitCode | None = None


class Aggregator:
    """The current accepted protocol of each precinct and the sums of every unit."""

    __slots__ = (
        "_at_unit",
        "_channel_n",
        "_channel_rows",
        "_channel_sums",
        "_codes",
        "_expected",
        "_fields",
        "_in_scope",
        "_index",
        "_layout",
        "_offsets",
        "_parent",
        "_questions",
        "_reported",
        "_sums",
        "_territory",
        "_width",
    )

    def __init__(
        self,
        territory: Territory,
        questions: Sequence[QuestionCode] | Sequence[ContestLayout],
        fields: Sequence[str] = (),
    ):
        """Either ``questions`` with one shared list of ``fields`` (a referendum), or one
        :class:`ContestLayout` per contest (each with its own fields and scope)."""
        self._territory = territory
        self._layout = _layout(questions, fields)
        self._questions = tuple(c.contest for c in self._layout)
        self._fields = tuple(fields)
        self._offsets: list[int] = []
        width = 0
        for c in self._layout:
            self._offsets.append(width)
            width += len(c.fields)
        self._width = width
        self._in_scope = {
            c.contest: frozenset(territory.precincts(c.scope)) for c in self._layout if c.scope is not None
        }
        self._codes: list[UnitCode] = list(territory.walk())
        self._index: dict[UnitCode, int] = {c: i for i, c in enumerate(self._codes)}
        self._parent = array("q", [-1] * len(self._codes))
        self._expected = array("q", [0] * len(self._codes))
        for i, code in enumerate(self._codes):
            unit = territory[code]
            if unit.parent is not None:
                self._parent[i] = self._index[unit.parent]
            if unit.kind is UnitKind.PRECINCT:
                self._bump(self._expected, i, 1)
        self._reported = array("q", [0] * len(self._codes))
        self._sums = array("q", bytes(8 * self._width * len(self._codes)))
        self._at_unit = self._blocks_at_units()
        self._channel_rows: dict[tuple[str, int], list[int]] = {}  # (channel, unit) -> its contribution
        self._channel_sums: dict[str, dict[int, list[int]]] = {}  # channel -> unit -> sum at or below
        self._channel_n: dict[str, dict[int, int]] = {}  # channel -> unit -> contributions at or below

    def _blocks_at_units(self) -> list[tuple[int, ...]]:
        """Per unit, the contest blocks it reports: every unscoped contest, and a scoped contest only on
        its scope unit and below (a region's sum of one district's contest would only repeat it)."""
        everywhere = tuple(k for k, c in enumerate(self._layout) if c.scope is None)
        at: list[tuple[int, ...]] = [everywhere] * len(self._codes)
        for k, c in enumerate(self._layout):
            if c.scope is not None:
                for code in self._territory.walk(c.scope):
                    i = self._index[code]
                    at[i] = tuple(sorted((*at[i], k)))
        return at

    @property
    def questions(self) -> tuple[QuestionCode, ...]:
        return self._questions

    @property
    def fields(self) -> tuple[str, ...]:
        """The shared fields of a referendum aggregator (empty when contests have their own)."""
        return self._fields

    @property
    def layout(self) -> tuple[ContestLayout, ...]:
        return self._layout

    def set(self, precinct: UnitCode, counts: Mapping[QuestionCode, Counts]) -> None:
        """Put or replace the precinct's protocol; the unit sums follow the newest version."""
        i = self._precinct_index(precinct)
        self._apply(i, self._row(precinct, counts))

    def remove(self, precinct: UnitCode) -> None:
        """Withdraw the precinct's protocol (no-op if it has none)."""
        i = self._precinct_index(precinct)
        if self._reported[i]:
            self._apply(i, None)

    def has(self, precinct: UnitCode) -> bool:
        return bool(self._reported[self._precinct_index(precinct)])

    def set_channel(self, channel: str, unit: UnitCode, counts: Mapping[QuestionCode, Counts]) -> None:
        """Put or replace what ``channel`` brings at ``unit`` (a unit above the precincts). Fields left out
        count 0; the unit's expected and reported precincts do not change (spec/counting.md §5)."""
        i = self._channel_index(channel, unit)
        new = self._channel_row(channel, unit, counts)
        old = self._channel_rows.get((channel, i))
        self._channel_rows[(channel, i)] = new
        delta = [(k, n - (old[k] if old is not None else 0)) for k, n in enumerate(new)]
        self._apply_channel(channel, i, [(k, d) for k, d in delta if d], 0 if old is not None else 1)

    def remove_channel(self, channel: str, unit: UnitCode) -> None:
        """Withdraw what ``channel`` brought at ``unit`` (no-op if it brought nothing)."""
        i = self._channel_index(channel, unit)
        old = self._channel_rows.pop((channel, i), None)
        if old is not None:
            self._apply_channel(channel, i, [(k, -v) for k, v in enumerate(old) if v], -1)

    def channel_units(self) -> list[tuple[str, UnitCode]]:
        """The (channel, unit) contributions in place, in territory order."""
        return [(name, self._codes[i]) for name, i in sorted(self._channel_rows, key=lambda k: (k[1], k[0]))]

    def result(self, unit: UnitCode) -> UnitResult:
        i = self._index.get(unit)
        if i is None:
            raise NotFound(
                f"unit {unit!r} is not in the territory", code=CountCode.UNKNOWN_UNIT, details={"unit": unit}
            )
        return UnitResult(
            unit=unit,
            expected=self._expected[i],
            reported=self._reported[i],
            missing=self._missing(unit, i),
            totals=self._totals(i),
            channels=self._channels_at(i) if self._channel_n else _NO_CHANNELS,
        )

    def results(self) -> dict[UnitCode, UnitResult]:
        """Every unit's result, in territory order."""
        return {code: self.result(code) for code in self._codes}

    def outcome_input(self, question: QuestionCode) -> tuple[Tally, list[UnitRow]]:
        """The national tally and one row per top-level unit (weight 1 for a region, 0 for abroad)."""
        if question not in self._questions:
            raise NotFound(f"question {question!r} is not counted here", code=CountCode.UNKNOWN_QUESTION)
        fields = self._layout[self._questions.index(question)].fields
        missing = [f for f in ("registered", "participated", "yes", "no") if f not in fields]
        if missing:
            raise InputError(
                [Problem(rule="outcome_fields", field=f, message="the outcome needs this field") for f in missing]
            )
        national = Tally.from_counts(self.result(self._territory.root).totals[question])
        rows = [
            UnitRow(unit=code, tally=Tally.from_counts(self.result(code).totals[question]), weight=_weight(kind))
            for code in self._territory.top_units()
            for kind in (self._territory[code].kind,)
        ]
        return national, rows

    def _precinct_index(self, precinct: UnitCode) -> int:
        i = self._index.get(precinct)
        if i is None or self._territory[precinct].kind is not UnitKind.PRECINCT:
            raise NotFound(
                f"{precinct!r} is not a precinct of the territory",
                code=CountCode.UNKNOWN_PRECINCT,
                details={"precinct": precinct},
            )
        return i

    def _row(self, precinct: UnitCode, counts: Mapping[QuestionCode, Counts]) -> list[int]:
        row: list[int] = []
        problems: list[Problem] = []
        for c in self._layout:
            q = c.contest
            if q not in counts and c.scope is not None and precinct not in self._in_scope[q]:
                row.extend([0] * len(c.fields))  # not on this precinct's ballot
                continue
            per_q = counts.get(q, {})
            for f in c.fields:
                v = per_q.get(f)
                if type(v) is not int or not 0 <= v <= MAX_COUNT:
                    problems.append(Problem(rule="count", field=f"{q}.{f}", message=f"bad count {v!r}"))
                    v = 0
                row.append(v)
        if problems:
            raise InputError(problems, summary=f"protocol of precinct {precinct} cannot be aggregated")
        return row

    def _apply(self, i: int, new: list[int] | None) -> None:
        w, sums = self._width, self._sums
        base = i * w
        old = sums[base : base + w]
        full = [-v for v in old] if new is None else [n - o for n, o in zip(new, old, strict=True)]
        delta = [(k, d) for k, d in enumerate(full) if d]  # sparse: most blocks of a wide row are zero
        step = 0 if (new is not None) == bool(self._reported[i]) else (1 if new is not None else -1)
        j = i
        while j >= 0:
            if step:
                self._reported[j] += step
            b = j * w
            for k, d in delta:
                sums[b + k] += d
            j = self._parent[j]

    def _channel_index(self, channel: str, unit: UnitCode) -> int:
        i = self._index.get(unit)
        if not isinstance(channel, str) or not channel:
            raise InputError([Problem(rule="channel", field="channel", message=f"bad channel name {channel!r}")])
        if i is None:
            raise NotFound(
                f"unit {unit!r} is not in the territory", code=CountCode.UNKNOWN_UNIT, details={"unit": unit}
            )
        if self._territory[unit].kind is UnitKind.PRECINCT:
            raise InputError(
                [Problem(rule="channel_unit", field="unit", message=f"{unit} is a precinct: it counts by protocol")],
                summary=f"channel {channel!r} cannot be attached to a precinct",
            )
        return i

    def _channel_row(self, channel: str, unit: UnitCode, counts: Mapping[QuestionCode, Counts]) -> list[int]:
        """A full-width row: every field of every contest, 0 where the channel brings nothing."""
        problems = [
            Problem(rule="channel_contest", field=str(q), message="not a contest of this count")
            for q in counts
            if q not in self._questions
        ]
        row: list[int] = []
        for c in self._layout:
            per_q = counts.get(c.contest)
            if per_q is None:
                row.extend([0] * len(c.fields))
                continue
            if c.scope is not None and c.scope not in (unit, *self._territory.ancestors(unit)):
                problems.append(
                    Problem(rule="channel_scope", field=str(c.contest), message=f"{unit} is outside {c.scope}")
                )
            problems.extend(
                Problem(rule="channel_field", field=f"{c.contest}.{f}", message="not a field of this contest")
                for f in per_q
                if f not in c.fields
            )
            for f in c.fields:
                v = per_q.get(f, 0)
                if type(v) is not int or not 0 <= v <= MAX_COUNT:
                    problems.append(Problem(rule="count", field=f"{c.contest}.{f}", message=f"bad count {v!r}"))
                    v = 0
                row.append(v)
        if problems:
            raise InputError(problems, summary=f"channel {channel!r} at {unit} cannot be aggregated")
        return row

    def _apply_channel(self, channel: str, i: int, delta: list[tuple[int, int]], step: int) -> None:
        """Add ``delta`` to the unit's sums and its ancestors', and to the channel's own sums there."""
        w, sums = self._width, self._sums
        own = self._channel_sums.setdefault(channel, {})
        count = self._channel_n.setdefault(channel, {})
        j = i
        while j >= 0:
            b = j * w
            mine = own.setdefault(j, [0] * w)
            for k, d in delta:
                sums[b + k] += d
                mine[k] += d
            count[j] = count.get(j, 0) + step
            if not count[j]:
                del count[j], own[j]
            j = self._parent[j]
        if not count:
            del self._channel_n[channel], self._channel_sums[channel]

    def _channels_at(self, i: int) -> Mapping[str, Mapping[QuestionCode, Counts]]:
        out: dict[str, Mapping[QuestionCode, Counts]] = {}
        for name in sorted(self._channel_n):
            row = self._channel_sums[name].get(i)
            if row is not None:
                out[name] = self._blocks(i, row)
        return out or _NO_CHANNELS

    def _bump(self, column: array[int], i: int, step: int) -> None:
        j = i
        while j >= 0:
            column[j] += step
            j = self._parent[j]

    def _totals(self, i: int) -> dict[QuestionCode, dict[str, int]]:
        base = i * self._width  # inlined (not via _blocks): results() calls this for every unit
        row = self._sums[base : base + self._width]
        out: dict[QuestionCode, dict[str, int]] = {}
        for k in self._at_unit[i]:
            c, off = self._layout[k], self._offsets[k]
            out[c.contest] = dict(zip(c.fields, row[off : off + len(c.fields)], strict=True))
        return out

    def _blocks(self, i: int, row: Sequence[int]) -> dict[QuestionCode, dict[str, int]]:
        out: dict[QuestionCode, dict[str, int]] = {}
        for k in self._at_unit[i]:
            c, off = self._layout[k], self._offsets[k]
            out[c.contest] = dict(zip(c.fields, row[off : off + len(c.fields)], strict=True))
        return out

    def _missing(self, unit: UnitCode, i: int) -> tuple[UnitCode, ...]:
        if self._reported[i] == self._expected[i]:
            return ()
        if self._territory[unit].kind is UnitKind.PRECINCT:
            return (unit,)
        return tuple(p for p in self._territory.precincts(unit) if not self._reported[self._index[p]])


def _layout(
    questions: Sequence[QuestionCode] | Sequence[ContestLayout], fields: Sequence[str]
) -> tuple[ContestLayout, ...]:
    out = tuple(q if isinstance(q, ContestLayout) else ContestLayout(q, tuple(fields)) for q in questions)
    codes = [c.contest for c in out]
    if len(set(codes)) != len(codes):
        raise InputError([Problem(rule="unique_contest", message=f"a contest appears twice in {codes}")])
    return out


def _weight(kind: UnitKind) -> Fraction:
    match kind:
        case UnitKind.REGION:
            return Fraction(1)
        case UnitKind.ABROAD:
            return Fraction(0)
        case UnitKind.COUNTRY | UnitKind.DISTRICT | UnitKind.PRECINCT:
            raise InputError([Problem(rule="top_unit", message=f"a {kind} cannot be a top-level unit")])
        case _:
            assert_never(kind)


def aggregate(
    territory: Territory, questions: Sequence[QuestionCode], fields: Sequence[str], protocols: _Protocols
) -> dict[UnitCode, UnitResult]:
    """One-shot aggregation of accepted protocols (one per precinct) into every unit's result."""
    agg = Aggregator(territory, questions, fields)
    for precinct, counts in protocols.items():
        agg.set(precinct, counts)
    return agg.results()
