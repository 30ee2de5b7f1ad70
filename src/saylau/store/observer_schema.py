"""Observers' copies of precinct protocols: one append-only table on the shared ``metadata``.

A copy is what an observer (an account) or a citizen (anonymous, under a label of their own that holds no
contact) says a precinct's protocol reads: its figures as canonical JSON with their SHA-256, the control
relations it breaks (a JSON list of messages, ``[]`` when none: a copy that breaks them is kept, marked),
and the SHA-256 of its photo, whose bytes are stored once in ``scan_blob`` like a protocol scan's. A copy is
never updated nor deleted; it never changes the count (spec/formats.md §16).
"""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Column, DateTime, ForeignKey, Integer, String, Table, Text

from saylau.store.schema import metadata

__all__ = ["LABEL_MAX", "observer_copy"]

LABEL_MAX = 64

observer_copy = Table(
    "observer_copy",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", ForeignKey("event.id"), nullable=False),
    Column("precinct_id", ForeignKey("unit.id"), nullable=False),
    Column("account_id", ForeignKey("account.id"), nullable=True),
    Column("label", String(LABEL_MAX), nullable=True),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("figures", Text, nullable=False),
    Column("figures_sha256", String(64), nullable=False),
    Column("relations_ok", Boolean, nullable=False),
    Column("violations", Text, nullable=False),
    Column("photo_sha256", ForeignKey("scan_blob.sha256"), nullable=False),
    CheckConstraint(
        "(account_id IS NULL AND label IS NOT NULL AND length(label) > 0) OR "
        "(account_id IS NOT NULL AND label IS NULL)",
        name="submitter",
    ),
    CheckConstraint("length(figures_sha256) = 64", name="figures_sha256_hex"),
)
