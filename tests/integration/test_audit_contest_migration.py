"""Migration 0016 (``audit_count_entry.votes``, an election contest's hand count) on SQLite and PostgreSQL:
the column takes the options' votes; a downgrade to 0015 drops it and keeps the rows; an upgrade brings it
back empty (NULL: a question's hand count)."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import insert, inspect, select
from tests.elections import SMALL, load
from tests.integration.test_audit_migration import _alembic

from saylau.model import Phase
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.audit.workflow import plan_audit
from saylau.services.context import Context
from saylau.services.paper.lifecycle import advance
from saylau.store.audit_schema import audit, audit_count_entry

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def test_the_votes_column_comes_and_goes_with_revision_0016(ctx: Context) -> None:
    load(ctx, SMALL, operators=("alice", "bob"))
    advance(ctx, "small", Phase.PROVISIONAL, LOCAL_CLI)
    advance(ctx, "small", Phase.FINAL, LOCAL_CLI)
    plan_audit(ctx, "small", factor=LOCAL_CLI)
    with ctx.store.engine.begin() as conn:
        audit_id = conn.execute(select(audit.c.id)).scalar_one()
        row = {"audit_id": audit_id, "round": 1, "batch": "P1", "operator": "c1", "yes": 0, "no": 0,
               "invalid": 3, "not_counted": 0, "decision": "awaiting_second", "entered_at": NOW,
               "votes": '{"a":1,"b":2}'}  # fmt: skip
        conn.execute(insert(audit_count_entry), row)
        assert conn.execute(select(audit_count_entry.c.votes)).scalar_one() == '{"a":1,"b":2}'
    _alembic(ctx.store, command.downgrade, "0015")
    with ctx.store.engine.begin() as conn:
        assert conn.exec_driver_sql("SELECT batch, invalid FROM audit_count_entry").all() == [("P1", 3)]
        assert "votes" not in {c["name"] for c in inspect(conn).get_columns("audit_count_entry")}
    _alembic(ctx.store, command.upgrade, "head")
    with ctx.store.engine.begin() as conn:
        assert conn.execute(select(audit_count_entry.c.batch, audit_count_entry.c.votes)).all() == [("P1", None)]
