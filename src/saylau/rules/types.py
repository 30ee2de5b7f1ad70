"""Rule presets as data: versions in force over date ranges, settings, conditions and the protocol.

A preset is a named rule set ("kz-constitutional"); the law changes, so it holds one or more versions,
each in force from ``valid_from`` to ``valid_to`` (inclusive; None = still in force). Points the sources
do not settle are named settings with a conservative default (STYLE.md habit 13).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, assert_never

from saylau.model.errors import InputError, NotFound, Problem
from saylau.model.protocol import FieldDef, ProtocolSchema, Relation
from saylau.model.referendum import (
    Contest,
    ContestKind,
    DistrictContest,
    ElectionContest,
    PartyListContest,
    QuestionContest,
)
from saylau.rules.election_types import ContestMismatch, DistrictDef, PartyListDef, SettingRef

__all__ = [
    "KINDS",
    "OPS",
    "OPTIONS_PLACEHOLDER",
    "QUANTITIES",
    "ROUNDINGS",
    "ApprovalMode",
    "Condition",
    "Kind",
    "Op",
    "Preset",
    "PresetVersion",
    "ProtocolDef",
    "ProtocolRelation",
    "Quantity",
    "Rounding",
    "Scope",
    "SettingDef",
    "SettingRef",
    "Settings",
    "Source",
]

Quantity = Literal["registered", "participants", "yes", "no", "valid", "not_counted", "invalid"]
QUANTITIES: tuple[Quantity, ...] = ("registered", "participants", "yes", "no", "valid", "not_counted", "invalid")
Op = Literal[">", ">="]
OPS: tuple[Op, ...] = (">", ">=")
Rounding = Literal["ceil", "floor", "exact"]
ROUNDINGS: tuple[Rounding, ...] = ("ceil", "floor", "exact")
Scope = Literal["national", "units"]
Kind = Literal["referendum", "election"]
KINDS: tuple[Kind, ...] = ("referendum", "election")
# In an election protocol's relations: every option field of the contest (spec/contests.md §2).
OPTIONS_PLACEHOLDER = "@options"
ApprovalMode = Literal["all", "reject_if_all"]


@dataclass(frozen=True, slots=True)
class Source:
    cite: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class SettingDef:
    """A point the sources do not settle. ``why`` says why it is uncertain and cites both readings."""

    name: str
    description: str
    allowed: tuple[str, ...]
    default: str
    why: str


@dataclass(frozen=True, slots=True)
class Condition:
    """``num / den  op  threshold``, nationally or in each unit.

    For ``scope == "units"`` the condition must hold in units whose weights add up to ``quota`` of the
    total weight: ``units_yes quota_op rounding(quota * total)``. ``when`` lists (setting, value) pairs
    that must all match for the condition to apply at all.
    """

    id: str
    label: str
    scope: Scope
    num: Quantity
    den: Quantity | SettingRef
    op: Op
    threshold: Fraction
    source: str
    quota: Fraction | None = None
    quota_op: Op = ">="
    rounding: Rounding | SettingRef = "exact"
    when: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ProtocolRelation:
    relation: Relation
    when: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ProtocolDef:
    """The fields of a precinct protocol and its control relations, some switched by settings.

    ``kind`` "election": the ballot fields of a party-list or district contest, whose option fields
    the contest adds; its relations may name ``@options`` (spec/contests.md §2)."""

    name: str
    fields: tuple[FieldDef, ...]
    relations: tuple[ProtocolRelation, ...]
    settings: tuple[SettingDef, ...] = ()
    kind: Kind = "referendum"


class Settings(Mapping[str, str]):
    """Immutable name -> value mapping of every setting of a version (defaults filled in)."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, str]):
        self._values: dict[str, str] = dict(values)

    def __getitem__(self, key: str) -> str:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Settings({self._values!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._values.items())))

    def matches(self, when: tuple[tuple[str, str], ...]) -> bool:
        return all(self._values.get(name) == value for name, value in when)


@dataclass(frozen=True, slots=True)
class PresetVersion:
    id: str
    label: str
    valid_from: dt.date
    valid_to: dt.date | None
    sources: tuple[Source, ...]
    validity: tuple[Condition, ...]
    approval: tuple[Condition, ...]
    approval_mode: ApprovalMode
    settings: tuple[SettingDef, ...]
    protocol: ProtocolDef
    yes_share_base: Quantity | SettingRef | None = None
    notes: str = ""
    preset: str = ""  # the name of the preset holding this version
    kind: Kind = "referendum"  # the preset's kind
    party_list: PartyListDef | None = None
    district: DistrictDef | None = None

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def setting(self, name: str) -> SettingDef:
        for s in self.settings:
            if s.name == name:
                return s
        raise KeyError(name)

    def resolve_settings(self, overrides: Mapping[str, str]) -> Settings:
        """Defaults with ``overrides`` applied; every unknown name or disallowed value is reported."""
        known = {s.name: s for s in self.settings}
        problems: list[Problem] = []
        for name, value in overrides.items():
            sdef = known.get(name)
            if sdef is None:
                names = ", ".join(sorted(known)) or "none"
                msg = f"unknown setting {name!r} for version {self.id}; settings: {names}"
                problems.append(Problem(rule="unknown_setting", message=msg, field=name))
            elif value not in sdef.allowed:
                msg = f"{value!r} is not allowed for {name}; allowed: {', '.join(sdef.allowed)}"
                problems.append(Problem(rule="setting_value", message=msg, field=name))
        if problems:
            raise InputError(problems, summary="bad settings")
        return Settings({s.name: overrides.get(s.name, s.default) for s in self.settings})

    def protocol_schema(self, settings: Mapping[str, str], contest: Contest | None = None) -> ProtocolSchema:
        """The schema of one contest's protocol. A question (or None) takes a referendum preset's
        fields as they are; a party list or district takes an election preset's ballot fields plus
        one field per option, ``@options`` expanded to those fields. A mismatch raises ContestMismatch."""
        resolved = self.resolve_settings(settings)
        if contest is None:
            return self._question_schema(resolved, None)
        match contest:
            case QuestionContest():
                return self._question_schema(resolved, contest)
            case PartyListContest() | DistrictContest():
                self._require_kind("election", contest.kind, contest)
                return self._election_schema(resolved, contest)
            case _:
                assert_never(contest)

    def _question_schema(self, resolved: Settings, contest: QuestionContest | None) -> ProtocolSchema:
        self._require_kind("referendum", ContestKind.QUESTION, contest)
        relations = tuple(r.relation for r in self.protocol.relations if resolved.matches(r.when))
        return ProtocolSchema(fields=self.protocol.fields, relations=relations)

    def _require_kind(self, wanted: Kind, contest_kind: ContestKind, contest: Contest | None) -> None:
        if self.kind != wanted or self.protocol.kind != wanted:
            code = contest.code if contest is not None else None
            raise ContestMismatch(
                f"preset {self.preset or '?'} (version {self.id}) is a {self.kind} preset and cannot decide "
                f"a {contest_kind} contest{f' ({code})' if code else ''}",
                details={"preset": self.preset, "version": self.id, "kind": self.kind, "contest_kind": contest_kind},
            )

    def _election_schema(self, resolved: Settings, contest: ElectionContest) -> ProtocolSchema:
        options = contest.option_fields
        ballot = {f.name for f in self.protocol.fields}
        clash = sorted(ballot.intersection(options))
        if clash or not options or len(set(options)) != len(options):
            raise ContestMismatch(
                f"contest {contest.code}: option codes must be unique, non-empty and not ballot fields "
                f"(clash: {', '.join(clash) or 'none'})",
                code="option_fields",
                details={"contest": contest.code, "options": list(options), "clash": clash},
            )
        fields = self.protocol.fields + tuple(FieldDef(o.code, dict(o.names)) for o in contest.options)
        relations = tuple(
            Relation(r.relation.name, _expand(r.relation.left, options), r.relation.op,
                     _expand(r.relation.right, options), r.relation.source)
            for r in self.protocol.relations
            if resolved.matches(r.when)
        )  # fmt: skip
        return ProtocolSchema(fields=fields, relations=relations)

    def date_range(self) -> str:
        return f"{self.valid_from.isoformat()} .. {self.valid_to.isoformat() if self.valid_to else 'open'}"


def _expand(side: tuple[str, ...], options: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f for name in side for f in (options if name == OPTIONS_PLACEHOLDER else (name,)))


@dataclass(frozen=True, slots=True)
class Preset:
    name: str
    title: str
    kind: Kind
    description: str
    versions: tuple[PresetVersion, ...]

    def version_on(self, day: dt.date | None) -> PresetVersion:
        """The version in force on ``day``; None means the newest one."""
        if day is None:
            return max(self.versions, key=lambda v: v.valid_from)
        for version in self.versions:
            if version.in_force_on(day):
                return version
        ranges = "; ".join(f"{v.id}: {v.date_range()}" for v in self.versions)
        raise NotFound(
            f"preset {self.name} has no version in force on {day.isoformat()} (versions: {ranges})",
            code="no_version_on_date",
            details={"preset": self.name, "date": day.isoformat()},
        )
