"""The petitions' tables (spec/petitions.md §10), all append-only (inserts only):

- ``petition``: a petition, its definition (canonical JSON: preset, scope, dates, threshold count, rule) and
  the preset version in force on its opening day;
- ``petition_sheet``: a paper sheet, its collector and its scan's SHA-256 (the scan itself in the private
  files, by hash);
- ``petition_keying``: each operator's keying of each sheet line (two per line; double entry);
- ``petition_signature``: every agreed signature, paper or online, with its intake order ``seq`` and its
  record (canonical JSON: the sheet line, or the statement, algorithm, public key and signature);
- ``petition_withdrawal``: a signer's withdrawal of one signature, with its day;
- ``petition_verification``: each verification run: rule, seed, sample, figures, outcome and every
  signature's verdict.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from saylau.store.schema import metadata

__all__ = [
    "petition",
    "petition_keying",
    "petition_scan",
    "petition_sheet",
    "petition_signature",
    "petition_verification",
    "petition_withdrawal",
]

petition = Table(
    "petition",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("scope", String(64), nullable=False),
    Column("preset", String(128), nullable=False),  # name/version id
    Column("definition", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    CheckConstraint("kind IN ('recall', 'initiative', 'nomination')", name="kind"),
)

petition_scan = Table(
    "petition_scan",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("content", LargeBinary, nullable=False),  # a sheet's scan, stored once by its SHA-256
)

petition_sheet = Table(
    "petition_sheet",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("petition_id", ForeignKey("petition.id"), nullable=False),
    Column("sheet", String(256), nullable=False),
    Column("collector", String(256), nullable=False),
    Column("scan_sha256", String(64), ForeignKey("petition_scan.sha256"), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    UniqueConstraint("petition_id", "sheet", name="uq_petition_sheet_petition_sheet"),
)

petition_keying = Table(
    "petition_keying",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sheet_id", ForeignKey("petition_sheet.id"), nullable=False),
    Column("line", Integer, nullable=False),
    Column("operator", String(256), nullable=False),
    Column("record", Text, nullable=False),
    UniqueConstraint("sheet_id", "line", "operator", name="uq_petition_keying_sheet_line_operator"),
    CheckConstraint("line BETWEEN 1 AND 10000", name="line"),
)

petition_signature = Table(
    "petition_signature",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("petition_id", ForeignKey("petition.id"), nullable=False),
    Column("signature", String(300), nullable=False),  # paper:<sheet>:<line> or online:<n>
    Column("seq", Integer, nullable=False),
    Column("channel", String(8), nullable=False),
    Column("record", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("petition_id", "signature", name="uq_petition_signature_petition_signature"),
    UniqueConstraint("petition_id", "seq", name="uq_petition_signature_petition_seq"),
    CheckConstraint("channel IN ('paper', 'online')", name="channel"),
)

petition_withdrawal = Table(
    "petition_withdrawal",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("petition_id", ForeignKey("petition.id"), nullable=False),
    Column("signature", String(300), nullable=False),
    Column("withdrawn_on", Date, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    UniqueConstraint("petition_id", "signature", name="uq_petition_withdrawal_petition_signature"),
)

petition_verification = Table(
    "petition_verification",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("petition_id", ForeignKey("petition.id"), nullable=False),
    Column("rule", String(16), nullable=False),
    Column("seed", String(20), nullable=True),
    Column("decided_by", String(16), nullable=False),
    Column("qualified", Boolean, nullable=False),
    Column("required", Integer, nullable=False),
    Column("raw", Integer, nullable=False),
    Column("valid", Integer, nullable=False),
    Column("figures", Text, nullable=False),  # canonical JSON: sample, estimate, zone, counts, words
    Column("verdicts", Text, nullable=False),  # canonical JSON: every signature's verdict and reason
    Column("recall_event", String(64), nullable=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
)
