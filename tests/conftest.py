"""Database fixtures: every test that takes ``ctx`` or ``db_url`` runs on SQLite and on PostgreSQL.

PostgreSQL: each test gets its own fresh schema in the database named by SAYLAU_TEST_PG_URL (default
postgresql+psycopg://postgres@127.0.0.1:5432/test), dropped afterwards. PostgreSQL must be running;
`.ci/run` starts it. There is no silent skip.

The suite runs in parallel (pytest-xdist, `addopts` in pyproject.toml). A schema of its own per test
(a random name: tests/pgschema.py) keeps the workers, and two runs on the same server, apart; the store
uses nothing database-wide (no extension, role, advisory lock or LISTEN channel). Every other file a
test writes goes under its ``tmp_path``, and servers bind port 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.ci_skips import pytest_sessionfinish  # noqa: F401  # the CI rule: a skipped test fails CI
from tests.pgschema import temporary_schema

from saylau.services.context import Context
from saylau.store import Store, connect, migrate


class FixedClock:
    """A clock for tests: starts at polling day and moves one second per reading."""

    def __init__(self) -> None:
        self.now = dt.datetime(2022, 6, 5, 20, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    with temporary_schema("t") as url:
        yield url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    engine = connect(db_url)
    migrate(engine)
    s = Store(engine)
    yield s
    s.dispose()


@pytest.fixture
def ctx(store: Store) -> Context:
    return Context(store, FixedClock(), "official-1")
