"""The schema: migrations match the tables, and the database itself refuses invalid rows."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, insert, text
from sqlalchemy.exc import IntegrityError
from tests.elections import SMALL, load
from tests.pgschema import temporary_schema

from saylau.model import Phase
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context
from saylau.services.paper.lifecycle import advance
from saylau.store import Store, connect, is_current, migrate, migrate_step_by_step
from saylau.store import schema as t
from saylau.store.db import HEAD_REVISION, script_head

NOW = dt.datetime(2022, 6, 5, tzinfo=dt.UTC)


def test_migrations_produce_exactly_the_declared_schema(db_url: str) -> None:
    engine = connect(db_url)
    try:
        migrate_step_by_step(engine)  # every migration from the first, as an existing database takes them
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), t.metadata)
        assert diff == []
        migrate(engine)  # idempotent
    finally:
        engine.dispose()


def _sqlite_schema(engine: Engine) -> dict[tuple[str, str], frozenset[str]]:
    """Each table's and index's definition as the set of its clauses (order and quoting aside)."""
    out = {}
    with engine.connect() as conn:
        for kind, name, sql in conn.execute(text("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL")):
            body = re.sub(r"\s+", " ", sql).replace('"', "")
            head, _, rest = body.partition("(")
            rest = rest.strip().removesuffix(")")
            out[(kind, name)] = frozenset(
                [head.strip(), *(c.strip() for c in re.split(r", (?=CONSTRAINT |[a-z_]+ [A-Z])", rest))]
            )
    return out


def _postgresql_schema(engine: Engine) -> dict[tuple[str, str], frozenset[str]]:
    """Each table's columns, constraints and indexes as PostgreSQL's catalogue states them."""
    queries = {
        "columns": "SELECT table_name, column_name || ' ' || data_type || ' ' || is_nullable || ' '"
        " || coalesce(column_default, '') || ' ' || coalesce(character_maximum_length::text, '')"
        " FROM information_schema.columns WHERE table_schema = current_schema()",
        "constraints": "SELECT c.relname, k.conname || ' ' || pg_get_constraintdef(k.oid) FROM pg_constraint k"
        " JOIN pg_class c ON c.oid = k.conrelid WHERE c.relnamespace = current_schema()::regnamespace",
        "indexes": "SELECT tablename, indexname || ' ' || replace(indexdef, current_schema() || '.', '')"
        " FROM pg_indexes WHERE schemaname = current_schema()",
        "sequences": "SELECT sequencename, data_type || ' ' || start_value || ' ' || increment_by FROM pg_sequences"
        " WHERE schemaname = current_schema()",
    }
    out: dict[tuple[str, str], set[str]] = {}
    with engine.connect() as conn:
        for kind, query in queries.items():
            for name, item in conn.execute(text(query)):
                out.setdefault((kind, name), set()).add(item)
    return {k: frozenset(v) for k, v in out.items()}


def test_a_new_database_is_built_as_the_migrations_build_it(db_url: str, tmp_path: Path) -> None:
    """``migrate`` builds an empty database from the declared schema and stamps it (Alembic's cookbook);
    the fifteen migrations build an existing one. Both must give the same tables, columns, types, defaults,
    CHECK, UNIQUE and FOREIGN KEY constraints, indexes and sequences, and the same revision."""
    sqlite = db_url.startswith("sqlite")
    schema = _sqlite_schema if sqlite else _postgresql_schema
    with contextlib.ExitStack() as stack:
        other = f"sqlite:///{tmp_path / 'step_by_step.db'}" if sqlite else stack.enter_context(temporary_schema("s"))
        fresh, stepwise = connect(db_url), connect(other)
        stack.callback(fresh.dispose)
        stack.callback(stepwise.dispose)
        migrate(fresh)
        migrate_step_by_step(stepwise)
        a, b = schema(fresh), schema(stepwise)
        assert a.keys() == b.keys()
        assert {k: sorted(v ^ b[k]) for k, v in a.items() if v != b[k]} == {}
        assert len(a) > 30  # the catalogue was read: 31 tables (and, on PostgreSQL, their parts)
        for engine in (fresh, stepwise):
            assert is_current(engine)


def test_the_head_revision_written_in_the_store_is_the_migration_scripts_head() -> None:
    """``migrate`` and ``is_current`` compare the database's stamp with HEAD_REVISION (no Alembic loaded
    on a current database): a new migration must move it."""
    assert script_head() == HEAD_REVISION


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


def test_an_audit_row_for_a_code_no_event_can_have_is_written_without_the_event(store: Store) -> None:
    """A request naming an event code longer than any event's (the route fuzz sent 5,000 digits to
    /commission/events/{code}/rla/manifest): its refusal is still logged, on PostgreSQL too (VARCHAR(64)),
    without an event and with the name it gave, cut."""
    long = "9" * 5000
    with store.transaction(write=True) as tx:
        tx.audit(long, "central", "audit.manifest", "refused", {"code": "not_found"}, NOW)
        tx.audit("small", "central", "audit.manifest", "refused", {"code": "not_found"}, NOW)
    with store.transaction() as tx:
        unnamed, named = tx.audit_rows(None), tx.audit_rows("small")
    assert [(r["event_code"], r["details"]["event_given"]) for r in unnamed] == [(None, "9" * 64 + "…")]
    assert [(r["event_code"], "event_given" in r["details"]) for r in named] == [("small", False)]
