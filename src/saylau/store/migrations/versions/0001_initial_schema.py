"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27 23:29:35.160215
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_code", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.CheckConstraint("outcome IN ('ok', 'refused')", name=op.f("ck_audit_log_outcome")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("preset", sa.String(length=256), nullable=False),
        sa.Column("settings_json", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("definition_sha256", sa.String(length=64), nullable=False),
        sa.Column("phase", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('referendum')", name=op.f("ck_event_kind")),
        sa.CheckConstraint(
            "phase IN ('setup', 'voting', 'counting', 'provisional', 'final', 'certified')",
            name=op.f("ck_event_phase"),
        ),
        sa.CheckConstraint("length(code) > 0", name=op.f("ck_event_code_nonempty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
        sa.UniqueConstraint("code", name=op.f("uq_event_code")),
    )
    op.create_table(
        "phase_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("from_phase", sa.String(length=16), nullable=False),
        sa.Column("to_phase", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "from_phase IN ('setup', 'voting', 'counting', 'provisional', 'final', 'certified')",
            name=op.f("ck_phase_change_from_phase"),
        ),
        sa.CheckConstraint(
            "to_phase IN ('setup', 'voting', 'counting', 'provisional', 'final', 'certified')",
            name=op.f("ck_phase_change_to_phase"),
        ),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_phase_change_event_id_event")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phase_change")),
    )
    op.create_table(
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
    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('zero')", name=op.f("ck_report_kind")),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_report_event_id_event")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
    )
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name_kk", sa.Text(), nullable=True),
        sa.Column("name_ru", sa.Text(), nullable=True),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("registered", sa.Integer(), nullable=True),
        sa.CheckConstraint("(kind = 'country') = (parent_id IS NULL)", name=op.f("ck_unit_root_is_country")),
        sa.CheckConstraint(
            "(kind = 'precinct' AND registered IS NOT NULL AND registered >= 0) OR (kind <> 'precinct' AND registered IS NULL)",
            name=op.f("ck_unit_registered_on_precincts"),
        ),
        sa.CheckConstraint(
            "kind IN ('country', 'region', 'abroad', 'district', 'precinct')", name=op.f("ck_unit_kind")
        ),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_unit_event_id_event")),
        sa.ForeignKeyConstraint(["parent_id"], ["unit.id"], name=op.f("fk_unit_parent_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        sa.UniqueConstraint("event_id", "code", name="uq_unit_event_code"),
    )
    op.create_table(
        "protocol_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("precinct_id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("operator", sa.String(length=128), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.Column("counts_sha256", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "decision IN ('awaiting_second', 'agreed', 'mismatch')", name=op.f("ck_protocol_entry_decision")
        ),
        sa.CheckConstraint("mode IN ('live', 'test')", name=op.f("ck_protocol_entry_mode")),
        sa.CheckConstraint("length(operator) > 0", name=op.f("ck_protocol_entry_operator_nonempty")),
        sa.CheckConstraint("round = 1 OR reason IS NOT NULL", name=op.f("ck_protocol_entry_correction_reason")),
        sa.CheckConstraint("round >= 1", name=op.f("ck_protocol_entry_round")),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_protocol_entry_event_id_event")),
        sa.ForeignKeyConstraint(["precinct_id"], ["unit.id"], name=op.f("fk_protocol_entry_precinct_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protocol_entry")),
        sa.UniqueConstraint("event_id", "precinct_id", "mode", "round", "operator", name="uq_entry_one_per_operator"),
    )
    op.create_table(
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
    op.create_table(
        "protocol_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("precinct_id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.Column("counts_sha256", sa.String(length=64), nullable=False),
        sa.Column("warnings", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("first_entry_id", sa.Integer(), nullable=False),
        sa.Column("second_entry_id", sa.Integer(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("mode IN ('live', 'test')", name=op.f("ck_protocol_version_mode")),
        sa.CheckConstraint("first_entry_id <> second_entry_id", name=op.f("ck_protocol_version_two_entries")),
        sa.CheckConstraint("version = 1 OR reason IS NOT NULL", name=op.f("ck_protocol_version_correction_reason")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_protocol_version_version")),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_protocol_version_event_id_event")),
        sa.ForeignKeyConstraint(
            ["first_entry_id"],
            ["protocol_entry.id"],
            name=op.f("fk_protocol_version_first_entry_id_protocol_entry"),
        ),
        sa.ForeignKeyConstraint(["precinct_id"], ["unit.id"], name=op.f("fk_protocol_version_precinct_id_unit")),
        sa.ForeignKeyConstraint(
            ["second_entry_id"],
            ["protocol_entry.id"],
            name=op.f("fk_protocol_version_second_entry_id_protocol_entry"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protocol_version")),
        sa.UniqueConstraint("event_id", "precinct_id", "mode", "version", name="uq_version_per_precinct"),
    )


def downgrade() -> None:
    op.drop_table("protocol_version")
    op.drop_table("question_text")
    op.drop_table("protocol_entry")
    op.drop_table("unit")
    op.drop_table("report")
    op.drop_table("question")
    op.drop_table("phase_change")
    op.drop_table("event")
    op.drop_table("audit_log")
