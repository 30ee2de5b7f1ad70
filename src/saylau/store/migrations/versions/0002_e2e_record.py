"""e2e record: elections, the append-only hash-chained event log, credentials, ballots, fingerprints

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 00:28:10.496669
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "e2e_election",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("manifest", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(code) > 0", name=op.f("ck_e2e_election_code_nonempty")),
        sa.CheckConstraint("length(fingerprint) = 64", name=op.f("ck_e2e_election_fingerprint_hex")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_e2e_election")),
        sa.UniqueConstraint("code", name=op.f("uq_e2e_election_code")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_e2e_election_fingerprint")),
    )
    op.create_table(
        "e2e_credential",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("credential", sa.String(length=64), nullable=False),
        sa.CheckConstraint("length(credential) = 64", name=op.f("ck_e2e_credential_credential_hex")),
        sa.ForeignKeyConstraint(
            ["election_id"], ["e2e_election.id"], name=op.f("fk_e2e_credential_election_id_e2e_election")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_e2e_credential")),
        sa.UniqueConstraint("election_id", "credential", name="uq_e2e_credential_election_credential"),
    )
    op.create_table(
        "e2e_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("parent", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "(height = 0 AND parent = '') OR (height > 0 AND length(parent) = 64)", name=op.f("ck_e2e_event_parent")
        ),
        sa.CheckConstraint("(height = 0) = (type = 'setup')", name=op.f("ck_e2e_event_setup_first")),
        sa.CheckConstraint(
            "type IN ('setup', 'guardian', 'joint_key', 'credentials', 'ballot', 'spoiled', 'close', 'tally', 'decryption', 'result')",
            name=op.f("ck_e2e_event_type"),
        ),
        sa.CheckConstraint("length(hash) = 64", name=op.f("ck_e2e_event_hash_hex")),
        sa.CheckConstraint("length(payload_hash) = 64", name=op.f("ck_e2e_event_payload_hash_hex")),
        sa.ForeignKeyConstraint(
            ["election_id"], ["e2e_election.id"], name=op.f("fk_e2e_event_election_id_e2e_election")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_e2e_event")),
        sa.UniqueConstraint("election_id", "hash", name="uq_e2e_event_election_hash"),
        sa.UniqueConstraint("election_id", "height", name="uq_e2e_event_election_height"),
    )
    op.create_table(
        "e2e_guardian",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("share_key", sa.String(length=64), nullable=False),
        sa.CheckConstraint("idx >= 1", name=op.f("ck_e2e_guardian_idx")),
        sa.CheckConstraint("length(share_key) = 64", name=op.f("ck_e2e_guardian_share_key_hex")),
        sa.ForeignKeyConstraint(
            ["election_id"], ["e2e_election.id"], name=op.f("fk_e2e_guardian_election_id_e2e_election")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_e2e_guardian")),
        sa.UniqueConstraint("election_id", "idx", name="uq_e2e_guardian_election_idx"),
    )
    op.create_table(
        "e2e_ballot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("ballot_id", sa.String(length=128), nullable=False),
        sa.Column("credential", sa.String(length=64), nullable=False),
        sa.Column("ballot_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("tracking_code", sa.String(length=64), nullable=True),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(kind = 'cast') = (tracking_code IS NOT NULL)", name=op.f("ck_e2e_ballot_tracking_on_cast")
        ),
        sa.CheckConstraint("kind IN ('cast', 'spoiled')", name=op.f("ck_e2e_ballot_kind")),
        sa.CheckConstraint("length(ballot_id) > 0", name=op.f("ck_e2e_ballot_ballot_id_nonempty")),
        sa.ForeignKeyConstraint(
            ["election_id", "credential"],
            ["e2e_credential.election_id", "e2e_credential.credential"],
            name="fk_e2e_ballot_credential_e2e_credential",
        ),
        sa.ForeignKeyConstraint(
            ["election_id"], ["e2e_election.id"], name=op.f("fk_e2e_ballot_election_id_e2e_election")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_e2e_ballot")),
        sa.UniqueConstraint("election_id", "ballot_hash", name="uq_e2e_ballot_election_ballot_hash"),
        sa.UniqueConstraint("election_id", "ballot_id", name="uq_e2e_ballot_election_ballot_id"),
        sa.UniqueConstraint("election_id", "height", name="uq_e2e_ballot_election_height"),
    )
    op.create_table(
        "e2e_fingerprint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("ballot_row", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["ballot_row"], ["e2e_ballot.id"], name=op.f("fk_e2e_fingerprint_ballot_row_e2e_ballot")
        ),
        sa.ForeignKeyConstraint(
            ["election_id"], ["e2e_election.id"], name=op.f("fk_e2e_fingerprint_election_id_e2e_election")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_e2e_fingerprint")),
        sa.UniqueConstraint("election_id", "fingerprint", name="uq_e2e_fingerprint_election_fingerprint"),
    )


def downgrade() -> None:
    op.drop_table("e2e_fingerprint")
    op.drop_table("e2e_ballot")
    op.drop_table("e2e_guardian")
    op.drop_table("e2e_event")
    op.drop_table("e2e_credential")
    op.drop_table("e2e_election")
