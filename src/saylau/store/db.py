"""Engines and migrations. SQLite by default (WAL, synchronous=FULL); PostgreSQL by URL.

Every acknowledged write is committed durably before the call returns: SQLite in WAL mode with
synchronous=FULL, PostgreSQL with synchronous_commit=on (anchors.md, "Durability").

A new SQLite file is created with mode 0600 before SQLite opens it (its -wal and -shm files take the
database file's mode), so no other user reads the register, the protocols or the accounts. A PostgreSQL
password is best kept out of the URL (a ~/.pgpass or libpq service file, or ``password`` read by the
caller from a private file): it then never appears in a command line or an environment.

Every text bound to a statement must be storable on both engines: a NUL character (PostgreSQL refuses it)
or a lone surrogate (no UTF-8 encoding) is refused as an InputError before the driver sees it, whichever
use case and whichever input brought it (a form field, a path segment, a file), so that it is a 422 and
never a driver error; the transaction rolls back.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from saylau.model.errors import InputError, Problem, SaylauError
from saylau.store.schema import metadata

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "HEAD_REVISION",
    "DatabaseUnavailable",
    "connect",
    "current_revision",
    "is_current",
    "migrate",
    "migrate_step_by_step",
    "normalise_url",
    "script_head",
    "split_password",
    "url_password",
]


class DatabaseUnavailable(SaylauError):
    code = "database_unavailable"


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` and ``postgres://`` URLs and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def url_password(url: str) -> str | None:
    """The password written in a database URL, or None (also for a URL that does not parse)."""
    try:
        password = make_url(normalise_url(url)).password
    except ArgumentError:
        return None
    return None if password is None else str(password)


def split_password(engine: Engine) -> tuple[str, str | None]:
    """The engine's URL without its password, and the password (None when it has none): a URL handed
    to another process carries no secret."""
    url = engine.url
    password = None if url.password is None else str(url.password)
    return url._replace(password=None).render_as_string(hide_password=False), password  # set() keeps it


def connect(url: str, *, password: str | None = None) -> Engine:
    """An engine for ``url`` with the durability settings above (``password``, when given, replaces the
    URL's, in this process only). Fails clearly when unreachable."""
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError as exc:
        raise DatabaseUnavailable(f"not a database URL: {url!r}") from exc
    if password is not None:
        parsed = parsed.set(password=password)
    if parsed.get_backend_name() == "sqlite":
        _create_private(parsed.database)
        engine = create_engine(parsed, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    elif parsed.get_backend_name() == "postgresql":
        engine = create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    else:
        raise DatabaseUnavailable(f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL")
    event.listen(engine, "before_cursor_execute", _refuse_unstorable_text)
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        raise DatabaseUnavailable(f"cannot reach the database at {parsed.render_as_string()}: {exc.orig}") from exc
    return engine


def _create_private(database: str | None) -> None:
    """Create a new SQLite file with mode 0600 (an existing file keeps the mode its owner gave it)."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if path.exists() or not path.parent.is_dir():
        return  # SQLite itself reports a folder that does not exist
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return  # created meanwhile by another process
    except OSError as exc:
        raise DatabaseUnavailable(f"cannot create the database file {path}: {exc.strerror}") from exc


def _storable(text: str) -> bool:
    if "\x00" in text:
        return False
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


# Bound values that are never text: skipped on their exact type, before any isinstance check.
_NOT_TEXT: frozenset[type] = frozenset({int, bool, float, type(None), bytes, dt.datetime, dt.date})


def _texts(values: Iterable[Any]) -> Iterator[str]:
    for value in values:
        if type(value) not in _NOT_TEXT and isinstance(value, str):
            yield value


def _bound_texts(parameters: Any) -> Iterator[str]:
    """The text values bound to a statement: a mapping or a sequence of values, or (executemany) of either;
    a multi-row INSERT binds one flat sequence of every row's values."""
    if isinstance(parameters, Mapping):
        yield from _texts(parameters.values())
        return
    for item in parameters or ():
        if type(item) in _NOT_TEXT:
            continue
        if isinstance(item, str):
            yield item
        elif isinstance(item, Mapping):
            yield from _texts(item.values())
        elif isinstance(item, list | tuple):
            yield from _texts(item)


def _refuse_unstorable_text(
    _conn: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any, _executemany: bool
) -> None:
    # Every bound value of every statement passes here (some 300,000 in the demo): plain ASCII text
    # without NUL, nearly every text, is let through without a call.
    for value in _bound_texts(parameters):
        if ("\x00" in value or not value.isascii()) and not _storable(value):
            message = f"text {value[:40]!a} holds a NUL character or a lone surrogate: it cannot be stored"
            raise InputError([Problem("storable_text", message)], summary="a text cannot be stored")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own implicit BEGIN is switched off: _sqlite_begin says how each transaction begins.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    """A write transaction that reads before it writes (double entry) begins IMMEDIATE, so two writers
    queue (busy timeout) instead of the second failing on a stale snapshot; reads begin DEFERRED."""
    mode = "IMMEDIATE" if conn.get_execution_options().get("saylau_write") else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


# The newest migration (store/migrations/versions): a database stamped with it is current. Written here so
# that a command on a current database reads one row and never loads Alembic (about 0.1 s of each start);
# tests/integration/test_store.py checks that it is the head of the migration scripts.
HEAD_REVISION = "0019"


def _config() -> Config:
    from alembic.config import Config  # noqa: PLC0415  # lazy: only when the schema changes

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("saylau.store") / "migrations"))
    return cfg


def script_head() -> str | None:
    """The newest revision as the migration scripts say it (Alembic reads them all)."""
    from alembic.script import ScriptDirectory  # noqa: PLC0415  # lazy: only the test of HEAD_REVISION

    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    """The revision the database is stamped with (Alembic's one-row table), None when it has none."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent), in one transaction.

    A database at the newest revision is left as it is without running Alembic's environment. An empty
    database (no table at all) is built from the declared schema and stamped with the newest revision, as
    Alembic's cookbook recommends ("Building an Up to Date Database from Scratch": ``create_all`` then
    ``stamp head``): on PostgreSQL that is half the time of the fifteen migrations, on SQLite a quarter
    (no table rebuilds). Any other database takes the migrations from its revision. Both paths build the
    same schema, constraint for constraint, on both engines (tests/integration/test_store.py)."""
    with engine.begin() as connection:
        if current_revision(connection) == HEAD_REVISION:
            return
        from alembic import command  # noqa: PLC0415  # lazy: only when the schema changes

        cfg = _config()
        cfg.attributes["connection"] = connection
        if not inspect(connection).get_table_names():
            metadata.create_all(connection)
            command.stamp(cfg, "head")
        else:
            command.upgrade(cfg, "head")


def migrate_step_by_step(engine: Engine) -> None:
    """Every migration in turn, from the database's revision (from the first on an empty database): the
    path an existing database takes, kept for the test that compares it with ``migrate``'s."""
    from alembic import command  # noqa: PLC0415  # lazy: only when the schema changes

    cfg = _config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def is_current(engine: Engine) -> bool:
    with engine.connect() as connection:
        return current_revision(connection) == HEAD_REVISION
