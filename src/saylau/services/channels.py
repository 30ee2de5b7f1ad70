"""E-ballots as their own channel of a unit in the paper aggregation (spec/counting.md §5, issue 4).

An e2e election (its own verifiable record) is linked to one unit of a referendum event: each of its
questions to one question contest of the event, each option to a counting category of the preset's
protocol. Once its record has the ``result`` event, its counts join the event's aggregation as the
channel ``electronic`` at that unit, so that one outcome covers paper and e-ballots.
"""

from __future__ import annotations

from collections.abc import Mapping

from saylau.count.channels import CHANNEL, ChannelLink, ChannelMapping, derive_mapping
from saylau.count.layout import event_rules
from saylau.model import (
    Conflict,
    InputError,
    LifecycleError,
    Phase,
    Problem,
    Referendum,
    Territory,
    UnitCode,
    UnitKind,
)
from saylau.record.events import E2ePhase
from saylau.services.context import Context
from saylau.services.e2e.state import load_state
from saylau.services.lookup import load_event, require_territory
from saylau.store.canonical import canonical_json
from saylau.store.channel_repo import channel_links, insert_channel_link, lock_event
from saylau.store.e2e_repo import E2eTx

__all__ = ["link_channel"]

_CLOSED = (Phase.FINAL, Phase.CERTIFIED)


def _unit_problem(ref: Referendum, territory: Territory, unit: str, mapping: ChannelMapping) -> str | None:
    if unit not in territory:
        return f"unit {unit!r} is not in the territory of event {ref.code}"
    if territory[UnitCode(unit)].kind is UnitKind.PRECINCT:
        return f"unit {unit!r} is a precinct (its count is its paper protocol): link a district, region or above"
    scopes = {q.code: q.scope for q in ref.contests}
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
        schemas = {q.code: rules.version.protocol_schema(rules.settings, q) for q in row.referendum.contests}
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
