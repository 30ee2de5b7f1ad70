"""The kinds of case and their rules as dated data (spec/disputes.md §3), like the presets of saylau.rules.

Each kind has versions with ``valid_from``/``valid_to``; the version that governs a case is the one in force
on its filing day. A rule that rests on an assumption is listed in the version's ``uncertain`` entries, with
why and where to check it, and shown with every condition or deadline it decides.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Literal, assert_never

from saylau.disputes.calendar import WorkCalendar, add_months, add_years
from saylau.disputes.codes import DisputesCode
from saylau.disputes.errors import DisputeError
from saylau.model.errors import InputError
from saylau.rules.reader import Node, Sink

__all__ = [
    "ACTS",
    "CONDITIONS",
    "ROLES",
    "ActKind",
    "ConditionId",
    "Kind",
    "KindVersion",
    "Period",
    "Role",
    "Uncertain",
    "kind_named",
    "kinds",
    "parse_kinds",
]

Unit = Literal["days", "working_days", "months", "years"]
_UNITS: tuple[Unit, ...] = ("days", "working_days", "months", "years")
Role = Literal[
    "voter", "candidate", "party", "observer", "citizen", "person",
    "president", "senate_chair", "mazhilis_chair", "kurultai_chair", "deputy", "prime_minister",
]  # fmt: skip
ROLES: tuple[Role, ...] = (
    "voter", "candidate", "party", "observer", "citizen", "person",
    "president", "senate_chair", "mazhilis_chair", "kurultai_chair", "deputy", "prime_minister",
)  # fmt: skip
ActKind = Literal["protocol", "action", "refusal", "decision", "norm", "result"]
ACTS: tuple[ActKind, ...] = ("protocol", "action", "refusal", "decision", "norm", "result")
ConditionId = Literal[
    "filer_role", "voter_of_precinct", "act_kind", "named_norm", "directly_affects_rights", "applied_in_citizens_case",
    "court_act_in_force", "filing_deadline", "language", "form", "representative",
]  # fmt: skip
CONDITIONS: tuple[ConditionId, ...] = (
    "filer_role", "voter_of_precinct", "act_kind", "named_norm", "directly_affects_rights", "applied_in_citizens_case",
    "court_act_in_force", "filing_deadline", "language", "form", "representative",
)  # fmt: skip
Start = Literal["act", "court_act_in_force"]
_STARTS: tuple[Start, ...] = ("act", "court_act_in_force")
_FORMS = ("written", "electronic")
_AUTHORITIES = ("written_consent", "notarised_power_of_attorney")
_MAX_BYTES = 256 * 1024
_MAX_COUNT = 400


@dataclass(frozen=True, slots=True)
class Period:
    """A legal period: ``count`` units after a start day (the start day is not counted)."""

    count: int
    unit: Unit
    roll: bool = False  # a calendar period whose last day is a day off ends on the next working day

    def raw_end(self, start: dt.date, cal: WorkCalendar) -> dt.date:
        """The last day before any roll to a working day."""
        match self.unit:
            case "days":
                return start + dt.timedelta(days=self.count)
            case "working_days":
                return cal.add_working_days(start, self.count)
            case "months":
                return add_months(start, self.count)
            case "years":
                return add_years(start, self.count)
            case _ as never:
                assert_never(never)

    def end(self, start: dt.date, cal: WorkCalendar) -> dt.date:
        """The last day of the period, the day itself included (rolled to a working day when ``roll``)."""
        end = self.raw_end(start, cal)
        if self.roll and self.unit != "working_days":
            return cal.next_working_day(end)
        return end

    def text(self) -> str:
        unit = self.unit.replace("_", " ")
        return f"{self.count} {unit[:-1] if self.count == 1 else unit}"


@dataclass(frozen=True, slots=True)
class Uncertain:
    rule: str
    why: str
    source: str


@dataclass(frozen=True, slots=True)
class KindVersion:
    """One version of a kind's rules, in force from ``valid_from`` to ``valid_to`` (both included)."""

    kind: str
    id: str
    label: str
    valid_from: dt.date
    valid_to: dt.date | None
    filers: tuple[Role, ...]
    against: tuple[ActKind, ...]
    decider: str
    languages: tuple[str, ...]
    forms: tuple[str, ...]
    representatives: tuple[str, ...]
    conditions: tuple[ConditionId, ...]
    filing: Period | None
    filing_from: Start
    examination: Period
    extendable: bool
    sources: tuple[tuple[str, str], ...]
    uncertain: tuple[Uncertain, ...]

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def uncertainty(self, rule: str) -> Uncertain | None:
        """The uncertain entry for ``rule`` or its first part (``filing`` covers ``filing.from``)."""
        return next((u for u in self.uncertain if u.rule == rule or u.rule.startswith(rule + ".")), None)


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    title: str
    description: str
    versions: tuple[KindVersion, ...]

    def version_on(self, day: dt.date) -> KindVersion:
        """The version in force on ``day``; ``no_kind_on_date`` when there is none."""
        for v in self.versions:
            if v.in_force(day):
                return v
        raise DisputeError(
            f"no version of case kind {self.name!r} is in force on {day.isoformat()}",
            code=DisputesCode.NO_KIND_ON_DATE,
            details={"kind": self.name, "date": day.isoformat()},
        )


def _period(node: Node, key: str, required: bool) -> tuple[Period | None, Start]:
    if not node.has(key):
        if required:
            node.sink.add(node.sub(key), "missing_key", f"required key {key!r} is missing")
        node.raw(key)
        return None, "act"
    sub = Node.of(node.raw(key), node.sub(key), node.sink)
    if sub is None:
        return None, "act"
    count = sub.raw("count")
    if not isinstance(count, int) or isinstance(count, bool) or not 0 < count <= _MAX_COUNT:
        sub.sink.add(sub.sub("count"), "range", f"expected an integer in 1..{_MAX_COUNT}, found {count!r}")
        count = 1
    unit = sub.choice("unit", _UNITS) or "days"
    roll = sub.raw("roll")
    if not isinstance(roll, bool):
        sub.sink.add(sub.sub("roll"), "type", "expected true or false")
        roll = False
    start = sub.choice("from", _STARTS, "act") or "act"
    sub.close()
    return Period(count, unit, roll), start


def _subset(node: Node, key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    values = node.strings(key)
    for v in values:
        if v not in allowed:
            node.sink.add(node.sub(key), "allowed", f"{v!r} is not one of {', '.join(allowed)}")
    if len(set(values)) != len(values):
        node.sink.add(node.sub(key), "unique", "a value is listed twice")
    return tuple(v for v in values if v in allowed)


def _languages(node: Node) -> tuple[str, ...]:
    """Language codes (ISO 639-1: two lowercase letters), at least one."""
    values = node.strings("languages")
    bad = [v for v in values if not (len(v) == 2 and v.isascii() and v.isalpha() and v.islower())]
    if bad or not values:
        node.sink.add(node.sub("languages"), "language", f"expected ISO 639-1 codes, found {list(values)!r}")
    return tuple(v for v in values if v not in bad)


def _source(node: Node) -> tuple[str, str]:
    return node.text("cite"), node.text("url")


def _uncertain(node: Node) -> Uncertain:
    return Uncertain(node.text("rule"), node.text("why"), node.text("source"))


def _version(kind: str) -> Callable[[Node], KindVersion | None]:
    def build(node: Node) -> KindVersion | None:
        filing, filing_from = _period(node, "filing", required=False)
        examination, _ = _period(node, "examination", required=True)
        extendable = node.raw("extendable")
        valid_from, valid_to = node.date("valid_from"), node.date("valid_to", required=False)
        version = KindVersion(
            kind=kind,
            id=node.text("id"),
            label=node.text("label"),
            valid_from=valid_from or dt.date.min,
            valid_to=valid_to,
            filers=_subset(node, "filers", ROLES),  # type: ignore[arg-type]
            against=_subset(node, "against", ACTS),  # type: ignore[arg-type]
            decider=node.text("decider"),
            languages=_languages(node),
            forms=_subset(node, "forms", _FORMS),
            representatives=_subset(node, "representatives", _AUTHORITIES) if node.has("representatives") else (),
            conditions=_subset(node, "conditions", CONDITIONS),  # type: ignore[arg-type]
            filing=filing,
            filing_from=filing_from,
            examination=examination or Period(1, "days"),
            extendable=extendable is True,
            sources=node.each("sources", _source, required=True),
            uncertain=node.each("uncertain", _uncertain),
        )
        node.raw("representatives")
        if extendable is not None and not isinstance(extendable, bool):
            node.sink.add(node.sub("extendable"), "type", "expected true or false")
        _coherent(node, version)
        return version

    return build


def _coherent(node: Node, v: KindVersion) -> None:
    """The checks across keys: the dates in order, a filing period for the deadline condition."""
    if v.valid_to is not None and v.valid_to < v.valid_from:
        node.sink.add(node.sub("valid_to"), "order", "valid_to is before valid_from")
    if "filing_deadline" in v.conditions and v.filing is None:
        node.sink.add(node.sub("filing"), "missing_key", "the filing_deadline condition needs a filing period")
    if v.filing_from == "court_act_in_force" and "court_act_in_force" not in v.conditions:
        node.sink.add(node.sub("filing.from"), "condition", "a period from a court act needs court_act_in_force")


def _kind(node: Node) -> Kind | None:
    name = node.text("name")
    versions = node.each("versions", _version(name), required=True)
    kind = Kind(name, node.text("title"), node.text("description"), versions)
    ordered = sorted(versions, key=lambda v: v.valid_from)
    for a, b in itertools.pairwise(ordered):
        if a.valid_to is None or a.valid_to >= b.valid_from:
            node.sink.add(node.sub("versions"), "overlap", f"versions {a.id!r} and {b.id!r} overlap")
    return kind


def parse_kinds(text: str, source: str) -> dict[str, Kind]:
    """The case kinds from their TOML text; every problem found is reported (file, field, rule)."""
    sink = Sink(source)
    if len(text.encode()) > _MAX_BYTES:
        sink.add("", "size", f"over {_MAX_BYTES} bytes")
        raise InputError(sink.problems, summary=f"{source}: case kinds refused")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        sink.add("", "toml", str(exc))
        raise InputError(sink.problems, summary=f"{source}: case kinds refused") from exc
    root = Node(data, "", sink)
    found = root.each("kinds", _kind, required=True)
    root.close()
    out = {k.name: k for k in found}
    if len(out) != len(found):
        sink.add("kinds", "unique", "a kind name is listed twice")
    if sink.problems:
        raise InputError(sink.problems, summary=f"{source}: case kinds refused")
    return out


def kinds() -> dict[str, Kind]:
    """The kinds as shipped (src/saylau/data/disputes/kinds.toml)."""
    path = resources.files("saylau").joinpath("data", "disputes", "kinds.toml")
    return parse_kinds(path.read_text(encoding="utf-8"), "kinds.toml")


def kind_named(name: str) -> Kind:
    """One shipped kind; ``unknown_kind`` (naming the known ones) when there is none of that name."""
    known = kinds()
    if name not in known:
        raise DisputeError(
            f"no case kind {name!r}; known: {', '.join(sorted(known))}",
            code=DisputesCode.UNKNOWN_KIND,
            details={"kind": name, "known": sorted(known)},
        )
    return known[name]
