"""audit tables: a risk-limiting audit of a paper event (its settings, manifest, seed entries, hand-count
entries and hash-chained record; spec/audit.md §11); all append-only

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _audit_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["audit_id"], ["audit.id"], name=op.f(f"fk_{table}_audit_id_audit"))


def upgrade() -> None:
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("risk_limit", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.CheckConstraint("method IN ('macro', 'bravo')", name=op.f("ck_audit_method")),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_audit_event_id_event")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit")),
        sa.UniqueConstraint("event_id", name=op.f("uq_audit_event_id")),
    )
    op.create_table(
        "audit_manifest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _audit_fk("audit_manifest"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_manifest")),
        sa.UniqueConstraint("audit_id", name=op.f("uq_audit_manifest_audit_id")),
    )
    op.create_table(
        "audit_seed_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("operator", sa.String(length=128), nullable=False),
        sa.Column("digits", sa.String(length=20), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ordinal IN (1, 2)", name=op.f("ck_audit_seed_entry_ordinal")),
        sa.CheckConstraint("length(digits) = 20", name=op.f("ck_audit_seed_entry_digits")),
        _audit_fk("audit_seed_entry"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_seed_entry")),
        sa.UniqueConstraint("audit_id", "ordinal", name="uq_audit_seed_entry_audit_ordinal"),
    )
    op.create_table(
        "audit_count_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("batch", sa.String(length=64), nullable=False),
        sa.Column("operator", sa.String(length=128), nullable=False),
        sa.Column("yes", sa.Integer(), nullable=False),
        sa.Column("no", sa.Integer(), nullable=False),
        sa.Column("invalid", sa.Integer(), nullable=False),
        sa.Column("not_counted", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "yes >= 0 AND no >= 0 AND invalid >= 0 AND not_counted >= 0", name=op.f("ck_audit_count_entry_counts")
        ),
        sa.CheckConstraint("round >= 1", name=op.f("ck_audit_count_entry_round")),
        sa.CheckConstraint(
            "decision IN ('awaiting_second', 'agreed', 'mismatch')", name=op.f("ck_audit_count_entry_decision")
        ),
        _audit_fk("audit_count_entry"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_count_entry")),
        sa.UniqueConstraint("audit_id", "round", "batch", "operator", name="uq_audit_count_entry_once"),
    )
    op.create_table(
        "audit_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("parent", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("height >= 0", name=op.f("ck_audit_record_height")),
        sa.CheckConstraint(
            "type IN ('plan', 'manifest', 'seed', 'draw', 'entry', 'round', 'finish')",
            name=op.f("ck_audit_record_type"),
        ),
        _audit_fk("audit_record"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_record")),
        sa.UniqueConstraint("audit_id", "height", name="uq_audit_record_audit_height"),
    )


def downgrade() -> None:
    for table in ("audit_record", "audit_count_entry", "audit_seed_entry", "audit_manifest", "audit"):
        op.drop_table(table)
