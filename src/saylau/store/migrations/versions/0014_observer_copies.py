"""observer_copy: observers' and citizens' copies of precinct protocols (issue 11, the parallel check)

Append-only. A copy names its submitter by account (``account_id``) or, anonymous, by a label of its own
(never a contact); its figures are canonical JSON with their SHA-256; its photo's bytes are in
``scan_blob`` (content-addressed, shared with the protocol scans).

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "observer_copy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("precinct_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=64), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("figures_sha256", sa.String(length=64), nullable=False),
        sa.Column("relations_ok", sa.Boolean(), nullable=False),
        sa.Column("violations", sa.Text(), nullable=False),
        sa.Column("photo_sha256", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "(account_id IS NULL AND label IS NOT NULL AND length(label) > 0) OR "
            "(account_id IS NOT NULL AND label IS NULL)",
            name=op.f("ck_observer_copy_submitter"),
        ),
        sa.CheckConstraint("length(figures_sha256) = 64", name=op.f("ck_observer_copy_figures_sha256_hex")),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_observer_copy_event_id_event")),
        sa.ForeignKeyConstraint(["precinct_id"], ["unit.id"], name=op.f("fk_observer_copy_precinct_id_unit")),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_observer_copy_account_id_account")),
        sa.ForeignKeyConstraint(
            ["photo_sha256"], ["scan_blob.sha256"], name=op.f("fk_observer_copy_photo_sha256_scan_blob")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observer_copy")),
    )


def downgrade() -> None:
    op.drop_table("observer_copy")
