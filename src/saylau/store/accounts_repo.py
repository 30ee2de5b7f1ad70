"""Repository of accounts, sessions and the throttle of failed attempts inside one store transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from saylau.store import accounts_schema as a
from saylau.store import schema as s
from saylau.store.repo import Tx

__all__ = ["AccountRow", "AccountsTx", "SessionRow", "ThrottleTx"]


@dataclass(frozen=True, slots=True)
class AccountRow:
    id: int
    name: str
    role: str
    password_hash: str
    totp_secret: str
    totp_last_step: int
    active: bool
    units: tuple[str, ...]  # for every event whose territory has them
    event_units: tuple[tuple[str, str], ...] = ()  # (event code, unit code): for that event only


@dataclass(frozen=True, slots=True)
class SessionRow:
    account: AccountRow
    csrf: str
    expires_at: dt.datetime


class AccountsTx:
    """The account tables inside one store transaction."""

    def __init__(self, tx: Tx):
        self.conn = tx.conn

    def insert_account(
        self, name: str, role: str, password_hash: str, totp_secret: str, units: Sequence[str], now: dt.datetime
    ) -> int:
        account_id = self.conn.execute(
            insert(a.account).returning(a.account.c.id),
            {
                "name": name,
                "role": role,
                "password_hash": password_hash,
                "totp_secret": totp_secret,
                "totp_last_step": 0,
                "active": True,
                "created_at": now,
            },
        ).scalar_one()
        if units:
            self.conn.execute(insert(a.account_unit), [{"account_id": account_id, "unit_code": u} for u in units])
        return int(account_id)

    def insert_event_units(self, account_id: int, event_id: int, units: Sequence[str]) -> None:
        if units:
            rows = [{"account_id": account_id, "event_id": event_id, "unit_code": u} for u in units]
            self.conn.execute(insert(a.account_event_unit), rows)

    def units_of_event(self, event_id: int, codes: Sequence[str]) -> set[str]:
        """Those of ``codes`` that are units of the event's territory."""
        rows = self.conn.execute(select(s.unit.c.code).where(s.unit.c.event_id == event_id, s.unit.c.code.in_(codes)))
        return set(rows.scalars())

    def units_of_any_event(self, codes: Sequence[str]) -> set[str]:
        """Those of ``codes`` that are units of at least one event's territory."""
        return set(self.conn.execute(select(s.unit.c.code).where(s.unit.c.code.in_(codes)).distinct()).scalars())

    def _event_units(self, account_id: int) -> tuple[tuple[str, str], ...]:
        rows = self.conn.execute(
            select(s.event.c.code, a.account_event_unit.c.unit_code)
            .join(s.event, s.event.c.id == a.account_event_unit.c.event_id)
            .where(a.account_event_unit.c.account_id == account_id)
            .order_by(s.event.c.code, a.account_event_unit.c.unit_code)
        ).all()
        return tuple((str(r[0]), str(r[1])) for r in rows)

    def _units(self, account_id: int) -> tuple[str, ...]:
        rows = self.conn.execute(
            select(a.account_unit.c.unit_code)
            .where(a.account_unit.c.account_id == account_id)
            .order_by(a.account_unit.c.unit_code)
        ).scalars()
        return tuple(rows)

    def _row(self, r: object) -> AccountRow:
        m = r._mapping  # type: ignore[attr-defined]
        return AccountRow(
            m["id"],
            m["name"],
            m["role"],
            m["password_hash"],
            m["totp_secret"],
            m["totp_last_step"],
            bool(m["active"]),
            self._units(m["id"]),
            self._event_units(m["id"]),
        )

    def find_account(self, name: str, *, lock: bool = False) -> AccountRow | None:
        """The account named ``name``; with ``lock``, its row locked until the transaction ends (PostgreSQL;
        SQLite's write transaction holds the whole database already)."""
        query = select(a.account).where(a.account.c.name == name)
        r = self.conn.execute(query.with_for_update() if lock else query).first()
        return None if r is None else self._row(r)

    def accounts(self) -> list[AccountRow]:
        return [self._row(r) for r in self.conn.execute(select(a.account).order_by(a.account.c.name)).all()]

    def set_totp_step(self, account_id: int, step: int) -> bool:
        """Record ``step`` as used; False when it (or a later one) was already used (a replay)."""
        result = self.conn.execute(
            update(a.account)
            .where(a.account.c.id == account_id, a.account.c.totp_last_step < step)
            .values(totp_last_step=step)
        )
        return result.rowcount == 1

    def set_totp_secret(self, account_id: int, value: str) -> None:
        """Replace the stored (sealed) TOTP secret: ``saylau user rekey`` and ``reset-totp``."""
        self.conn.execute(update(a.account).where(a.account.c.id == account_id).values(totp_secret=value))

    def set_active(self, account_id: int, active: bool) -> None:
        self.conn.execute(update(a.account).where(a.account.c.id == account_id).values(active=active))

    def set_password_hash(self, account_id: int, password_hash: str) -> None:
        self.conn.execute(update(a.account).where(a.account.c.id == account_id).values(password_hash=password_hash))

    def delete_sessions(self, account_id: int) -> int:
        """End every session of the account; returns how many there were (expired ones included)."""
        return int(self.conn.execute(delete(a.session).where(a.session.c.account_id == account_id)).rowcount)

    def open_sessions(self, now: dt.datetime) -> dict[int, int]:
        """The number of unexpired sessions of each account that has any."""
        rows = self.conn.execute(
            select(a.session.c.account_id, func.count())
            .where(a.session.c.expires_at > now)
            .group_by(a.session.c.account_id)
        ).all()
        return {int(r[0]): int(r[1]) for r in rows}

    def insert_session(
        self, token_sha256: str, account_id: int, csrf: str, now: dt.datetime, expires: dt.datetime
    ) -> None:
        self.conn.execute(
            insert(a.session),
            {
                "token_sha256": token_sha256,
                "account_id": account_id,
                "csrf": csrf,
                "created_at": now,
                "expires_at": expires,
            },
        )

    def find_session(self, token_sha256: str, now: dt.datetime) -> SessionRow | None:
        r = self.conn.execute(
            select(a.session.c.csrf, a.session.c.expires_at, a.account)
            .join(a.account, a.account.c.id == a.session.c.account_id)
            .where(a.session.c.token_sha256 == token_sha256)
        ).first()
        if r is None:
            return None
        expires = r.expires_at if r.expires_at.tzinfo is not None else r.expires_at.replace(tzinfo=dt.UTC)
        if expires <= now or not r.active:
            return None
        return SessionRow(self._row(r), r.csrf, expires)

    def delete_session(self, token_sha256: str) -> None:
        self.conn.execute(delete(a.session).where(a.session.c.token_sha256 == token_sha256))


class ThrottleTx:
    """The counts of failed attempts per key, inside one write transaction. ``lock`` takes each key's row
    lock (PostgreSQL: the row is created first if need be, so two first attempts queue on it too; SQLite:
    the write transaction already holds the database's write lock), so a check and the count it leads to
    are one atomic step for every worker."""

    def __init__(self, tx: Tx):
        self.conn = tx.conn

    def _upsert(self) -> postgresql.Insert | sqlite.Insert:
        """INSERT ... ON CONFLICT: the same SQL on both engines, through each one's construct."""
        if self.conn.dialect.name == "postgresql":
            return postgresql.insert(a.throttle)
        return sqlite.insert(a.throttle)

    def lock(self, keys: Sequence[str], now: dt.datetime) -> dict[str, tuple[int, dt.datetime]]:
        """(failures, last attempt) of each key, locked until the transaction ends; (0, now) when new.
        Keys are locked in sorted order, so two transactions on the same keys cannot deadlock."""
        found: dict[str, tuple[int, dt.datetime]] = {}
        for key in sorted(set(keys)):
            self.conn.execute(
                self._upsert().on_conflict_do_nothing(index_elements=["key_sha256"]),
                {"key_sha256": key, "failures": 0, "last_at": now},
            )
            r = self.conn.execute(
                select(a.throttle.c.failures, a.throttle.c.last_at)
                .where(a.throttle.c.key_sha256 == key)
                .with_for_update()
            ).first()
            found[key] = (0, now) if r is None else (int(r.failures), _aware(r.last_at))
        return found

    def put(self, key: str, failures: int, at: dt.datetime) -> None:
        stmt = self._upsert()
        values = {"failures": stmt.excluded.failures, "last_at": stmt.excluded.last_at}
        self.conn.execute(
            stmt.on_conflict_do_update(index_elements=["key_sha256"], set_=values),
            {"key_sha256": key, "failures": failures, "last_at": at},
        )

    def reset(self, keys: Sequence[str]) -> None:
        if keys:
            self.conn.execute(update(a.throttle).where(a.throttle.c.key_sha256.in_(keys)).values(failures=0))

    def forget_before(self, cutoff: dt.datetime, limit: int, keep: Sequence[str]) -> None:
        """Delete up to ``limit`` rows quiet since before ``cutoff``, but those in ``keep`` (rows another
        transaction holds are skipped, never waited for, so taking this after ``lock`` cannot deadlock):
        the table stays as small as the recent attempts."""
        stale = (
            select(a.throttle.c.key_sha256)
            .where(a.throttle.c.last_at < cutoff, a.throttle.c.key_sha256.not_in(keep))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        self.conn.execute(delete(a.throttle).where(a.throttle.c.key_sha256.in_(stale)))


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)  # SQLite keeps no zone
