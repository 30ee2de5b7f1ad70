"""E-ballots as their own channel of a unit in the paper aggregation (spec/counting.md §5, issue 4).

An e2e election (its own verifiable record) is linked to one unit of a referendum event: each of its
questions to one question contest of the event, each option to a counting category of the preset's
protocol. Once its record has the ``result`` event, its counts join the event's aggregation as the
channel ``electronic`` at that unit, so that one outcome covers paper and e-ballots.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from saylau.crypto.ballot import QuestionSpec
from saylau.model import (
    Conflict,
    ContestKind,
    InputError,
    LifecycleError,
    Phase,
    Problem,
    ProtocolSchema,
    QuestionCode,
    Referendum,
    Territory,
    UnitCode,
    UnitKind,
)
from saylau.model.results import ChannelSource
from saylau.record.events import Phase as E2ePhase
from saylau.services.context import Context
from saylau.services.e2e import load_state
from saylau.services.events import event_rules, load_event, require_territory
from saylau.store import EventRow, Tx
from saylau.store.canonical import canonical_json
from saylau.store.e2e_repo import ChannelLinkRow, E2eTx, channel_links, insert_channel_link, lock_event

__all__ = [
    "CHANNEL",
    "ChannelLink",
    "ChannelMapping",
    "QuestionLink",
    "channel_contribution",
    "channel_sources",
    "counting_categories",
    "derive_mapping",
    "link_channel",
    "pending_channels",
]

CHANNEL = "electronic"
_CLOSED = (Phase.FINAL, Phase.CERTIFIED)


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
    contests = {q.code: q for q in ref.questions if q.kind is ContestKind.QUESTION}
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


def _unit_problem(ref: Referendum, territory: Territory, unit: str, mapping: ChannelMapping) -> str | None:
    if unit not in territory:
        return f"unit {unit!r} is not in the territory of event {ref.code}"
    if territory[UnitCode(unit)].kind is UnitKind.PRECINCT:
        return f"unit {unit!r} is a precinct (its count is its paper protocol): link a district, region or above"
    scopes = {q.code: q.scope for q in ref.questions}
    for q in mapping.questions:
        scope = scopes[q.contest]
        if scope is not None and scope != unit and scope not in territory.ancestors(UnitCode(unit)):
            return f"question {q.contest} is on the ballot under {scope} only, and {unit} is not there"
    return None


def link_channel(
    ctx: Context,
    election: str,
    event: str,
    unit: str,
    question_map: Mapping[str, str] | None = None,
    option_map: Mapping[str, str] | None = None,
) -> ChannelLink:
    """Link ``election`` to ``unit`` of ``event`` as its electronic channel (refused once the election
    has a result or the event is final/certified; an election links to one (event, unit) only)."""
    now = ctx.clock()
    with ctx.store.transaction(write=True) as tx:
        x = E2eTx(tx)
        x.lock_election(election)
        state = load_state(x, election)
        row = load_event(tx, event)
        phase = Phase(lock_event(x, row.id))  # locked: a concurrent `phase final` waits, or is seen here
        if phase in _CLOSED:
            raise LifecycleError(f"event {event!r} is {phase}: no channel can be linked any more", code="closed")
        if state.phase is E2ePhase.PUBLISHED:
            raise LifecycleError(
                f"e2e election {election!r} already has a result: link it before its result is published",
                code="channel_after_result",
            )
        existing = channel_links(x, election_id=state.row.id)
        if existing:
            raise Conflict(
                f"e2e election {election!r} is already linked to {existing[0].unit} of another or the same event",
                code="channel_linked",
                details={"unit": existing[0].unit},
            )
        territory = require_territory(tx, row)
        rules = event_rules(row.referendum)
        schemas = {q.code: rules.version.protocol_schema(rules.settings, q) for q in row.referendum.questions}
        mapping = derive_mapping(state.manifest.questions, row.referendum, schemas, question_map, option_map)
        problem = _unit_problem(row.referendum, territory, unit, mapping)
        if problem is not None:
            raise InputError([Problem(rule="channel_unit", field="unit", message=problem)], summary=problem)
        taken = [c for c in channel_links(x, event_id=row.id) if c.unit == unit and c.channel == CHANNEL]
        if taken:
            raise Conflict(
                f"unit {unit} of event {event!r} already has an {CHANNEL} channel (e2e election {taken[0].election})",
                code="channel_taken",
            )
        unit_id = tx.unit_ids(row.id)[UnitCode(unit)]
        insert_channel_link(x, state.row.id, row.id, unit_id, CHANNEL, canonical_json(mapping.plain()), now)
        details = {"election": election, "unit": unit, "mapping": mapping.plain()}
        tx.audit(event, ctx.actor, "e2e.link", "ok", details, now)
    return ChannelLink(election, state.row.fingerprint, event, UnitCode(unit), CHANNEL, mapping)


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
    links: Sequence[ChannelLinkRow], took_part: Mapping[QuestionCode, str]
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


def pending_channels(tx: Tx, row: EventRow) -> list[ChannelLinkRow]:
    """The event's linked e2e elections whose record has no result yet."""
    return [link for link in channel_links(E2eTx(tx), event_id=row.id) if link.result is None]
