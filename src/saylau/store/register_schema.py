"""The voter register's tables (spec/register.md §6): never public, all append-only.

- ``register_import``: each import of a register file applied (its name, SHA-256, rows, who, when);
- ``register_person``: one row per person, their identifier (IIN or a plain key), unique;
- ``register_version``: every dated version of a person (names, their match key, birth date, sex, address,
  precinct, status; who, when, why, the source document); a change is a new version, never an update;
- ``register_certificate``: absentee certificates, at most one per person and event.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from saylau.store.schema import metadata

__all__ = ["register_certificate", "register_import", "register_person", "register_version"]

STATUSES = "'active', 'deceased', 'moved', 'deprived'"

register_import = Table(
    "register_import",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("file_name", String(400), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("scheme", String(16), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("scheme IN ('kz-iin', 'plain')", name="scheme"),
)

register_person = Table(
    "register_person",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("identifier", String(64), nullable=False, unique=True),
)

register_version = Table(
    "register_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("register_person.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("surname", String(200), nullable=False),
    Column("given_name", String(200), nullable=False),
    Column("patronymic", String(200), nullable=False),
    Column("name_key", String(620), nullable=False),  # saylau.register.names.match_key of the full name
    Column("birth_date", Date, nullable=False),
    Column("sex", String(1), nullable=True),
    Column("address", String(400), nullable=False),
    Column("precinct", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("valid_from", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("reason", String(400), nullable=False),
    Column("source", String(400), nullable=False),
    Column("import_id", ForeignKey("register_import.id"), nullable=True),
    UniqueConstraint("person_id", "version", name="uq_register_version_person_version"),
    CheckConstraint("version >= 1", name="version"),
    CheckConstraint(f"status IN ({STATUSES})", name="status"),
    CheckConstraint("sex IS NULL OR sex IN ('m', 'f')", name="sex"),
    Index("ix_register_version_name_key", "name_key"),
    Index("ix_register_version_precinct", "precinct"),
)

register_certificate = Table(
    "register_certificate",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", ForeignKey("event.id"), nullable=False),
    Column("person_id", ForeignKey("register_person.id"), nullable=False),
    Column("precinct", String(64), nullable=False),  # where it was issued: the voter is struck off there
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    UniqueConstraint("event_id", "person_id", name="uq_register_certificate_event_person"),
)
