"""audit_count_entry: the ``votes`` of an election contest's hand count (issue 11)

A hand count of a party-list or district contest (spec/audit.md §11, spec/formats.md "Audit hand counts")
has one figure per option: they are kept as the canonical JSON object ``{option: votes}`` in the new
nullable column ``votes`` (NULL for a referendum question's hand count, whose four columns are unchanged;
``invalid`` holds the ballots for no option). Adding a nullable column keeps every row as it was.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_count_entry", sa.Column("votes", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_count_entry") as batch:
        batch.drop_column("votes")
