"""What a database holds, read without writing a byte: no migration, no journal-mode switch, only SELECTs.
For a command that decides whether it may write into a database before it opens it for
writing (``saylau demo``, which refuses a database holding anything it did not make)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, create_engine, func, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from saylau.store import accounts_schema as a
from saylau.store import e2e_schema as e
from saylau.store import schema as t
from saylau.store.db import DatabaseUnavailable, connect, normalise_url

__all__ = ["Contents", "read_contents", "sqlite_file"]

# saylau's own tables (every context registers on the one metadata) and Alembic's bookkeeping
OWN_TABLES = frozenset(t.metadata.tables) | {"alembic_version"}


@dataclass(frozen=True, slots=True)
class Contents:
    """The events, e-elections and accounts a database holds, and the tables in it that are not saylau's."""

    events: tuple[tuple[str, str], ...] = ()  # (code, definition_sha256) of each paper event, oldest first
    elections: tuple[str, ...] = ()  # codes of the e2e elections
    accounts: int = 0
    other_tables: tuple[str, ...] = ()  # another program's tables

    @property
    def empty(self) -> bool:
        return not (self.events or self.elections or self.accounts or self.other_tables)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (``sqlite:///saylau.db`` → ``saylau.db``), or None for another database, an
    in-memory one or a ``file:`` URI."""
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError:
        return None
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def read_contents(url: str, *, password: str | None = None) -> Contents:
    """What the database at ``url`` holds; a SQLite file that does not exist holds nothing (and is not
    created). A file that is not a SQLite database is a DatabaseUnavailable error."""
    path = sqlite_file(url)
    if path is not None:
        if not path.exists():
            return Contents()
        # Not connect(): no pragma (journal_mode=WAL would rewrite another program's file). Only SELECTs run,
        # so SQLite writes nothing to the file; as the last connection its close removes the -wal and -shm
        # it opened (a read-only open would leave them behind).
        engine = create_engine(f"sqlite:///{path}")
    else:
        engine = connect(url, password=password)
    try:
        with engine.connect() as conn:
            return _contents(conn)
    except DBAPIError as exc:
        raise DatabaseUnavailable(f"cannot read the database at {url}: {exc.orig}") from exc
    finally:
        engine.dispose()


def _contents(conn: Connection) -> Contents:
    tables = set(inspect(conn).get_table_names())
    events: tuple[tuple[str, str], ...] = ()
    if t.event.name in tables:
        rows = conn.execute(select(t.event.c.code, t.event.c.definition_sha256).order_by(t.event.c.id))
        events = tuple((str(code), str(digest)) for code, digest in rows)
    elections: tuple[str, ...] = ()
    if e.e2e_election.name in tables:
        query = select(e.e2e_election.c.code).order_by(e.e2e_election.c.id)
        elections = tuple(str(c) for c in conn.execute(query).scalars())
    accounts = 0
    if a.account.name in tables:
        accounts = int(conn.execute(select(func.count()).select_from(a.account)).scalar_one())
    return Contents(events, elections, accounts, tuple(sorted(tables - OWN_TABLES)))
