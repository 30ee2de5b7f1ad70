"""Migration 0017 (``audit_cvr``, ``audit_count_entry.readings``, the method ``comparison``) on SQLite and
PostgreSQL: a downgrade to 0016 keeps the audits (the parent table rebuilt under its children on SQLite)
and drops the new table and column; an upgrade brings them back, and a comparison audit can be planned."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, select
from tests.elections import SMALL, load
from tests.integration.test_audit_migration import _alembic

from saylau.model import Phase
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.audit.workflow import plan_audit, publish_manifest
from saylau.services.context import Context
from saylau.services.paper.lifecycle import advance
from saylau.store.audit_schema import audit, audit_record


def test_revision_0017_comes_and_goes_under_an_audit(ctx: Context) -> None:
    load(ctx, SMALL, operators=("alice", "bob"))
    advance(ctx, "small", Phase.PROVISIONAL, LOCAL_CLI)
    advance(ctx, "small", Phase.FINAL, LOCAL_CLI)
    plan_audit(ctx, "small", method="bravo", factor=LOCAL_CLI)
    publish_manifest(ctx, "small", factor=LOCAL_CLI)
    _alembic(ctx.store, command.downgrade, "0016")
    with ctx.store.engine.begin() as conn:
        assert conn.exec_driver_sql("SELECT method FROM audit").all() == [("bravo",)]
        assert conn.execute(select(audit_record.c.type).order_by(audit_record.c.height)).scalars().all() == [
            "plan",
            "manifest",
        ]
        names = inspect(conn)
        assert "audit_cvr" not in names.get_table_names()
        assert "readings" not in {c["name"] for c in names.get_columns("audit_count_entry")}
    _alembic(ctx.store, command.upgrade, "head")
    with ctx.store.engine.begin() as conn:
        assert conn.execute(select(audit.c.method)).scalars().all() == ["bravo"]
        assert "audit_cvr" in inspect(conn).get_table_names()
        conn.execute(audit.delete().where(audit.c.id < 0))  # the table is whole and writable
    with ctx.store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM audit_record")
        conn.exec_driver_sql("DELETE FROM audit_manifest")
        conn.exec_driver_sql("DELETE FROM audit")
    plan_audit(ctx, "small", method="comparison", factor=LOCAL_CLI)  # the CHECK takes the new method
    with ctx.store.engine.begin() as conn:
        assert conn.execute(select(audit.c.method)).scalars().all() == ["comparison"]
