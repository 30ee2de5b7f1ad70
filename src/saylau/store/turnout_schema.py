"""Intraday turnout reports and results embargoes: tables on the shared ``metadata`` and their repository.

Both are append-only. A turnout report is one unit's figures at one fixed hour of polling day (local
hour label, e.g. "10:00"); an embargo is the closing times of the polls, the latest row in force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
    select,
)

from saylau.model import UnitCode
from saylau.store.repo import Tx
from saylau.store.schema import metadata
from saylau.store.schema import unit as unit_table

__all__ = ["NewTurnout", "TurnoutRow", "TurnoutTx", "embargo", "turnout_report"]

# "HH:MM", 00:00 to 23:59: GLOB is SQLite-only, so the check is spelled with substr and BETWEEN (habit 12)
_HOUR = (
    "length(at) = 5 AND substr(at, 3, 1) = ':' AND substr(at, 1, 2) BETWEEN '00' AND '23'"
    " AND substr(at, 4, 2) BETWEEN '00' AND '59'"
)

turnout_report = Table(
    "turnout_report",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", ForeignKey("event.id"), nullable=False),
    Column("unit_id", ForeignKey("unit.id"), nullable=False),
    Column("at", String(5), nullable=False),  # local hour label of the report, e.g. "10:00"
    Column("registered", Integer, nullable=False),
    Column("voted", Integer, nullable=False),
    Column("reported_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("event_id", "unit_id", "at", name="uq_turnout_report_event_unit_at"),
    CheckConstraint("registered >= 0 AND voted >= 0 AND voted <= registered", name="counts"),
    CheckConstraint(_HOUR, name="at_hour"),
)

# The closing times of the polls (canonical JSON, spec/formats.md "Embargo"); the latest row is in force.
embargo = Table(
    "embargo",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", ForeignKey("event.id"), nullable=False),
    Column("polls_close", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
)


@dataclass(frozen=True, slots=True)
class NewTurnout:
    unit: UnitCode
    at: str
    registered: int
    voted: int


@dataclass(frozen=True, slots=True)
class TurnoutRow:
    unit: UnitCode
    at: str
    registered: int
    voted: int
    reported_at: dt.datetime


class TurnoutTx:
    """The turnout and embargo tables inside one store transaction."""

    def __init__(self, tx: Tx):
        self.tx = tx
        self.conn = tx.conn

    def append_turnout(self, event_id: int, rows: list[NewTurnout], now: dt.datetime) -> None:
        ids = self.tx.unit_ids(event_id)
        self.conn.execute(
            insert(turnout_report),
            [
                {
                    "event_id": event_id,
                    "unit_id": ids[r.unit],
                    "at": r.at,
                    "registered": r.registered,
                    "voted": r.voted,
                    "reported_at": now,
                }
                for r in rows
            ],
        )

    def turnout(self, event_id: int) -> list[TurnoutRow]:
        c = turnout_report.c
        rows = self.conn.execute(
            select(unit_table.c.code, c.at, c.registered, c.voted, c.reported_at)
            .join(unit_table, unit_table.c.id == c.unit_id)
            .where(c.event_id == event_id)
            .order_by(c.at, unit_table.c.position, unit_table.c.id)
        ).all()
        return [TurnoutRow(UnitCode(r[0]), r[1], r[2], r[3], r[4]) for r in rows]

    def append_embargo(self, event_id: int, polls_close: str, actor: str, now: dt.datetime) -> None:
        self.conn.execute(
            insert(embargo),
            {"event_id": event_id, "polls_close": polls_close, "created_at": now, "actor": actor},
        )

    def embargo(self, event_id: int) -> str | None:
        c = embargo.c
        row = self.conn.execute(
            select(c.polls_close).where(c.event_id == event_id).order_by(c.id.desc()).limit(1)
        ).first()
        return None if row is None else str(row[0])
