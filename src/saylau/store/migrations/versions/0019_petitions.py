"""petitions: petitions, paper sheets and their scans, keyings, signatures, withdrawals, verification runs
(issue 12); all append-only (spec/petitions.md §10)

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "petition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("preset", sa.String(length=128), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.CheckConstraint("kind IN ('recall', 'initiative', 'nomination')", name=op.f("ck_petition_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition")),
        sa.UniqueConstraint("code", name=op.f("uq_petition_code")),
    )
    op.create_table(
        "petition_scan",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_petition_scan")),
    )
    op.create_table(
        "petition_sheet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("sheet", sa.String(length=256), nullable=False),
        sa.Column("collector", sa.String(length=256), nullable=False),
        sa.Column("scan_sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_petition_sheet_petition_id_petition")),
        sa.ForeignKeyConstraint(
            ["scan_sha256"], ["petition_scan.sha256"], name=op.f("fk_petition_sheet_scan_sha256_petition_scan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_sheet")),
        sa.UniqueConstraint("petition_id", "sheet", name="uq_petition_sheet_petition_sheet"),
    )
    op.create_table(
        "petition_keying",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("operator", sa.String(length=256), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.CheckConstraint("line BETWEEN 1 AND 10000", name=op.f("ck_petition_keying_line")),
        sa.ForeignKeyConstraint(
            ["sheet_id"], ["petition_sheet.id"], name=op.f("fk_petition_keying_sheet_id_petition_sheet")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_keying")),
        sa.UniqueConstraint("sheet_id", "line", "operator", name="uq_petition_keying_sheet_line_operator"),
    )
    op.create_table(
        "petition_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("signature", sa.String(length=300), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("channel IN ('paper', 'online')", name=op.f("ck_petition_signature_channel")),
        sa.ForeignKeyConstraint(
            ["petition_id"], ["petition.id"], name=op.f("fk_petition_signature_petition_id_petition")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_signature")),
        sa.UniqueConstraint("petition_id", "signature", name="uq_petition_signature_petition_signature"),
        sa.UniqueConstraint("petition_id", "seq", name="uq_petition_signature_petition_seq"),
    )
    op.create_table(
        "petition_withdrawal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("signature", sa.String(length=300), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["petition_id"], ["petition.id"], name=op.f("fk_petition_withdrawal_petition_id_petition")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_withdrawal")),
        sa.UniqueConstraint("petition_id", "signature", name="uq_petition_withdrawal_petition_signature"),
    )
    op.create_table(
        "petition_verification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=16), nullable=False),
        sa.Column("seed", sa.String(length=20), nullable=True),
        sa.Column("decided_by", sa.String(length=16), nullable=False),
        sa.Column("qualified", sa.Boolean(), nullable=False),
        sa.Column("required", sa.Integer(), nullable=False),
        sa.Column("raw", sa.Integer(), nullable=False),
        sa.Column("valid", sa.Integer(), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("verdicts", sa.Text(), nullable=False),
        sa.Column("recall_event", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["petition_id"], ["petition.id"], name=op.f("fk_petition_verification_petition_id_petition")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_verification")),
    )


def downgrade() -> None:
    op.drop_table("petition_verification")
    op.drop_table("petition_withdrawal")
    op.drop_table("petition_signature")
    op.drop_table("petition_keying")
    op.drop_table("petition_sheet")
    op.drop_table("petition_scan")
    op.drop_table("petition")
