"""accounts: commission members with their roles and units, and login sessions (hashes of the cookie only)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 01:09:48.422447
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("totp_secret", sa.String(length=64), nullable=False),
        sa.Column("totp_last_step", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('admin', 'central', 'regional', 'district', 'precinct', 'observer')", name=op.f("ck_account_role")
        ),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_account_name_nonempty")),
        sa.CheckConstraint("totp_last_step >= 0", name=op.f("ck_account_totp_last_step")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("name", name=op.f("uq_account_name")),
    )
    op.create_table(
        "account_unit",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.CheckConstraint("length(unit_code) > 0", name=op.f("ck_account_unit_unit_nonempty")),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_account_unit_account_id_account")),
        sa.PrimaryKeyConstraint("account_id", "unit_code", name=op.f("pk_account_unit")),
    )
    op.create_table(
        "session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("expires_at > created_at", name=op.f("ck_session_expiry")),
        sa.CheckConstraint("length(token_sha256) = 64", name=op.f("ck_session_token_hex")),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_session_account_id_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_session_token_sha256")),
    )


def downgrade() -> None:
    op.drop_table("session")
    op.drop_table("account_unit")
    op.drop_table("account")
