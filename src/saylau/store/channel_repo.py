"""E2e elections as channels of a referendum event's unit (spec/counting.md §5): the stored link, the
record events it reads, and the locks a link and a phase change take."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, insert, select

from saylau.record.events import Event, EventType
from saylau.store import e2e_schema as e
from saylau.store.e2e_repo import IN_CHUNK, E2eTx, event_from_row
from saylau.store.schema import event, unit

__all__ = ["ChannelLinkRow", "channel_links", "channel_stamp", "insert_channel_link", "lock_event"]


@dataclass(frozen=True, slots=True)
class ChannelLinkRow:
    """A link of an e2e election to one unit of an event, and where its record stands."""

    election_id: int
    election: str
    fingerprint: str
    event_id: int
    unit: str
    channel: str
    mapping: str  # canonical JSON, as stored
    result: Event | None  # the record's `result` event once it exists (then it is the head)
    tally: Event | None  # the `tally` event, read with the result (it holds the counted ballots)


def insert_channel_link(
    x: E2eTx, election_id: int, event_id: int, unit_id: int, channel: str, mapping: str, now: dt.datetime
) -> None:
    values = {
        "election_id": election_id,
        "event_id": event_id,
        "unit_id": unit_id,
        "channel": channel,
        "mapping": mapping,
        "linked_at": now,
    }
    x.conn.execute(insert(e.e2e_channel), values)


def channel_links(x: E2eTx, *, event_id: int | None = None, election_id: int | None = None) -> list[ChannelLinkRow]:
    """The links of an event (or of one election), in link order, each with its result and tally events
    when the record has a result (both read in one more query)."""

    c, el = e.e2e_channel, e.e2e_election
    query = (
        select(c, el.c.code.label("election"), el.c.fingerprint, unit.c.code.label("unit"))
        .join(el, el.c.id == c.c.election_id)
        .join(unit, unit.c.id == c.c.unit_id)
        .order_by(c.c.id)
    )
    if event_id is not None:
        query = query.where(c.c.event_id == event_id)
    if election_id is not None:
        query = query.where(c.c.election_id == election_id)
    rows = x.conn.execute(query).all()
    ev = e.e2e_event
    wanted = [EventType.RESULT.value, EventType.TALLY.value]
    found: dict[tuple[int, str], Event] = {}
    ids = [r.election_id for r in rows]
    for start in range(0, len(ids), IN_CHUNK):
        events = x.conn.execute(
            select(ev).where(ev.c.election_id.in_(ids[start : start + IN_CHUNK]), ev.c.type.in_(wanted))
        )
        found.update(((r.election_id, r.type), event_from_row(r)) for r in events)
    out = []
    for r in rows:
        result = found.get((r.election_id, EventType.RESULT.value))
        tally = found.get((r.election_id, EventType.TALLY.value)) if result is not None else None
        out.append(
            ChannelLinkRow(
                r.election_id, r.election, r.fingerprint, r.event_id, r.unit, r.channel, r.mapping, result, tally
            )
        )
    return out


def channel_stamp(x: E2eTx, event_id: int) -> tuple[int, int]:
    """(links of the event, linked elections whose record has a result): changes when a result appears."""
    c, ev = e.e2e_channel, e.e2e_event
    links = x.conn.execute(select(func.count()).select_from(c).where(c.c.event_id == event_id)).scalar_one()
    counted = x.conn.execute(
        select(func.count())
        .select_from(c)
        .join(ev, ev.c.election_id == c.c.election_id)
        .where(c.c.event_id == event_id, ev.c.type == EventType.RESULT.value)
    ).scalar_one()
    return int(links), int(counted)


def lock_event(x: E2eTx, event_id: int) -> str:
    """SELECT … FOR UPDATE on the event's row (PostgreSQL; SQLite's write transaction already holds the
    write lock) and its phase as now committed: a link and a phase change then never pass each other."""

    query = select(event.c.phase).where(event.c.id == event_id)
    if x.conn.dialect.name != "sqlite":
        query = query.with_for_update()
    return str(x.conn.execute(query).scalar_one())
