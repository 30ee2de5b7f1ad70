"""The schema: migrations match the tables, and the database itself refuses invalid rows."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError
from tests.elections import SMALL, load

from saylau.model import Phase
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context
from saylau.services.paper.lifecycle import advance
from saylau.store import Store, migrate
from saylau.store import schema as t

NOW = dt.datetime(2022, 6, 5, tzinfo=dt.UTC)


def test_migrations_produce_exactly_the_declared_schema(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), t.metadata)
    assert diff == []
    migrate(store.engine)  # idempotent


def _event_with_territory(ctx: Context) -> int:
    load(ctx, SMALL, until=Phase.SETUP)
    with ctx.store.transaction() as tx:
        row = tx.find_event("small")
        assert row is not None
        return row.id


@pytest.mark.parametrize(
    ("table", "values"),
    [
        (t.unit, {"code": "X", "kind": "precinct", "parent_id": None, "position": 99, "registered": None}),
        (t.unit, {"code": "X", "kind": "planet", "parent_id": None, "position": 99, "registered": None}),
        (t.unit, {"code": "P1", "kind": "region", "parent_id": None, "position": 99, "registered": None}),
    ],
)
def test_the_database_enforces_invariants(ctx: Context, table, values) -> None:
    event_id = _event_with_territory(ctx)
    with pytest.raises(IntegrityError), ctx.store.engine.begin() as conn:
        conn.execute(insert(table), {"event_id": event_id, **values})


def test_entries_need_distinct_operators_and_corrections_a_reason(ctx: Context) -> None:
    event_id = _event_with_territory(ctx)
    with ctx.store.transaction() as tx:
        precinct = tx.unit_ids(event_id)["P1"]
    base = {
        "event_id": event_id,
        "precinct_id": precinct,
        "mode": "live",
        "round": 1,
        "operator": "a",
        "reason": None,
        "counts": "{}",
        "counts_sha256": "0" * 64,
        "decision": "awaiting_second",
        "source": None,
        "entered_at": NOW,
    }
    with ctx.store.engine.begin() as conn:
        conn.execute(insert(t.protocol_entry), base)
    with pytest.raises(IntegrityError), ctx.store.engine.begin() as conn:
        conn.execute(insert(t.protocol_entry), base)  # the same operator twice in one round
    with pytest.raises(IntegrityError), ctx.store.engine.begin() as conn:
        conn.execute(insert(t.protocol_entry), {**base, "operator": "b", "round": 2})  # a correction without reason


def test_a_phase_cannot_be_set_outside_the_lifecycle(ctx: Context) -> None:
    _event_with_territory(ctx)
    advance(ctx, "small", Phase.VOTING, LOCAL_CLI)
    with pytest.raises(IntegrityError), ctx.store.engine.begin() as conn:
        conn.execute(text("UPDATE event SET phase = 'counted' WHERE code = 'small'"))
