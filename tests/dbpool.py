"""Migrated databases for the tests that take ``store`` or ``ctx``, without migrating one per test.

Building the schema is the largest fixed cost of a database test (some 0.1 s on SQLite, 0.5 s on
PostgreSQL, for 31 tables), and 716 tests take a migrated database. Each pytest worker builds one once,
with the store's own ``migrate``, and then:

- SQLite: every test gets a byte copy of the worker's migrated file (mode 0600, as ``connect`` creates it);
- PostgreSQL: every test gets a schema of its own, taken from the worker's pool; when the test ends the
  schema is emptied (every row deleted, every sequence restarted: what a fresh schema holds) and goes back
  to the pool, provided it is still exactly what ``migrate`` built (same tables, same revision) and nothing
  holds a lock on it; otherwise it is dropped and the next test gets a new one.

Nothing is shared between workers or between two runs on the same server: schema names are random
(tests/pgschema.py) and the pool is the worker's own. Tests of the migrations themselves build their
databases with ``migrate_step_by_step`` (tests/integration/test_store.py).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from tests.elections import context
from tests.pgschema import PG_URL

from saylau.services.context import utc_now
from saylau.services.paper.demo import DEMO_DATASET, run_demo
from saylau.store import connect, migrate


class Databases:
    """One worker's migrated SQLite template and PostgreSQL schema pool."""

    def __init__(self, root: Path, shared: Path | None = None) -> None:
        self._root = root
        self._shared = shared or root  # where the counted demos are kept: one per run, for all its workers
        self._template: Path | None = None
        self._demos: dict[str, Path] = {}
        self._admin: Engine | None = None
        self._free: list[str] = []
        self._tables: frozenset[str] | None = None
        self._revision: str | None = None

    def demo(self, path: Path, dataset: str = DEMO_DATASET) -> None:
        """A shipped demo's database (the kz-2022 referendum, or ELECTION_DATASET: the 2023 election), as
        ``saylau demo`` counts it (``run_demo``), at ``path``: counted once per run (3 to 5 s; the
        workers share it), then copied. The demo command itself is tested on its own
        (tests/e2e/test_cli_demo*.py); the tests that only read or audit a counted demo start from the copy."""
        if dataset not in self._demos:
            self._demos[dataset] = self._counted(dataset)
        shutil.copyfile(self._demos[dataset], path)
        os.chmod(path, 0o600)

    def _counted(self, dataset: str) -> Path:
        """The demo counted once for the whole run: the first worker to need it counts it (under an
        exclusive lock, into a file renamed when done), the others wait for it or find it there."""
        done = self._shared / f"demo-{dataset}.db"
        with (self._shared / f"demo-{dataset}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            if not done.exists():
                building = self._shared / f"demo-{dataset}.{os.getpid()}.db"
                with context(f"sqlite:///{building}", utc_now, "demo") as ctx:
                    run_demo(ctx, lambda _label, _done, _total: None, dataset)
                # the store is disposed: its last connection checkpointed the WAL into the file
                os.replace(building, done)
        return done

    def sqlite(self, path: Path) -> None:
        """A migrated SQLite database at ``path``."""
        if self._template is None:
            template = self._root / "migrated.db"
            engine = connect(f"sqlite:///{template}")
            migrate(engine)
            engine.dispose()  # the last connection closes: the WAL is checkpointed into the file
            self._template = template
        shutil.copyfile(self._template, path)
        os.chmod(path, 0o600)

    @contextmanager
    def postgresql(self) -> Iterator[str]:
        """The URL of a migrated PostgreSQL schema, the test's own until it ends."""
        schema = self._free.pop() if self._free else self._new()
        reusable = False
        try:
            yield _url(schema)
            reusable = self._empty(schema)
        finally:
            if reusable:
                self._free.append(schema)
            else:
                self._drop(schema)

    def close(self) -> None:
        for schema in self._free:
            self._drop(schema)
        self._free.clear()
        if self._admin is not None:
            self._admin.dispose()

    def _engine(self) -> Engine:
        if self._admin is None:
            self._admin = create_engine(PG_URL, pool_size=1)
        return self._admin

    def _new(self) -> str:
        schema = f"p_{uuid.uuid4().hex[:12]}"
        with self._engine().begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine = connect(_url(schema))
        try:
            migrate(engine)
        finally:
            engine.dispose()
        tables, revision = self._state(schema)
        if self._tables is None:
            self._tables, self._revision = tables, revision
        return schema

    def _state(self, schema: str) -> tuple[frozenset[str], str | None]:
        with self._engine().connect() as conn:
            names = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema})
            tables = frozenset(n for (n,) in names)
            revision = conn.execute(text(f'SELECT version_num FROM "{schema}".alembic_version')).scalar()
        return tables, revision

    def _empty(self, schema: str) -> bool:
        """Empty ``schema`` for the next test; False when it is not safe to reuse (then it is dropped)."""
        try:
            if self._tables is None or self._state(schema) != (self._tables, self._revision):
                return False
            with self._engine().begin() as conn:
                query = text("SELECT sequencename FROM pg_sequences WHERE schemaname = :s")
                sequences = [name for (name,) in conn.execute(query, {"s": schema}).all()]
                statements = ["SET LOCAL lock_timeout = '2s'", "SET LOCAL session_replication_role = replica"]
                statements += [f'DELETE FROM "{schema}"."{t}"' for t in sorted(self._tables - {"alembic_version"})]
                statements += [f'ALTER SEQUENCE "{schema}"."{q}" RESTART' for q in sequences]
                conn.exec_driver_sql("; ".join(statements))  # one round trip (no FK order needed: replica)
            return True
        except SQLAlchemyError:
            return False

    def _drop(self, schema: str) -> None:
        with self._engine().begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


def _url(schema: str) -> str:
    return f"{PG_URL}?options=-csearch_path%3D{schema}"
