"""Tables of end-to-end verifiable elections (spec/record.md), on the shared ``metadata``.

``e2e_event`` is the public record: append-only, one row per chained event, UNIQUE(election, height).
The other tables index what the record already says (public credentials, ballots, ciphertext
fingerprints, guardians' public keys) so the database itself refuses duplicates and unknown credentials.
No secret is stored: no guardian share, no private credential, no nonce, no person ↔ credential link.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from saylau.store.schema import metadata

__all__ = [
    "e2e_ballot",
    "e2e_channel",
    "e2e_credential",
    "e2e_election",
    "e2e_event",
    "e2e_fingerprint",
    "e2e_guardian",
]

EVENT_TYPES = (
    "'setup', 'guardian', 'joint_key', 'credentials', 'ballot', 'spoiled', 'close', 'tally', 'decryption', 'result'"
)
HEX64 = "length({0}) = 64"

e2e_election = Table(
    "e2e_election",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("fingerprint", String(64), nullable=False, unique=True),
    Column("manifest", Text, nullable=False),  # canonical JSON, exactly as hashed into the fingerprint
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("length(code) > 0", name="code_nonempty"),
    CheckConstraint(HEX64.format("fingerprint"), name="fingerprint_hex"),
)

e2e_event = Table(
    "e2e_event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("election_id", ForeignKey("e2e_election.id"), nullable=False),
    Column("height", Integer, nullable=False),
    Column("type", String(16), nullable=False),
    Column("parent", String(64), nullable=False),
    Column("payload", Text, nullable=False),
    Column("payload_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("election_id", "height", name="uq_e2e_event_election_height"),
    UniqueConstraint("election_id", "hash", name="uq_e2e_event_election_hash"),
    CheckConstraint(f"type IN ({EVENT_TYPES})", name="type"),
    CheckConstraint("(height = 0 AND parent = '') OR (height > 0 AND length(parent) = 64)", name="parent"),
    CheckConstraint("(height = 0) = (type = 'setup')", name="setup_first"),
    CheckConstraint(HEX64.format("hash"), name="hash_hex"),
    CheckConstraint(HEX64.format("payload_hash"), name="payload_hash_hex"),
    # the joint key (and the other one-off events) by type without reading every ballot event (migration 0008)
    Index("ix_e2e_event_election_type", "election_id", "type"),
)

e2e_guardian = Table(
    "e2e_guardian",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("election_id", ForeignKey("e2e_election.id"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("share_key", String(64), nullable=False),  # public: s_j·G
    UniqueConstraint("election_id", "idx", name="uq_e2e_guardian_election_idx"),
    CheckConstraint("idx >= 1", name="idx"),
    CheckConstraint(HEX64.format("share_key"), name="share_key_hex"),
)

e2e_credential = Table(
    "e2e_credential",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("election_id", ForeignKey("e2e_election.id"), nullable=False),
    Column("credential", String(64), nullable=False),  # the PUBLIC credential X = x·G only
    UniqueConstraint("election_id", "credential", name="uq_e2e_credential_election_credential"),
    CheckConstraint(HEX64.format("credential"), name="credential_hex"),
)

e2e_ballot = Table(
    "e2e_ballot",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("election_id", ForeignKey("e2e_election.id"), nullable=False),
    Column("ballot_id", String(128), nullable=False),
    Column("credential", String(64), nullable=False),
    Column("ballot_hash", String(64), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("tracking_code", String(64), nullable=True),
    Column("height", Integer, nullable=False),
    UniqueConstraint("election_id", "ballot_id", name="uq_e2e_ballot_election_ballot_id"),
    UniqueConstraint("election_id", "ballot_hash", name="uq_e2e_ballot_election_ballot_hash"),
    UniqueConstraint("election_id", "height", name="uq_e2e_ballot_election_height"),
    ForeignKeyConstraint(
        ["election_id", "credential"],
        ["e2e_credential.election_id", "e2e_credential.credential"],
        name="fk_e2e_ballot_credential_e2e_credential",
    ),
    CheckConstraint("kind IN ('cast', 'spoiled')", name="kind"),
    CheckConstraint("(kind = 'cast') = (tracking_code IS NOT NULL)", name="tracking_on_cast"),
    CheckConstraint("length(ballot_id) > 0", name="ballot_id_nonempty"),
    # a credential's ballots (the re-vote rule) and the credential foreign key (migration 0008)
    Index("ix_e2e_ballot_election_credential", "election_id", "credential"),
    # the last cast ballot (the tracking code chain) without scanning past spoiled ones (migration 0008)
    Index("ix_e2e_ballot_election_kind_height", "election_id", "kind", "height"),
    # the board's lookup by tracking code, full or by the short form's prefix (migration 0011)
    Index("uq_e2e_ballot_election_tracking_code", "election_id", "tracking_code", unique=True),
)

e2e_fingerprint = Table(
    "e2e_fingerprint",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("election_id", ForeignKey("e2e_election.id"), nullable=False),
    Column("ballot_row", ForeignKey("e2e_ballot.id"), nullable=False),
    Column("fingerprint", String(64), nullable=False),  # H_hex("ciphertext", alpha, beta)
    UniqueConstraint("election_id", "fingerprint", name="uq_e2e_fingerprint_election_fingerprint"),
)

# An e2e election counted as a channel of one unit of a referendum event (spec/counting.md §5): one
# election links to at most one (event, unit), and a unit has at most one election per channel.
# ``mapping`` is canonical JSON {"questions": {e2e question: event question}, "options": {e2e question:
# {option: protocol field}}}, checked against the preset when linking.
e2e_channel = Table(
    "e2e_channel",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("election_id", ForeignKey("e2e_election.id"), nullable=False, unique=True),
    Column("event_id", ForeignKey("event.id"), nullable=False),
    Column("unit_id", ForeignKey("unit.id"), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("mapping", Text, nullable=False),
    Column("linked_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("event_id", "unit_id", "channel", name="uq_e2e_channel_event_unit_channel"),
    CheckConstraint("length(channel) > 0", name="channel_nonempty"),
)
