"""Migration 0018 (the voter register's tables) on SQLite and PostgreSQL: a downgrade to 0017 drops them
with their rows and leaves the rest; an upgrade brings them back, empty, and an import fills them."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect
from tests.integration.test_audit_migration import _alembic
from tests.integration.test_register import APPLY, row, write

from saylau.services.context import Context
from saylau.services.register import import_register

TABLES = {"register_import", "register_person", "register_version", "register_certificate"}


def test_revision_0018_comes_and_goes(ctx: Context, tmp_path: Path) -> None:
    import_register(ctx, write(tmp_path, "r.csv", [row(1), row(2)]), APPLY)
    _alembic(ctx.store, command.downgrade, "0017")
    with ctx.store.engine.begin() as conn:
        names = set(inspect(conn).get_table_names())
        assert not names & TABLES
        assert "audit_cvr" in names
    _alembic(ctx.store, command.upgrade, "head")
    with ctx.store.engine.begin() as conn:
        assert set(inspect(conn).get_table_names()) >= TABLES
        assert conn.exec_driver_sql("SELECT count(*) FROM register_version").scalar() == 0
    assert import_register(ctx, write(tmp_path, "again.csv", [row(1)]), APPLY).counts["added"] == 1
