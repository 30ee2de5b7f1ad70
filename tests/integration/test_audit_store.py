"""The audit tables (migration 0013) on SQLite and PostgreSQL: the database refuses a fork of the record,
a seed that is not 20 characters and negative hand counts; the migration goes down and up again."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from tests.elections import SMALL, load

from saylau.services.context import Context
from saylau.services.lookup import load_event
from saylau.store import Store, migrate
from saylau.store.audit_repo import AuditTx, NewCountEntry, RecordRow

AUDIT_TABLES = {"audit", "audit_manifest", "audit_seed_entry", "audit_count_entry", "audit_record"}


def _alembic(store: Store, action: Callable[[Config, str], None], revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("saylau.store") / "migrations"))
    with store.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        action(cfg, revision)


def _audit(ctx: Context) -> int:
    code = load(ctx, SMALL)
    now = ctx.clock()
    with ctx.store.transaction() as tx:
        return AuditTx(tx).create(load_event(tx, code).id, "q1", "macro", "1/20", "official", now)


def _row(height: int, parent: str) -> RecordRow:
    return RecordRow(height, parent, "plan", "{}", "a" * 64, "b" * 64)


def test_the_record_cannot_fork(ctx: Context) -> None:
    audit_id = _audit(ctx)
    now = ctx.clock()
    with ctx.store.transaction() as tx:
        AuditTx(tx).append(audit_id, [_row(0, "")], now)
    with pytest.raises(IntegrityError), ctx.store.transaction() as tx:
        AuditTx(tx).append(audit_id, [_row(0, "")], now)  # a second event 0
    with ctx.store.transaction() as tx:
        assert [r.height for r in AuditTx(tx).record(audit_id)] == [0]


@pytest.mark.parametrize(
    "write",
    [
        lambda repo, a, now: repo.add_seed_entry(a, 1, "m1", "123", now),  # not 20 digits
        lambda repo, a, now: repo.add_seed_entry(a, 3, "m1", "1" * 20, now),  # a third entry
        lambda repo, a, now: repo.add_count_entries(a, [NewCountEntry(1, "P1", "c", -1, 0, 0, 0, "agreed")], now),
        lambda repo, a, now: repo.add_count_entries(a, [NewCountEntry(0, "P1", "c", 1, 0, 0, 0, "agreed")], now),
        lambda repo, a, now: repo.add_count_entries(a, [NewCountEntry(1, "P1", "c", 1, 0, 0, 0, "maybe")], now),
    ],
)
def test_the_database_enforces_the_audit_invariants(ctx: Context, write) -> None:  # type: ignore[no-untyped-def]
    audit_id = _audit(ctx)
    now = ctx.clock()
    with pytest.raises(IntegrityError), ctx.store.transaction() as tx:
        write(AuditTx(tx), audit_id, now)


def test_an_audit_has_a_known_method_and_one_per_event(ctx: Context) -> None:
    code = load(ctx, SMALL)
    now = ctx.clock()
    with ctx.store.transaction() as tx:
        event_id = load_event(tx, code).id
    with pytest.raises(IntegrityError), ctx.store.transaction() as tx:
        AuditTx(tx).create(event_id, "q1", "guess", "1/20", "x", now)
    with ctx.store.transaction() as tx:
        AuditTx(tx).create(event_id, "q1", "bravo", "1/20", "x", now)
    with pytest.raises(IntegrityError), ctx.store.transaction() as tx:
        AuditTx(tx).create(event_id, "q1", "macro", "1/20", "x", now)


def test_migration_0013_goes_down_and_up(ctx: Context) -> None:
    assert set(inspect(ctx.store.engine).get_table_names()) >= AUDIT_TABLES
    _alembic(ctx.store, command.downgrade, "0012")
    assert not AUDIT_TABLES & set(inspect(ctx.store.engine).get_table_names())
    migrate(ctx.store.engine)
    assert set(inspect(ctx.store.engine).get_table_names()) >= AUDIT_TABLES
