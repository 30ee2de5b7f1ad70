"""The territory: country -> regions (and cities of republican significance) -> districts -> precincts.

An ``abroad`` unit sits beside the regions; its precincts are at embassies and consulates. It counts in
national totals but is not one of the units of a regional-majority test (kazakhstan.md §1.3, §2).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from saylau.model.errors import InputError, Problem
from saylau.model.ids import UnitCode

__all__ = ["Territory", "Unit", "UnitKind"]


class UnitKind(StrEnum):
    COUNTRY = "country"
    REGION = "region"
    ABROAD = "abroad"
    DISTRICT = "district"
    PRECINCT = "precinct"


# Which kinds may sit directly under which: a precinct may hang under a district, a region or abroad.
_PARENT_KINDS: Mapping[UnitKind, frozenset[UnitKind]] = {
    UnitKind.COUNTRY: frozenset(),
    UnitKind.REGION: frozenset({UnitKind.COUNTRY}),
    UnitKind.ABROAD: frozenset({UnitKind.COUNTRY}),
    UnitKind.DISTRICT: frozenset({UnitKind.REGION, UnitKind.ABROAD, UnitKind.DISTRICT}),
    UnitKind.PRECINCT: frozenset({UnitKind.DISTRICT, UnitKind.REGION, UnitKind.ABROAD}),
}


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit of the territory. ``registered`` (voters on the register) is set for precincts only."""

    code: UnitCode
    kind: UnitKind
    parent: UnitCode | None
    names: Mapping[str, str] = field(default_factory=dict)
    registered: int | None = None

    def name(self, lang: str = "en") -> str:
        return self.names.get(lang) or self.names.get("en") or next(iter(self.names.values()), self.code)


class Territory:
    """A validated tree of units. Build it with :meth:`build`, which reports every problem at once."""

    __slots__ = ("_by_code", "_children", "_precincts_under", "root")

    def __init__(self, units: Mapping[UnitCode, Unit], root: UnitCode):
        self._by_code = dict(units)
        self.root = root
        children: dict[UnitCode, list[UnitCode]] = {c: [] for c in self._by_code}
        for unit in self._by_code.values():
            if unit.parent is not None:
                children[unit.parent].append(unit.code)
        self._children = {k: tuple(v) for k, v in children.items()}
        self._precincts_under: dict[UnitCode, tuple[UnitCode, ...]] = {}

    @classmethod
    def build(
        cls, units: Iterable[Unit], *, source: str | None = None, lines: Mapping[UnitCode, int] | None = None
    ) -> Territory:
        """Check the tree (one country, known parents, allowed nesting, voters on precincts, no cycle)."""
        problems: list[Problem] = []
        by_code: dict[UnitCode, Unit] = {}
        lines = lines or {}

        def problem(code: UnitCode, fld: str, rule: str, msg: str) -> None:
            problems.append(Problem(rule=rule, message=msg, file=source, line=lines.get(code), field=fld))

        for unit in units:
            if unit.code in by_code:
                problem(unit.code, "code", "unique_code", f"unit code {unit.code!r} appears twice")
                continue
            by_code[unit.code] = unit
        roots = [u for u in by_code.values() if u.kind is UnitKind.COUNTRY]
        if len(roots) != 1:
            problems.append(
                Problem(
                    rule="one_country",
                    file=source,
                    field="kind",
                    message=f"the territory needs exactly one country unit, found {len(roots)}",
                )
            )
        for unit in by_code.values():
            _check_unit(unit, by_code, problem)
        if problems:
            raise InputError(problems, summary=f"territory{' ' + source if source else ''} refused")
        territory = cls(by_code, roots[0].code)
        territory._check_acyclic(problem)
        if problems:
            raise InputError(problems, summary="territory refused")
        return territory

    def _check_acyclic(self, problem: _ProblemSink) -> None:
        seen = set(self.walk())
        for code in self._by_code:
            if code not in seen:
                problem(code, "parent", "tree", f"unit {code!r} is not reachable from the country (a cycle)")

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __getitem__(self, code: UnitCode) -> Unit:
        return self._by_code[code]

    def __len__(self) -> int:
        return len(self._by_code)

    def units(self) -> Iterator[Unit]:
        return iter(self._by_code.values())

    def children(self, code: UnitCode) -> tuple[UnitCode, ...]:
        return self._children[code]

    def walk(self, start: UnitCode | None = None) -> Iterator[UnitCode]:
        """Depth-first, parents before children, children in the order they were given."""
        stack = [start or self.root]
        while stack:
            code = stack.pop()
            yield code
            stack.extend(reversed(self._children[code]))

    def ancestors(self, code: UnitCode) -> tuple[UnitCode, ...]:
        """From the unit's parent up to the country."""
        out: list[UnitCode] = []
        parent = self._by_code[code].parent
        while parent is not None:
            out.append(parent)
            parent = self._by_code[parent].parent
        return tuple(out)

    def precincts(self, under: UnitCode | None = None) -> tuple[UnitCode, ...]:
        key = under or self.root
        cached = self._precincts_under.get(key)
        if cached is None:
            cached = tuple(c for c in self.walk(key) if self._by_code[c].kind is UnitKind.PRECINCT)
            self._precincts_under[key] = cached
        return cached

    def top_units(self) -> tuple[UnitCode, ...]:
        """The country's direct children: regions, cities of republican significance and abroad."""
        return self._children[self.root]

    def level(self, kind: UnitKind) -> tuple[UnitCode, ...]:
        return tuple(c for c in self.walk() if self._by_code[c].kind is kind)


class _ProblemSink(Protocol):
    def __call__(self, code: UnitCode, fld: str, rule: str, msg: str) -> None: ...


def _check_unit(unit: Unit, by_code: Mapping[UnitCode, Unit], problem: _ProblemSink) -> None:
    if not unit.code or unit.code.strip() != unit.code:
        problem(unit.code, "code", "code_format", f"unit code {unit.code!r} is empty or has spaces around it")
    if unit.kind is UnitKind.COUNTRY:
        if unit.parent is not None:
            problem(unit.code, "parent", "country_root", "the country has no parent")
    elif unit.parent is None or unit.parent not in by_code:
        problem(unit.code, "parent", "known_parent", f"parent {unit.parent!r} of {unit.code!r} is not a unit")
    elif by_code[unit.parent].kind not in _PARENT_KINDS[unit.kind]:
        problem(
            unit.code,
            "parent",
            "nesting",
            f"a {unit.kind} cannot sit under a {by_code[unit.parent].kind} ({unit.parent!r})",
        )
    if unit.kind is UnitKind.PRECINCT:
        if unit.registered is None or unit.registered < 0:
            problem(
                unit.code,
                "registered",
                "registered_voters",
                f"precinct {unit.code!r} needs a non-negative number of registered voters",
            )
    elif unit.registered is not None:
        problem(
            unit.code,
            "registered",
            "registered_voters",
            f"only precincts carry registered voters; {unit.code!r} is a {unit.kind}",
        )
