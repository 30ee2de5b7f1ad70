"""protocol_scan: the scan of each signed paper protocol; TOTP secrets sealed at rest (wider column)

Revision ID: 0006
Revises: 0005

``account.totp_secret`` becomes TEXT: a sealed secret (AES-GCM, ``aesgcm1:...``) is longer than the 64
characters of a base32 one. SQLite rebuilds the table for that; its foreign-key children
(``account_unit``, ``session``) are emptied first and the units put back, and the sessions are
dropped (everyone logs in again). Existing plaintext secrets stay as they are until ``saylau user rekey``
seals them (a migration has no key); until then they are refused, never used.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_UNITS = sa.table("account_unit", sa.column("account_id", sa.Integer()), sa.column("unit_code", sa.String(64)))


def _retype_totp_secret(new: sa.types.TypeEngine[str], old: sa.types.TypeEngine[str]) -> None:
    units = [dict(r._mapping) for r in op.get_bind().execute(sa.select(_UNITS.c.account_id, _UNITS.c.unit_code))]
    op.execute(sa.delete(sa.table("session")))
    op.execute(sa.delete(_UNITS))
    with op.batch_alter_table("account") as batch:
        batch.alter_column("totp_secret", type_=new, existing_type=old, existing_nullable=False)
    if units:
        op.bulk_insert(_UNITS, units)


def upgrade() -> None:
    op.create_table(
        "scan_blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_scan_blob_sha256_hex")),
        sa.CheckConstraint(
            "media_type IN ('application/pdf', 'image/png', 'image/jpeg')", name=op.f("ck_scan_blob_media_type")
        ),
        sa.CheckConstraint("size > 0", name=op.f("ck_scan_blob_size")),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_scan_blob")),
    )
    op.create_table(
        "protocol_scan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("precinct_id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("operator", sa.String(length=128), nullable=False),
        sa.Column("attached_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("mode IN ('live', 'test')", name=op.f("ck_protocol_scan_mode")),
        sa.CheckConstraint("round >= 1", name=op.f("ck_protocol_scan_round")),
        sa.CheckConstraint("length(operator) > 0", name=op.f("ck_protocol_scan_operator_nonempty")),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_protocol_scan_event_id_event")),
        sa.ForeignKeyConstraint(["precinct_id"], ["unit.id"], name=op.f("fk_protocol_scan_precinct_id_unit")),
        sa.ForeignKeyConstraint(["sha256"], ["scan_blob.sha256"], name=op.f("fk_protocol_scan_sha256_scan_blob")),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["protocol_entry.id"], name=op.f("fk_protocol_scan_entry_id_protocol_entry")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protocol_scan")),
    )
    _retype_totp_secret(sa.Text(), sa.String(length=64))


def downgrade() -> None:
    _retype_totp_secret(sa.String(length=64), sa.Text())
    op.drop_table("protocol_scan")
    op.drop_table("scan_blob")
