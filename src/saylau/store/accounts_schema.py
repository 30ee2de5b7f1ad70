"""Commission accounts, the units each one may act on, and login sessions (on the shared ``metadata``).

A session row keeps only the SHA-256 of the random cookie value, never the value itself. Accounts are
configuration, not part of the public record: ``active`` (``saylau user disable|enable``), ``password_hash``
(``reset-password``), ``totp_last_step`` and ``totp_secret`` (``reset-totp``, re-sealed by ``saylau user rekey``)
are the only columns that change after creation.

A member's units come in two kinds: ``account_unit`` rows hold for every event whose territory has the unit
(units given without an event, and every unit from before revision 0009), ``account_event_unit`` rows for one
event only, and the database itself checks that the unit is in that event's territory.

``throttle`` counts the recent failed log-ins and one-time codes per key (``services.throttle``), shared by
every worker.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
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
)

from saylau.store.schema import metadata

__all__ = ["ROLES", "account", "account_event_unit", "account_unit", "session", "throttle"]

ROLES = ("admin", "central", "regional", "district", "precinct", "observer")
_ROLES_SQL = ", ".join(f"'{r}'" for r in ROLES)

account = Table(
    "account",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", Text, nullable=False),  # argon2id, PHC string
    # sealed with AES-GCM under the deployment's secret key ("aesgcm1:<key id>:<base64url>"); a base32
    # plaintext value only on databases from before revision 0006, until ``saylau user rekey``
    Column("totp_secret", Text, nullable=False),
    Column("totp_last_step", Integer, nullable=False),  # the last TOTP time step accepted (no replay)
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint(f"role IN ({_ROLES_SQL})", name="role"),
    CheckConstraint("length(name) > 0", name="name_nonempty"),
    CheckConstraint("totp_last_step >= 0", name="totp_last_step"),
)

# The units (codes) a member may act on in every event whose territory has them; central, admin and
# observers have none.
account_unit = Table(
    "account_unit",
    metadata,
    Column("account_id", ForeignKey("account.id"), primary_key=True),
    Column("unit_code", String(64), primary_key=True),
    CheckConstraint("length(unit_code) > 0", name="unit_nonempty"),
)

# The units a member may act on in one event only (``saylau user add --event``): a unit of that event's territory.
account_event_unit = Table(
    "account_event_unit",
    metadata,
    Column("account_id", ForeignKey("account.id"), primary_key=True),
    Column("event_id", Integer, primary_key=True),
    Column("unit_code", String(64), primary_key=True),
    ForeignKeyConstraint(["event_id", "unit_code"], ["unit.event_id", "unit.code"]),
)

session = Table(
    "session",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("account_id", ForeignKey("account.id"), nullable=False),
    Column("csrf", String(64), nullable=False),  # the synchronizer token of this session's forms
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("length(token_sha256) = 64", name="token_hex"),
    CheckConstraint("expires_at > created_at", name="expiry"),
)

# Failed attempts per key (a log-in name, a client address, both, or an account's one-time codes). The key is
# the SHA-256 of what it counts (services.throttle), so a long name costs no more room than a short one.
throttle = Table(
    "throttle",
    metadata,
    Column("key_sha256", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),  # attempts counted since the last success (or quiet period)
    Column("last_at", DateTime(timezone=True), nullable=False),  # the time of the last counted attempt
    CheckConstraint("length(key_sha256) = 64", name="key_hex"),
    CheckConstraint("failures >= 0", name="failures"),
    Index("ix_throttle_last_at", "last_at"),
)
