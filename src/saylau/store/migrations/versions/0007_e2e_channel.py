"""e2e_channel: an e2e election counted as its own channel of a unit (spec/counting.md §5)

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "e2e_channel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(channel) > 0", name=op.f("ck_e2e_channel_channel_nonempty")),
        sa.ForeignKeyConstraint(
            ["election_id"], ["e2e_election.id"], name=op.f("fk_e2e_channel_election_id_e2e_election")
        ),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_e2e_channel_event_id_event")),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_e2e_channel_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_e2e_channel")),
        sa.UniqueConstraint("election_id", name=op.f("uq_e2e_channel_election_id")),
        sa.UniqueConstraint("event_id", "unit_id", "channel", name="uq_e2e_channel_event_unit_channel"),
    )


def downgrade() -> None:
    op.drop_table("e2e_channel")
