"""Persistence: SQLAlchemy tables, Alembic migrations and repositories (the only importer of sqlalchemy)."""

from saylau.store import accounts_schema as _accounts_schema  # noqa: F401  (registers the account tables)
from saylau.store import audit_schema as _audit_schema  # noqa: F401  (registers the audit tables)
from saylau.store import e2e_schema as _e2e_schema  # noqa: F401  (registers the e2e tables)
from saylau.store import observer_schema as _observer_schema  # noqa: F401  (observers' copies)
from saylau.store import petition_schema as _petition_schema  # noqa: F401  (petitions)
from saylau.store import register_schema as _register_schema  # noqa: F401  (the voter register)
from saylau.store import turnout_schema as _turnout_schema  # noqa: F401  (turnout, embargo)
from saylau.store.contents import Contents, read_contents, sqlite_file
from saylau.store.db import (
    DatabaseUnavailable,
    connect,
    is_current,
    migrate,
    migrate_step_by_step,
    normalise_url,
    split_password,
    url_password,
)
from saylau.store.repo import EntryRow, EventCodeTaken, EventRow, NewEntry, NewVersion, Store, Tx, VersionRow

__all__ = [
    "Contents",
    "DatabaseUnavailable",
    "EntryRow",
    "EventCodeTaken",
    "EventRow",
    "NewEntry",
    "NewVersion",
    "Store",
    "Tx",
    "VersionRow",
    "connect",
    "is_current",
    "migrate",
    "migrate_step_by_step",
    "normalise_url",
    "read_contents",
    "split_password",
    "sqlite_file",
    "url_password",
]
