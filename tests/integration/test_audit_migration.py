"""Migration 0015 (the ``hand_count`` record type) on SQLite and PostgreSQL: after it the record's CHECK
takes ``hand_count``; a downgrade to 0014 refuses it again (and keeps the record's rows), an upgrade takes
it back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from importlib import resources

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from tests.elections import SMALL, load

from saylau.model import Phase
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.audit.workflow import plan_audit
from saylau.services.context import Context
from saylau.services.paper.lifecycle import advance
from saylau.store import Store
from saylau.store.audit_schema import audit_record

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _alembic(store: Store, action: Callable[[Config, str], None], revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("saylau.store") / "migrations"))
    with store.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        action(cfg, revision)


def _event(store: Store, kind: str, height: int) -> None:
    with store.engine.begin() as conn:
        audit_id = conn.execute(select(func.min(audit_record.c.audit_id))).scalar_one()
        row = {"audit_id": audit_id, "height": height, "parent": "p", "type": kind, "payload": "{}",
               "payload_hash": "h", "hash": f"x{height}", "created_at": NOW}  # fmt: skip
        conn.execute(insert(audit_record), row)


def _rows(store: Store) -> int:
    with store.engine.begin() as conn:
        return int(conn.execute(select(func.count()).select_from(audit_record)).scalar_one())


def test_the_record_takes_hand_count_from_revision_0015(ctx: Context) -> None:
    load(ctx, SMALL, operators=("alice", "bob"))
    advance(ctx, "small", Phase.PROVISIONAL, LOCAL_CLI)
    advance(ctx, "small", Phase.FINAL, LOCAL_CLI)
    plan_audit(ctx, "small", factor=LOCAL_CLI)  # the plan event at height 0
    _alembic(ctx.store, command.downgrade, "0014")
    assert _rows(ctx.store) == 1
    with pytest.raises(IntegrityError):
        _event(ctx.store, "hand_count", 1)
    _alembic(ctx.store, command.upgrade, "head")
    assert _rows(ctx.store) == 1
    _event(ctx.store, "hand_count", 1)
    with pytest.raises(IntegrityError):
        _event(ctx.store, "verdict", 2)
    assert _rows(ctx.store) == 2
