"""Database fixtures: every test that takes ``ctx`` or ``db_url`` runs on SQLite and on PostgreSQL.

PostgreSQL: each test gets its own fresh schema in the database named by SAYLAU_TEST_PG_URL (default
postgresql+psycopg://postgres@127.0.0.1:5432/test), dropped afterwards. PostgreSQL must be running;
`.ci/run` starts it. There is no silent skip.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.pgschema import temporary_schema

from saylau.services.context import Context
from saylau.store import Store, connect, migrate


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI (``CI`` set, as `.ci/run` does) a skipped test fails the run: every clone runs every test."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter is not None else 0
    if os.environ.get("CI") and skipped and exitstatus == pytest.ExitCode.OK:
        if reporter is not None:
            reporter.write_line(f"CI: {skipped} test(s) skipped; in CI every test must run", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


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
