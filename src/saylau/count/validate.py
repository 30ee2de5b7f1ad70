"""Blocking checks of one precinct protocol: shape, values and control relations (spec/counting.md §1).

:func:`validate` names every problem at once in a :class:`ProtocolRejected`. A protocol that passes may
still be implausible; its warnings (spec/counting.md §2) are returned, and the protocol is accepted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from saylau.count.plausibility import DEFAULT_PLAUSIBILITY, Plausibility, warnings_for
from saylau.model.errors import ProtocolRejected
from saylau.model.ids import QuestionCode
from saylau.model.protocol import Protocol, ProtocolSchema, Relation
from saylau.model.results import PrecinctWarning

__all__ = ["check_relation", "validate"]

_NEGATION = {"==": "≠", "<=": ">", ">=": "<"}


Schemas = ProtocolSchema | Mapping[QuestionCode, ProtocolSchema]


def validate(
    schema: Schemas,
    protocol: Protocol,
    questions: Sequence[QuestionCode],
    *,
    registered: int | None = None,
    plausibility: Plausibility = DEFAULT_PLAUSIBILITY,
    file: str | None = None,
    line: int | None = None,
) -> tuple[PrecinctWarning, ...]:
    """Refuse the protocol (naming every problem) or return its plausibility warnings.

    ``schema`` is one schema for every question (a referendum) or one per contest (an election, whose
    contests have their own option fields). ``questions`` are the contests on this precinct's ballot.
    ``registered`` is the precinct's register (``Unit.registered``); when given, the protocol's own
    ``registered`` field is compared with it (a warning, never a refusal).
    """
    if not _clean(schema, protocol, questions):
        violations = _violations(schema, protocol, questions)
        if violations:
            raise ProtocolRejected(protocol.precinct, violations, file=file, line=line)
    out: list[PrecinctWarning] = []
    for question in questions:
        out.extend(warnings_for(protocol.precinct, question, protocol.counts[question], registered, plausibility))
    return tuple(out)


def _schema_of(schema: Schemas, question: QuestionCode) -> ProtocolSchema:
    return schema if isinstance(schema, ProtocolSchema) else schema[question]


def _clean(schema: Schemas, protocol: Protocol, questions: Sequence[QuestionCode]) -> bool:
    """The common case, checked quickly: the right questions and fields, plain counts, every relation
    holds. Anything else goes through :func:`_violations`, which names every problem."""
    if len(protocol.counts) != len(questions):
        return False
    try:
        for question in questions:
            counts = protocol.counts[question]
            one = _schema_of(schema, question)
            names = one.field_names
            if len(counts) != len(names) or not all(type(counts[f]) is int and counts[f] >= 0 for f in names):
                return False
            if not all(relation.holds(counts) for relation in one.relations):
                return False
    except KeyError:  # a missing question or field, or a relation over a field the schema lacks
        return False
    return True


def _violations(schema: Schemas, protocol: Protocol, questions: Sequence[QuestionCode]) -> list[str]:
    violations = _shape_violations(protocol.counts, questions)
    for question in questions:
        counts = protocol.counts.get(question)
        if counts is None:
            continue
        one = _schema_of(schema, question)
        names = one.field_names
        violations.extend(_field_violations(question, counts, names))
        good = {f: v for f, v in counts.items() if f in names and _is_count(v)}
        for relation in one.relations:
            problem = check_relation(relation, good, names)
            if problem is not None:
                violations.append(f"question {question}: {problem}")
    return violations


def check_relation(relation: Relation, counts: Mapping[str, int], schema_fields: Sequence[str]) -> str | None:
    """None if the relation holds (or cannot be evaluated because a field was already refused),
    else a message naming the relation, its values and its source."""
    used = relation.left + relation.right
    unknown = [f for f in used if f not in schema_fields]
    if unknown:
        return f"relation {relation.name} uses field(s) {', '.join(unknown)} that the schema does not define"
    if any(f not in counts for f in used):
        return None
    if relation.holds(counts):
        return None
    lhs = _side(relation.left, counts)
    rhs = _side(relation.right, counts)
    return f"{relation.describe()}: {lhs} {_NEGATION[relation.op]} {rhs} ({relation.source}) [{relation.name}]"


def _side(fields: tuple[str, ...], counts: Mapping[str, int]) -> str:
    values = [counts[f] for f in fields]
    if len(values) == 1:
        return str(values[0])
    return " + ".join(str(v) for v in values) + f" = {sum(values)}"


def _is_count(value: object) -> bool:
    return type(value) is int and value >= 0


def _shape_violations(counts: Mapping[QuestionCode, object], questions: Sequence[QuestionCode]) -> list[str]:
    out = [f"question {q}: missing from the protocol" for q in questions if q not in counts]
    out.extend(f"question {q}: not a question of this referendum" for q in counts if q not in questions)
    return out


def _field_violations(question: QuestionCode, counts: Mapping[str, object], names: Sequence[str]) -> list[str]:
    out = [f"question {question}: field {f} missing" for f in names if f not in counts]
    for f, value in counts.items():
        if f not in names:
            out.append(f"question {question}: field {f} is not a field of the protocol")
        elif not _is_count(value):
            out.append(f"question {question}: field {f} = {value!r} is not a non-negative whole number")
    return out
