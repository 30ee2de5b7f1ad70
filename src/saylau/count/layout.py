"""What an event's protocols look like: per contest its schema, its aggregation block and its scope."""

from __future__ import annotations

from dataclasses import dataclass

from saylau.count import ContestLayout
from saylau.model import ProtocolSchema, QuestionCode, Referendum, Territory, UnitCode
from saylau.rules import PresetVersion, Settings, load_preset

__all__ = [
    "EventRules",
    "ProtocolLayout",
    "event_rules",
    "protocol_layout",
]


@dataclass(frozen=True, slots=True)
class ProtocolLayout:
    schemas: dict[QuestionCode, ProtocolSchema]
    layouts: tuple[ContestLayout, ...]
    everywhere: tuple[QuestionCode, ...]
    scoped: dict[UnitCode, tuple[QuestionCode, ...]]  # precinct -> its scoped contests (districts)

    @property
    def fields(self) -> dict[QuestionCode, tuple[str, ...]]:
        return {code: schema.field_names for code, schema in self.schemas.items()}

    def contests_of(self, precinct: str) -> tuple[QuestionCode, ...]:
        """The contests on this precinct's ballot, in the event's order."""
        extra = self.scoped.get(UnitCode(precinct), ())
        if not extra:
            return self.everywhere
        mine = set(self.everywhere) | set(extra)
        return tuple(c.contest for c in self.layouts if c.contest in mine)


def protocol_layout(ref: Referendum, rules: EventRules, territory: Territory) -> ProtocolLayout:
    schemas = {q.code: rules.version.protocol_schema(rules.settings, q) for q in ref.contests}
    layouts = tuple(ContestLayout(q.code, schemas[q.code].field_names, q.scope) for q in ref.contests)
    scoped: dict[UnitCode, list[QuestionCode]] = {}
    for q in ref.contests:
        if q.scope is not None:
            for precinct in territory.precincts(q.scope):
                scoped.setdefault(precinct, []).append(q.code)
    everywhere = tuple(q.code for q in ref.contests if q.scope is None)
    return ProtocolLayout(schemas, layouts, everywhere, {p: tuple(c) for p, c in scoped.items()})


@dataclass(frozen=True, slots=True)
class EventRules:
    version: PresetVersion
    settings: Settings


def event_rules(ref: Referendum) -> EventRules:
    """The preset version in force on the voting day, with the event's settings applied."""
    version = load_preset(ref.preset).version_on(ref.date)
    return EventRules(version, version.resolve_settings(ref.settings))
