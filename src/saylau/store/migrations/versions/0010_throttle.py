"""throttle: failed log-ins and one-time codes per key, shared by every worker (issue #9, findings 4 and 5)

One row per key (the SHA-256 of a log-in name, a client address, both, or an account's one-time codes):
the failures counted and the time of the last one, from which ``services.throttle`` derives the wait.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "throttle",
        sa.Column("key_sha256", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(key_sha256) = 64", name=op.f("ck_throttle_key_hex")),
        sa.CheckConstraint("failures >= 0", name=op.f("ck_throttle_failures")),
        sa.PrimaryKeyConstraint("key_sha256", name=op.f("pk_throttle")),
    )
    op.create_index("ix_throttle_last_at", "throttle", ["last_at"])


def downgrade() -> None:
    op.drop_index("ix_throttle_last_at", table_name="throttle")
    op.drop_table("throttle")
