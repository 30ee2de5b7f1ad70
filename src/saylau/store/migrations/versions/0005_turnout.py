"""turnout_report and embargo: intraday turnout by unit at fixed hours; the polls' closing times

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_HOUR = (
    "length(at) = 5 AND substr(at, 3, 1) = ':' AND substr(at, 1, 2) BETWEEN '00' AND '23'"
    " AND substr(at, 4, 2) BETWEEN '00' AND '59'"
)


def upgrade() -> None:
    op.create_table(
        "turnout_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=5), nullable=False),
        sa.Column("registered", sa.Integer(), nullable=False),
        sa.Column("voted", sa.Integer(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "registered >= 0 AND voted >= 0 AND voted <= registered", name=op.f("ck_turnout_report_counts")
        ),
        sa.CheckConstraint(_HOUR, name=op.f("ck_turnout_report_at_hour")),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_turnout_report_event_id_event")),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_turnout_report_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_turnout_report")),
        sa.UniqueConstraint("event_id", "unit_id", "at", name="uq_turnout_report_event_unit_at"),
    )
    op.create_table(
        "embargo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("polls_close", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_embargo_event_id_event")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_embargo")),
    )


def downgrade() -> None:
    op.drop_table("embargo")
    op.drop_table("turnout_report")
