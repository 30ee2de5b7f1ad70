"""Alembic environment: runs on the connection the store hands over (SQLite or PostgreSQL)."""

from __future__ import annotations

from alembic import context

from saylau.store import accounts_schema as _accounts_schema  # noqa: F401  (registers the account tables)
from saylau.store import e2e_schema as _e2e_schema  # noqa: F401  (registers the e2e tables)
from saylau.store import turnout_schema as _turnout_schema  # noqa: F401  (turnout, embargo)
from saylau.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the store runs migrations
    raise RuntimeError("saylau migrations run through saylau.store.db.migrate(engine)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite needs table rebuilds for ALTER
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
