"""audit_cvr: precincts' cast-vote records for a ballot-level comparison audit (issue 11)

- ``audit_cvr`` (new, append-only): one precinct's cast-vote records (spec/formats.md "Cast-vote records")
  as their canonical text, exactly as hashed and listed in the manifest (``cvr``), with its SHA-256; at
  most one per (audit, batch);
- ``audit_count_entry.readings`` (new, nullable): a comparison audit's hand reading of a batch's drawn
  ballots, canonical JSON ``[[position, reading], ...]`` (NULL for every other hand count);
- ``audit.method``'s CHECK gains ``comparison`` (spec/audit.md §11, §18). On SQLite the table is rebuilt
  under its own name with the foreign keys deferred to the commit (``_methods``), rows copied unchanged; a
  downgrade restores the earlier list (and refuses, through the CHECK, while a comparison audit exists).

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_BEFORE = "'macro', 'bravo'"
_AFTER = _BEFORE + ", 'comparison'"


def _audit(methods: str) -> list[Any]:
    """audit's columns and constraints as revision 0013 made them, the CHECK on ``method`` over ``methods``."""
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("risk_limit", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.CheckConstraint(f"method IN ({methods})", name=op.f("ck_audit_method")),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_audit_event_id_event")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit")),
        sa.UniqueConstraint("event_id", name=op.f("uq_audit_event_id")),
    ]


def _methods(before: str, after: str) -> None:
    """The CHECK on ``audit.method`` from ``before`` to ``after``. PostgreSQL alters the constraint. SQLite
    cannot, and ``audit`` is a parent table (its audits' rows point at it), so it is rebuilt under the same
    name with its foreign keys deferred to the commit: the rows are copied out, the table dropped and made
    again from its new definition, the rows copied back (which satisfies the children again), the copy
    dropped."""
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_audit_method"), "audit", type_="check")
        op.create_check_constraint(op.f("ck_audit_method"), "audit", f"method IN ({after})")
        return
    columns = "id, event_id, question, method, risk_limit, created_at, actor"
    op.execute("PRAGMA defer_foreign_keys = ON")
    op.execute(f"CREATE TABLE _audit_0017 AS SELECT {columns} FROM audit")
    op.drop_table("audit")
    op.create_table("audit", *_audit(after))
    op.execute(f"INSERT INTO audit ({columns}) SELECT {columns} FROM _audit_0017")
    op.drop_table("_audit_0017")


def upgrade() -> None:
    _methods(_BEFORE, _AFTER)
    op.add_column("audit_count_entry", sa.Column("readings", sa.Text(), nullable=True))
    op.create_table(
        "audit_cvr",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("batch", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("ballots", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ballots >= 0", name=op.f("ck_audit_cvr_ballots")),
        sa.ForeignKeyConstraint(["audit_id"], ["audit.id"], name=op.f("fk_audit_cvr_audit_id_audit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_cvr")),
        sa.UniqueConstraint("audit_id", "batch", name="uq_audit_cvr_audit_batch"),
    )


def downgrade() -> None:
    op.drop_table("audit_cvr")
    with op.batch_alter_table("audit_count_entry") as batch:
        batch.drop_column("readings")
    _methods(_AFTER, _BEFORE)
