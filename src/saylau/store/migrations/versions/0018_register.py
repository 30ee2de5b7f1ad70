"""register: the voter register (issue 12): imports, persons, their dated versions, absentee certificates;
all append-only (spec/register.md §6)

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "register_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=400), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("scheme IN ('kz-iin', 'plain')", name=op.f("ck_register_import_scheme")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_import")),
    )
    op.create_table(
        "register_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_person")),
        sa.UniqueConstraint("identifier", name=op.f("uq_register_person_identifier")),
    )
    op.create_table(
        "register_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("surname", sa.String(length=200), nullable=False),
        sa.Column("given_name", sa.String(length=200), nullable=False),
        sa.Column("patronymic", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=620), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("address", sa.String(length=400), nullable=False),
        sa.Column("precinct", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.Column("source", sa.String(length=400), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("version >= 1", name=op.f("ck_register_version_version")),
        sa.CheckConstraint(
            "status IN ('active', 'deceased', 'moved', 'deprived')", name=op.f("ck_register_version_status")
        ),
        sa.CheckConstraint("sex IS NULL OR sex IN ('m', 'f')", name=op.f("ck_register_version_sex")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["register_person.id"], name=op.f("fk_register_version_person_id_register_person")
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["register_import.id"], name=op.f("fk_register_version_import_id_register_import")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_version")),
        sa.UniqueConstraint("person_id", "version", name="uq_register_version_person_version"),
    )
    op.create_index("ix_register_version_name_key", "register_version", ["name_key"])
    op.create_index("ix_register_version_precinct", "register_version", ["precinct"])
    op.create_table(
        "register_certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("precinct", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_register_certificate_event_id_event")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["register_person.id"], name=op.f("fk_register_certificate_person_id_register_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_certificate")),
        sa.UniqueConstraint("event_id", "person_id", name="uq_register_certificate_event_person"),
    )


def downgrade() -> None:
    op.drop_table("register_certificate")
    op.drop_index("ix_register_version_precinct", table_name="register_version")
    op.drop_index("ix_register_version_name_key", table_name="register_version")
    op.drop_table("register_version")
    op.drop_table("register_person")
    op.drop_table("register_import")
