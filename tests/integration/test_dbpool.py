"""The tests' PostgreSQL schema pool (tests/dbpool.py): a schema given back is reused only empty, with its
sequences restarted, and one that a test changed is dropped, never handed on."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text
from tests.dbpool import Databases
from tests.elections import SMALL, context, load

from saylau.model import Phase
from saylau.services.context import utc_now


def _schema(url: str) -> str:
    return url.rsplit("%3D", 1)[1]


def _counts(url: str) -> tuple[int, int, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        events = conn.execute(text("SELECT count(*) FROM event")).scalar_one()
        units = conn.execute(text("SELECT count(*) FROM unit")).scalar_one()
        first = conn.execute(text("SELECT coalesce(min(id), 0) FROM unit")).scalar_one()
    engine.dispose()
    return events, units, first


def test_a_reused_schema_is_empty_with_its_sequences_restarted(tmp_path: Path) -> None:
    pool = Databases(tmp_path)
    try:
        with pool.postgresql() as url:
            with context(url, utc_now) as ctx:
                load(ctx, SMALL, until=Phase.SETUP)
            events, units, first = _counts(url)
            assert events == 1
            assert units > 1
        with pool.postgresql() as again:
            assert _schema(again) == _schema(url)  # the same schema, back from the pool
            assert _counts(again) == (0, 0, 0)
            with context(again, utc_now) as ctx:
                load(ctx, SMALL, until=Phase.SETUP)
            assert _counts(again) == (events, units, first)  # the ids start again where they started
    finally:
        pool.close()


def test_a_schema_a_test_changed_is_dropped(tmp_path: Path) -> None:
    pool = Databases(tmp_path)
    try:
        with pool.postgresql() as url:
            engine = create_engine(url)
            with engine.begin() as conn:
                conn.execute(text("CREATE TABLE extra (x int)"))
            engine.dispose()
        with pool.postgresql() as again:
            assert _schema(again) != _schema(url)
        admin = create_engine(url.split("?", 1)[0])
        with admin.connect() as conn:
            found = conn.execute(text("SELECT count(*) FROM pg_namespace WHERE nspname = :s"), {"s": _schema(url)})
            assert found.scalar_one() == 0
        admin.dispose()
    finally:
        pool.close()
