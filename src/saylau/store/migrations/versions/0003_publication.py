"""publication: the numbered, hash-chained releases of an event (append-only)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 00:59:28.749148
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("previous", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("manifest", sa.Text(), nullable=False),
        sa.Column("results_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(number = 1 AND previous = '') OR (number > 1 AND length(previous) = 64)",
            name=op.f("ck_publication_previous"),
        ),
        sa.CheckConstraint("kind IN ('provisional', 'final', 'certified')", name=op.f("ck_publication_kind")),
        sa.CheckConstraint("length(hash) = 64", name=op.f("ck_publication_hash_hex")),
        sa.CheckConstraint("number >= 1", name=op.f("ck_publication_number")),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_publication_event_id_event")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication")),
        sa.UniqueConstraint("event_id", "hash", name="uq_publication_event_hash"),
        sa.UniqueConstraint("event_id", "number", name="uq_publication_event_number"),
    )


def downgrade() -> None:
    op.drop_table("publication")
