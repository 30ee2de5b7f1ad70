"""The tables of a risk-limiting audit of a paper event (spec/audit.md §11, §12): all append-only.

- ``audit``: one per event: the question, the method and the risk limit (an exact fraction "1/20");
- ``audit_manifest``: the published manifest, its exact canonical bytes and their SHA-256 (once);
- ``audit_seed_entry``: the seed as each of two members entered it (the second equal to the first);
- ``audit_count_entry``: hand counts of drawn batches under blind double entry (one row per operator);
- ``audit_cvr``: a precinct's cast-vote records for a comparison audit, canonical text and SHA-256 (once);
- ``audit_record``: the audit record, a hash chain (plan, manifest, seed, draw, entry, round, finish, hand_count).
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from saylau.store.schema import metadata

__all__ = ["audit", "audit_count_entry", "audit_cvr", "audit_manifest", "audit_record", "audit_seed_entry"]

METHODS = "'macro', 'bravo', 'comparison'"
ENTRY_DECISIONS = "'awaiting_second', 'agreed', 'mismatch'"
RECORD_TYPES = "'plan', 'manifest', 'seed', 'draw', 'entry', 'round', 'finish', 'hand_count'"

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", ForeignKey("event.id"), nullable=False, unique=True),
    Column("question", String(64), nullable=False),
    Column("method", String(16), nullable=False),
    Column("risk_limit", String(64), nullable=False),  # an exact fraction, "1/20"
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    CheckConstraint(f"method IN ({METHODS})", name="method"),
)

audit_manifest = Table(
    "audit_manifest",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("audit_id", ForeignKey("audit.id"), nullable=False, unique=True),
    Column("text", Text, nullable=False),  # canonical JSON, exactly as hashed and published
    Column("sha256", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

audit_seed_entry = Table(
    "audit_seed_entry",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("audit_id", ForeignKey("audit.id"), nullable=False),
    Column("ordinal", Integer, nullable=False),  # 1: the first entry, 2: the second (equal to the first)
    Column("operator", String(128), nullable=False),
    Column("digits", String(20), nullable=False),
    Column("entered_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("audit_id", "ordinal", name="uq_audit_seed_entry_audit_ordinal"),
    CheckConstraint("ordinal IN (1, 2)", name="ordinal"),
    CheckConstraint("length(digits) = 20", name="digits"),
)

audit_count_entry = Table(
    "audit_count_entry",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("audit_id", ForeignKey("audit.id"), nullable=False),
    Column("round", Integer, nullable=False),
    Column("batch", String(64), nullable=False),
    Column("operator", String(128), nullable=False),
    Column("yes", Integer, nullable=False),
    Column("no", Integer, nullable=False),
    Column("invalid", Integer, nullable=False),
    Column("not_counted", Integer, nullable=False),
    Column("decision", String(16), nullable=False),
    Column("entered_at", DateTime(timezone=True), nullable=False),
    Column("votes", Text, nullable=True),  # an election contest's hand count: canonical JSON {option: votes}
    Column("readings", Text, nullable=True),  # a comparison audit's: canonical JSON [[position, reading], ...]
    UniqueConstraint("audit_id", "round", "batch", "operator", name="uq_audit_count_entry_once"),
    CheckConstraint("yes >= 0 AND no >= 0 AND invalid >= 0 AND not_counted >= 0", name="counts"),
    CheckConstraint("round >= 1", name="round"),
    CheckConstraint(f"decision IN ({ENTRY_DECISIONS})", name="decision"),
)

audit_cvr = Table(
    "audit_cvr",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("audit_id", ForeignKey("audit.id"), nullable=False),
    Column("batch", String(64), nullable=False),
    Column("text", Text, nullable=False),  # the canonical CSV, exactly as hashed and published (migration 0017)
    Column("sha256", String(64), nullable=False),
    Column("ballots", Integer, nullable=False),
    Column("actor", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("audit_id", "batch", name="uq_audit_cvr_audit_batch"),
    CheckConstraint("ballots >= 0", name="ballots"),
)

audit_record = Table(
    "audit_record",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("audit_id", ForeignKey("audit.id"), nullable=False),
    Column("height", Integer, nullable=False),
    Column("parent", String(64), nullable=False),
    Column("type", String(16), nullable=False),
    Column("payload", Text, nullable=False),  # canonical JSON (spec/record.md §2), exactly as hashed
    Column("payload_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("audit_id", "height", name="uq_audit_record_audit_height"),
    CheckConstraint("height >= 0", name="height"),
    CheckConstraint(f"type IN ({RECORD_TYPES})", name="type"),
)
