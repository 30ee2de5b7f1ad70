"""Database fixtures: every test that takes ``ctx`` or ``db_url`` runs on SQLite and on PostgreSQL.

PostgreSQL: each test gets its own fresh schema in the database named by SAYLAU_TEST_PG_URL (default
postgresql+psycopg://postgres@127.0.0.1:5432/test), dropped afterwards (or, migrated, emptied and kept for
the worker's next test: tests/dbpool.py). PostgreSQL must be running;
`.ci/run` starts it. There is no silent skip.

The suite runs in parallel (pytest-xdist, `addopts` in pyproject.toml). A schema of its own per test
(a random name: tests/pgschema.py) keeps the workers, and two runs on the same server, apart; the store
uses nothing database-wide (no extension, role, advisory lock or LISTEN channel). Every other file a
test writes goes under its ``tmp_path``, and servers bind port 0.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from tests.ci_skips import pytest_sessionfinish  # noqa: F401  # the CI rule: a skipped test fails CI
from tests.dbpool import Databases
from tests.pgschema import temporary_schema

from saylau.services.access import passwords
from saylau.services.context import Context
from saylau.services.paper.demo import ELECTION_DATASET
from saylau.store import Store, connect, migrate

# Passwords are hashed with argon2id at its cheapest parameters in the tests' own process (a hash of RFC
# 9106's parameters costs 0.19 s of CPU, and hundreds of tests create accounts and log in): the same code
# and library, verified the same way. Commands run as subprocesses keep the real parameters, and
# tests/e2e/test_cli_secrets.py checks a hash the CLI stored.
passwords.HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


class FixedClock:
    """A clock for tests: starts at polling day and moves one second per reading."""

    def __init__(self) -> None:
        self.now = dt.datetime(2022, 6, 5, 20, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    # under pytest-xdist the workers' temporary folders sit in the run's own: the counted demos are kept there
    run = tmp_path_factory.getbasetemp().parent if os.environ.get("PYTEST_XDIST_WORKER") else None
    pool = Databases(tmp_path_factory.mktemp("databases"), run)
    yield pool
    pool.close()


@pytest.fixture
def demo_db(tmp_path: Path, databases: Databases) -> str:
    """The URL of a copy of the counted kz-2022 demo (SQLite; tests/dbpool.py)."""
    path = tmp_path / "demo.db"
    databases.demo(path)
    return f"sqlite:///{path}"


@pytest.fixture
def election_demo_db(tmp_path: Path, databases: Databases) -> str:
    """The URL of a copy of the counted 2023 election demo (SQLite; tests/dbpool.py)."""
    path = tmp_path / "election-demo.db"
    databases.demo(path, ELECTION_DATASET)
    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, databases: Databases) -> Iterator[str]:
    """An empty database; a migrated one when the test takes ``store`` or ``ctx`` (tests/dbpool.py)."""
    migrated = not {"store", "ctx"}.isdisjoint(request.fixturenames)
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        if migrated:
            databases.sqlite(path)
        yield f"sqlite:///{path}"
        return
    with databases.postgresql() if migrated else temporary_schema("t") as url:
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
