"""What an event's protocols look like: per contest its schema, its aggregation block and its scope."""

from __future__ import annotations

from dataclasses import dataclass

from saylau.count import ContestLayout
from saylau.model import ProtocolSchema, QuestionCode, Referendum, Territory, UnitCode
from saylau.services.events import EventRules

__all__ = ["Ballot", "ballot_of"]


@dataclass(frozen=True, slots=True)
class Ballot:
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


def ballot_of(ref: Referendum, rules: EventRules, territory: Territory) -> Ballot:
    schemas = {q.code: rules.version.protocol_schema(rules.settings, q) for q in ref.questions}
    layouts = tuple(ContestLayout(q.code, schemas[q.code].field_names, q.scope) for q in ref.questions)
    scoped: dict[UnitCode, list[QuestionCode]] = {}
    for q in ref.questions:
        if q.scope is not None:
            for precinct in territory.precincts(q.scope):
                scoped.setdefault(precinct, []).append(q.code)
    everywhere = tuple(q.code for q in ref.questions if q.scope is None)
    return Ballot(schemas, layouts, everywhere, {p: tuple(c) for p, c in scoped.items()})
