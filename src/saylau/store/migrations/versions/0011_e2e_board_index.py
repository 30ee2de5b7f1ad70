"""e2e board index: a cast ballot by its tracking code (issue 9, the public board at 300,000 ballots)

The board's lookup by tracking code (full, or the short form's 80-bit prefix as a range) is then one probe
of a unique index on (election, tracking code); the board's pages are read by (election, height), which
the unique constraint of migration 0002 already indexes. Tracking codes chain (C§9.1) and are therefore
unique in an election; spoiled ballots have none (NULL, which a unique index allows many times).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("uq_e2e_ballot_election_tracking_code", "e2e_ballot", ["election_id", "tracking_code"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_e2e_ballot_election_tracking_code", table_name="e2e_ballot")
