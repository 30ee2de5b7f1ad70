"""e2e intake indexes: events by type, a credential's ballots, the last cast ballot (issue #5, ballot intake)

Every query of ``cast_ballot`` is then answered from an index, so the cost of a ballot does not grow with
the number of ballots already cast: the joint key is found by (election, type) instead of filtering every
event of the election, the re-vote rule counts a credential's casts by (election, credential), and the
previous tracking code is the last row of (election, kind, height).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_e2e_event_election_type", "e2e_event", ["election_id", "type"])
    op.create_index("ix_e2e_ballot_election_credential", "e2e_ballot", ["election_id", "credential"])
    op.create_index("ix_e2e_ballot_election_kind_height", "e2e_ballot", ["election_id", "kind", "height"])


def downgrade() -> None:
    op.drop_index("ix_e2e_ballot_election_kind_height", table_name="e2e_ballot")
    op.drop_index("ix_e2e_ballot_election_credential", table_name="e2e_ballot")
    op.drop_index("ix_e2e_event_election_type", table_name="e2e_event")
