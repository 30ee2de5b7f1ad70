"""drop the question tables: written on every event, never read (issue 10 item 6)

``question`` and ``question_text`` (migration 0001) copied each contest's code, position and texts out of
the event definition; nothing ever read them back: the contests are loaded from ``event.definition``, the
exact file the event was created from (it holds what the tables never did: kinds, options, scopes,
seats). Dropping them loses nothing. The downgrade recreates both tables and refills them from the stored
definitions (the definition file's ``questions`` list, spec/formats.md §1).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("question_text")
    op.drop_table("question")


def downgrade() -> None:
    question = op.create_table(
        "question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("position >= 0", name=op.f("ck_question_position")),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_question_event_id_event")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question")),
        sa.UniqueConstraint("event_id", "code", name="uq_question_event_code"),
        sa.UniqueConstraint("event_id", "position", name="uq_question_event_position"),
    )
    question_text = op.create_table(
        "question_text",
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("official", sa.Boolean(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.CheckConstraint("lang IN ('kk', 'ru', 'en')", name=op.f("ck_question_text_lang")),
        sa.ForeignKeyConstraint(["question_id"], ["question.id"], name=op.f("fk_question_text_question_id_question")),
        sa.PrimaryKeyConstraint("question_id", "lang", name=op.f("pk_question_text")),
    )
    conn = op.get_bind()
    event = sa.table("event", sa.column("id", sa.Integer()), sa.column("definition", sa.Text()))
    for event_id, definition in conn.execute(sa.select(event.c.id, event.c.definition).order_by(event.c.id)):
        for position, q in enumerate(json.loads(definition)["questions"]):
            qid = conn.execute(
                sa.insert(question).returning(question.c.id),
                {"event_id": event_id, "code": q["code"], "position": position},
            ).scalar_one()
            texts = [
                {
                    "question_id": qid,
                    "lang": x["lang"],
                    "text": x["text"],
                    "official": x["official"],
                    "source": x.get("source"),
                }
                for x in q["texts"]
            ]
            conn.execute(sa.insert(question_text), texts)
