"""audit_record: the ``hand_count`` event type (issue 11, the full hand count after an escalation)

The record's CHECK on ``type`` gains ``hand_count`` (spec/audit.md §12, §13b). On SQLite the table is
rebuilt from its own definition (batch mode); its rows are copied unchanged. A downgrade restores the
earlier list (and refuses, through the CHECK, while a ``hand_count`` event is in the record).

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_BEFORE = "'plan', 'manifest', 'seed', 'draw', 'entry', 'round', 'finish'"
_AFTER = _BEFORE + ", 'hand_count'"


def _record(types: str) -> sa.Table:
    """audit_record as revision 0013 made it, with the CHECK on ``type`` over ``types``."""
    return sa.Table(
        "audit_record",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("parent", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("height >= 0", name="ck_audit_record_height"),
        sa.CheckConstraint(f"type IN ({types})", name="ck_audit_record_type"),
        sa.ForeignKeyConstraint(["audit_id"], ["audit.id"], name="fk_audit_record_audit_id_audit"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_record"),
        sa.UniqueConstraint("audit_id", "height", name="uq_audit_record_audit_height"),
    )


def _retype(before: str, after: str) -> None:
    with op.batch_alter_table("audit_record", copy_from=_record(before)) as batch:
        batch.drop_constraint(op.f("ck_audit_record_type"), type_="check")
        batch.create_check_constraint(op.f("ck_audit_record_type"), f"type IN ({after})")


def upgrade() -> None:
    _retype(_BEFORE, _AFTER)


def downgrade() -> None:
    _retype(_AFTER, _BEFORE)
