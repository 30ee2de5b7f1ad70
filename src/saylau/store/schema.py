"""Tables. The database enforces the invariants it can: NOT NULL, FK, UNIQUE, CHECK (STYLE.md habit 12).

Entries, versions, phase changes, reports and the audit log are append-only: the store offers no update
or delete on them. The only mutable column is ``event.phase``, changed by an explicit transition that
is itself recorded in ``phase_change``.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "audit_log",
    "event",
    "metadata",
    "phase_change",
    "protocol_entry",
    "protocol_scan",
    "protocol_version",
    "publication",
    "report",
    "scan_blob",
    "unit",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

PHASES = "'setup', 'voting', 'counting', 'provisional', 'final', 'certified'"
MODES = "'live', 'test'"
KINDS = "'country', 'region', 'abroad', 'district', 'precinct'"
DECISIONS = "'awaiting_second', 'agreed', 'mismatch'"

event = Table(
    "event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("date", Date, nullable=False),
    Column("preset", String(256), nullable=False),
    Column("settings_json", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("definition", Text, nullable=False),  # the exact bytes of the definition file, as text
    Column("definition_sha256", String(64), nullable=False),
    Column("phase", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("kind IN ('referendum')", name="kind"),
    CheckConstraint(f"phase IN ({PHASES})", name="phase"),
    CheckConstraint("length(code) > 0", name="code_nonempty"),
)

unit = Table(
    "unit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", ForeignKey("event.id"), nullable=False),
    Column("code", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("parent_id", ForeignKey("unit.id"), nullable=True),
    Column("position", Integer, nullable=False),
    Column("name_kk", Text, nullable=True),
    Column("name_ru", Text, nullable=True),
    Column("name_en", Text, nullable=True),
    Column("registered", Integer, nullable=True),
    UniqueConstraint("event_id", "code", name="uq_unit_event_code"),
    CheckConstraint(f"kind IN ({KINDS})", name="kind"),
    CheckConstraint(
        "(kind = 'precinct' AND registered IS NOT NULL AND registered >= 0)"
        " OR (kind <> 'precinct' AND registered IS NULL)",
        name="registered_on_precincts",
    ),
    CheckConstraint("(kind = 'country') = (parent_id IS NULL)", name="root_is_country"),
)

protocol_entry = Table(
    "protocol_entry",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", ForeignKey("event.id"), nullable=False),
    Column("precinct_id", ForeignKey("unit.id"), nullable=False),
    Column("mode", String(8), nullable=False),
    Column("round", Integer, nullable=False),  # the protocol version this entry works towards
    Column("operator", String(128), nullable=False),
    Column("reason", Text, nullable=True),
    Column("counts", Text, nullable=False),  # canonical JSON of {question: {field: int}}
    Column("counts_sha256", String(64), nullable=False),
    Column("decision", String(16), nullable=False),
    Column("source", Text, nullable=True),
    Column("entered_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("event_id", "precinct_id", "mode", "round", "operator", name="uq_entry_one_per_operator"),
    CheckConstraint(f"mode IN ({MODES})", name="mode"),
    CheckConstraint(f"decision IN ({DECISIONS})", name="decision"),
    CheckConstraint("round >= 1", name="round"),
    CheckConstraint("length(operator) > 0", name="operator_nonempty"),
    CheckConstraint("round = 1 OR reason IS NOT NULL", name="correction_reason"),
)

protocol_version = Table(
    "protocol_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", ForeignKey("event.id"), nullable=False),
    Column("precinct_id", ForeignKey("unit.id"), nullable=False),
    Column("mode", String(8), nullable=False),
    Column("version", Integer, nullable=False),
    Column("counts", Text, nullable=False),
    Column("counts_sha256", String(64), nullable=False),
    Column("warnings", Text, nullable=False),  # JSON list of {code, message}
    Column("reason", Text, nullable=True),
    Column("first_entry_id", ForeignKey("protocol_entry.id"), nullable=False),
    Column("second_entry_id", ForeignKey("protocol_entry.id"), nullable=False),
    Column("accepted_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("event_id", "precinct_id", "mode", "version", name="uq_version_per_precinct"),
    CheckConstraint(f"mode IN ({MODES})", name="mode"),
    CheckConstraint("version >= 1", name="version"),
    CheckConstraint("version = 1 OR reason IS NOT NULL", name="correction_reason"),
    CheckConstraint("first_entry_id <> second_entry_id", name="two_entries"),
)

# Scans of signed paper protocols (PDF, PNG or JPEG), content-addressed by SHA-256 of their exact bytes.
SCAN_TYPES = "'application/pdf', 'image/png', 'image/jpeg'"

scan_blob = Table(
    "scan_blob",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("media_type", String(32), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    CheckConstraint("length(sha256) = 64", name="sha256_hex"),
    CheckConstraint(f"media_type IN ({SCAN_TYPES})", name="media_type"),
    CheckConstraint("size > 0", name="size"),
)

# Which scan belongs to which protocol version (``round``: the version the entry worked towards, or the
# accepted version a scan was attached to later). Append-only: the newest row of a version is its scan.
protocol_scan = Table(
    "protocol_scan",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", ForeignKey("event.id"), nullable=False),
    Column("precinct_id", ForeignKey("unit.id"), nullable=False),
    Column("mode", String(8), nullable=False),
    Column("round", Integer, nullable=False),
    Column("sha256", ForeignKey("scan_blob.sha256"), nullable=False),
    Column("entry_id", ForeignKey("protocol_entry.id"), nullable=True),  # None: attached to a version later
    Column("operator", String(128), nullable=False),
    Column("attached_at", DateTime(timezone=True), nullable=False),
    CheckConstraint(f"mode IN ({MODES})", name="mode"),
    CheckConstraint("round >= 1", name="round"),
    CheckConstraint("length(operator) > 0", name="operator_nonempty"),
)

phase_change = Table(
    "phase_change",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", ForeignKey("event.id"), nullable=False),
    Column("from_phase", String(16), nullable=False),
    Column("to_phase", String(16), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    CheckConstraint(f"from_phase IN ({PHASES})", name="from_phase"),
    CheckConstraint(f"to_phase IN ({PHASES})", name="to_phase"),
)

report = Table(
    "report",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", ForeignKey("event.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("payload", Text, nullable=False),
    Column("payload_sha256", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("kind IN ('zero')", name="kind"),
)

# The published releases of an event (spec/formats.md §9): numbered 1, 2, … and hash-chained, append-only.
publication = Table(
    "publication",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", ForeignKey("event.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("previous", String(64), nullable=False),  # "" for release 1
    Column("hash", String(64), nullable=False),
    Column("manifest", Text, nullable=False),  # canonical JSON, exactly as hashed
    Column("results_sha256", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("event_id", "number", name="uq_publication_event_number"),
    UniqueConstraint("event_id", "hash", name="uq_publication_event_hash"),
    CheckConstraint("kind IN ('provisional', 'final', 'certified')", name="kind"),
    CheckConstraint("number >= 1", name="number"),
    CheckConstraint("(number = 1 AND previous = '') OR (number > 1 AND length(previous) = 64)", name="previous"),
    CheckConstraint("length(hash) = 64", name="hash_hex"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_code", String(64), nullable=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(64), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("details", Text, nullable=False),
    CheckConstraint("outcome IN ('ok', 'refused')", name="outcome"),
)
