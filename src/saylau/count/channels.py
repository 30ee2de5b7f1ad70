"""E-ballots as a channel of a unit in the paper aggregation, the pure part (spec/counting.md §5): the
mapping of an e2e election's questions and options onto the event's protocol categories, and what a
result brings per question."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from saylau.model import (
    InputError,
    LifecycleError,
    Problem,
    ProtocolSchema,
    QuestionCode,
    QuestionContest,
    Referendum,
    UnitCode,
)
from saylau.model.results import ChannelSource

__all__ = [
    "CHANNEL",
    "ChannelLink",
    "ChannelMapping",
    "LinkedRecord",
    "QuestionLink",
    "channel_contribution",
    "channel_sources",
    "counting_categories",
    "derive_mapping",
]

CHANNEL = "electronic"


class QuestionSpec(Protocol):
    """What the mapping reads of an e2e question (the manifest's ``crypto.ballot.QuestionSpec`` is one)."""

    @property
    def question_id(self) -> str: ...
    @property
    def options(self) -> Sequence[str]: ...
    @property
    def min_selections(self) -> int: ...
    @property
    def max_selections(self) -> int: ...


class RecordEvent(Protocol):
    """What the channel reads of a record event: its payload (canonical JSON) and its hash."""

    @property
    def payload(self) -> str: ...
    @property
    def hash(self) -> str: ...


class LinkedRecord(Protocol):
    """A stored link of an e2e election to a unit, with its record's ``result`` and ``tally`` events once
    they exist (the store's ``ChannelLinkRow`` is one)."""

    @property
    def election(self) -> str: ...
    @property
    def fingerprint(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def mapping(self) -> str: ...
    @property
    def result(self) -> RecordEvent | None: ...
    @property
    def tally(self) -> RecordEvent | None: ...


@dataclass(frozen=True, slots=True)
class QuestionLink:
    """One e2e question, the event question it counts in, and each option's counting category, in the
    manifest's option order (``options[o]`` receives ``counts[q][o]`` of the record's result)."""

    question: str
    contest: QuestionCode
    options: tuple[tuple[str, str], ...]  # (option, protocol field)


@dataclass(frozen=True, slots=True)
class ChannelMapping:
    questions: tuple[QuestionLink, ...]  # in the manifest's question order

    def plain(self) -> dict[str, object]:
        return {
            "questions": [
                {
                    "question": q.question,
                    "contest": q.contest,
                    "options": [{"option": o, "field": f} for o, f in q.options],
                }
                for q in self.questions
            ]
        }

    @staticmethod
    def from_json(text: str) -> ChannelMapping:
        data = json.loads(text)
        return ChannelMapping(
            tuple(
                QuestionLink(
                    q["question"], QuestionCode(q["contest"]), tuple((o["option"], o["field"]) for o in q["options"])
                )
                for q in data["questions"]
            )
        )


@dataclass(frozen=True, slots=True)
class ChannelLink:
    election: str
    fingerprint: str
    event: str
    unit: UnitCode
    channel: str
    mapping: ChannelMapping


def counting_categories(schema: ProtocolSchema, preset: str) -> tuple[str, tuple[str, ...]]:
    """The field that counts the ballots found (took part) and the categories they are sorted into: the
    protocol's relation ``took_part == yes + no + …`` (kazakhstan.md §2.2: participated == yes + no +
    not_counted + invalid). A preset without such a relation cannot take a channel."""
    for r in schema.relations:
        if r.op == "==" and len(r.left) == 1 and "yes" in r.right and "no" in r.right:
            return r.left[0], r.right
    raise InputError(
        [
            Problem(
                rule="channel_categories", field="protocol", message=f"preset {preset}: no relation sorts the ballots"
            )
        ],
        summary=f"preset {preset}'s protocol has no relation 'took part == yes + no + …': it cannot count e-ballots",
    )


def _question_map(
    specs: Sequence[QuestionSpec], ref: Referendum, overrides: Mapping[str, str], problems: list[Problem]
) -> dict[str, QuestionCode]:
    """e2e question -> event question: as given, else the question of the same code, else the only one."""
    contests = {q.code: q for q in ref.contests if isinstance(q, QuestionContest)}
    ids = [s.question_id for s in specs]
    problems.extend(
        Problem(rule="channel_map", field=k, message=f"{k!r} is not a question of the e2e election ({', '.join(ids)})")
        for k in overrides
        if k not in ids
    )
    out: dict[str, QuestionCode] = {}
    for s in specs:
        target = overrides.get(s.question_id)
        if target is None:
            same = QuestionCode(s.question_id)
            only = list(contests) if len(specs) == 1 and len(contests) == 1 else []
            target = same if same in contests else (only[0] if only else None)
        if target is None:
            problems.append(
                Problem(
                    rule="channel_map",
                    field=s.question_id,
                    message=f"no question {s.question_id!r} in event {ref.code}: give --map {s.question_id}=QUESTION",
                )
            )
        elif target not in contests:
            problems.append(
                Problem(
                    rule="channel_map",
                    field=s.question_id,
                    message=f"{target!r} is not a question contest of event {ref.code} ({', '.join(contests)})",
                )
            )
        else:
            out[s.question_id] = QuestionCode(target)
    targets = list(out.values())
    problems.extend(
        Problem(rule="channel_map", field=str(t), message=f"two e2e questions map onto {t}")
        for t in sorted(set(targets))
        if targets.count(t) > 1
    )
    return out


def _option_field(
    spec: QuestionSpec, option: str, override: str | None, categories: tuple[str, ...], preset: str
) -> tuple[str | None, Problem | None]:
    """An option named like a category counts there (yes → yes, no → no) and cannot be moved to
    another; any other option needs an explicit category. Blank only where the protocol has one."""
    where = f"{spec.question_id}.{option}"
    listed = ", ".join(categories)
    named = option.lower()
    if override is not None and named in categories and override != named:
        return None, Problem(rule="channel_option", field=where, message=f"option {option!r} counts as {named!r} only")
    target = override or (named if named in categories else None)
    if target is None:
        why = (
            f"preset {preset}'s protocol has no category for blank ballots ({listed}); where the law counts them "
            f"in one of these, say which with --option {where}=FIELD"
            if named == "blank"
            else f"option {option!r} is not a counting category of preset {preset} ({listed}): "
            f"give --option {where}=FIELD"
        )
        return None, Problem(rule="channel_option", field=where, message=why)
    if target not in categories:
        return None, Problem(
            rule="channel_option", field=where, message=f"{target!r} is not a counting category of {preset} ({listed})"
        )
    return target, None


def derive_mapping(
    specs: Sequence[QuestionSpec],
    ref: Referendum,
    schemas: Mapping[QuestionCode, ProtocolSchema],
    question_map: Mapping[str, str] | None = None,
    option_map: Mapping[str, str] | None = None,
) -> ChannelMapping:
    """The mapping of every e2e question and option (defaults from names; ``question_map`` EQ → Q and
    ``option_map`` "EQ.OPTION" → field override them). Every problem is reported at once."""
    problems: list[Problem] = []
    options = dict(option_map or {})
    questions = _question_map(specs, ref, question_map or {}, problems)
    known = {f"{s.question_id}.{o}" for s in specs for o in s.options}
    problems.extend(
        Problem(rule="channel_option", field=k, message="not an option of the e2e election (QUESTION.OPTION)")
        for k in options
        if k not in known
    )
    links: list[QuestionLink] = []
    for s in specs:
        if not s.min_selections == s.max_selections == 1:
            problems.append(
                Problem(
                    rule="channel_selections",
                    field=s.question_id,
                    message=f"allows {s.min_selections}..{s.max_selections} selections: a channel needs exactly one "
                    "per ballot, so each counted ballot lands in one category",
                )
            )
        contest = questions.get(s.question_id)
        if contest is None:
            continue
        _, categories = counting_categories(schemas[contest], ref.preset)
        pairs: list[tuple[str, str]] = []
        for o in s.options:
            target, problem = _option_field(s, o, options.get(f"{s.question_id}.{o}"), categories, ref.preset)
            if problem is not None:
                problems.append(problem)
            elif target is not None:
                pairs.append((o, target))
        links.append(QuestionLink(s.question_id, contest, tuple(pairs)))
    if problems:
        raise InputError(problems, summary="the e2e election cannot be linked as a channel")
    return ChannelMapping(tuple(links))


def channel_contribution(
    mapping: ChannelMapping, counts: Sequence[Sequence[int]], ballots: int, took_part: Mapping[QuestionCode, str]
) -> dict[QuestionCode, dict[str, int]]:
    """What a result brings per event question: every counted ballot to the took-part field (never to
    ``registered``: e-voters are on the paper register already) and each option's count to its category."""
    out: dict[QuestionCode, dict[str, int]] = {}
    for qi, q in enumerate(mapping.questions):
        row = counts[qi]
        if len(row) != len(q.options) or sum(row) != ballots:
            raise LifecycleError(
                f"the result of e2e question {q.question} ({list(row)}) does not add up to its {ballots} ballots",
                code="channel_result_shape",
            )
        per: dict[str, int] = {took_part[q.contest]: ballots}
        for (_, fld), n in zip(q.options, row, strict=True):
            per[fld] = per.get(fld, 0) + n
        out[q.contest] = per
    return out


def channel_sources(
    links: Sequence[LinkedRecord], took_part: Mapping[QuestionCode, str]
) -> list[tuple[ChannelSource, dict[QuestionCode, dict[str, int]] | None]]:
    """Each link as published (pending, or counted with the record's head) and, once counted, its counts."""
    out: list[tuple[ChannelSource, dict[QuestionCode, dict[str, int]] | None]] = []
    for link in links:
        mapping = ChannelMapping.from_json(link.mapping)
        questions = {q.question: q.contest for q in mapping.questions}
        if link.result is None or link.tally is None:
            pending = ChannelSource(
                link.channel, UnitCode(link.unit), link.election, link.fingerprint, "pending", questions=questions
            )
            out.append((pending, None))
            continue
        counts = json.loads(link.result.payload)["counts"]
        ballots = int(json.loads(link.tally.payload)["tally"]["ballots"])
        contribution = channel_contribution(mapping, counts, ballots, took_part)
        source = ChannelSource(
            link.channel,
            UnitCode(link.unit),
            link.election,
            link.fingerprint,
            "counted",
            head=link.result.hash,
            ballots=ballots,
            questions=questions,
        )
        out.append((source, contribution))
    return out
