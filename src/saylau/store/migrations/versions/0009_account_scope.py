"""account scope: a member's units given for one event (issue #9, accounts scoped per event)

``account_event_unit`` holds the units a member acts on in one event only; a composite foreign key to
``unit (event_id, code)`` makes the database refuse a unit that is not in that event's territory.

The rows already in ``account_unit`` (units given without an event) are kept, unchanged and with the
meaning they always had: they apply to every event whose territory has the unit. Nothing is moved or
dropped, so a database from before this revision keeps every member's rights exactly; an operator who
wants a member scoped to one event re-creates the account with ``saylau user add --event``.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_event_unit",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_account_event_unit_account_id_account")),
        sa.ForeignKeyConstraint(
            ["event_id", "unit_code"], ["unit.event_id", "unit.code"], name=op.f("fk_account_event_unit_event_id_unit")
        ),
        sa.PrimaryKeyConstraint("account_id", "event_id", "unit_code", name=op.f("pk_account_event_unit")),
    )


def downgrade() -> None:
    op.drop_table("account_event_unit")
