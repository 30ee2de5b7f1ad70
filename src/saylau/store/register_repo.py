"""Repository of the voter register: append-only (inserts; no update, no delete), with bulk paths for a
national file (spec/register.md §6): SQLite ``executemany`` in large batches, PostgreSQL ``COPY`` (psycopg
3), both inside the caller's one transaction; the database's UNIQUE, CHECK and foreign keys hold on both.

Person ids are given by the importer (the next after the largest), so that versions can name their person
without a round trip; on PostgreSQL the import first locks ``register_person`` so that two imports queue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from saylau.register.model import Entry, PersonVersion, Status
from saylau.register.names import match_key
from saylau.store import register_schema as r
from saylau.store.repo import Tx

__all__ = ["CertificateTaken", "CurrentRow", "IdentifierTaken", "RegisterTx", "Stamp"]

_VERSION_COLUMNS = (
    "person_id", "version", "surname", "given_name", "patronymic", "name_key", "birth_date", "sex", "address",
    "precinct", "status", "valid_from", "actor", "reason", "source", "import_id",
)  # fmt: skip


_SECONDARY = frozenset({"ix_register_version_name_key", "ix_register_version_precinct"})


class IdentifierTaken(IntegrityError):
    """A bulk write met a constraint: an identifier twice (the UNIQUE on ``register_person.identifier``), or
    another constraint, which the service reports as the same refusal of the file (nothing written)."""


class CertificateTaken(IntegrityError):
    """The person already holds an absentee certificate for the event: the UNIQUE on (event, person)."""


@dataclass(frozen=True, slots=True)
class Stamp:
    """Who, when, why and from which document: the same for every version one action writes."""

    valid_from: dt.datetime
    actor: str
    reason: str
    source: str
    import_id: int | None = None


@dataclass(frozen=True, slots=True)
class CurrentRow:
    person_id: int
    version: int
    entry: Entry


class RegisterTx:
    """The register's reads and writes inside one store transaction."""

    def __init__(self, tx: Tx):
        self.tx = tx
        self.conn = tx.conn

    # --- writes -------------------------------------------------------------------------------------
    def lock(self) -> None:
        """Serialise writers of the register (SQLite's write transactions already are)."""
        if self.conn.dialect.name == "postgresql":
            self.conn.exec_driver_sql("LOCK TABLE register_person IN EXCLUSIVE MODE")

    def insert_import(self, file_name: str, sha256: str, rows: int, scheme: str, actor: str, now: dt.datetime) -> int:
        values = {
            "file_name": file_name[:400],
            "sha256": sha256,
            "rows": rows,
            "scheme": scheme,
            "actor": actor,
            "imported_at": now,
        }
        return int(self.conn.execute(insert(r.register_import).returning(r.register_import.c.id), values).scalar_one())

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """For a first import into an empty register: the two secondary indexes are dropped and made again
        once the rows are in (one sort instead of millions of random inserts), and SQLite's page cache is
        enlarged to 256 MB for the while; all inside the transaction, so a refusal restores them too."""
        indexes = [i for i in r.register_version.indexes if i.name in _SECONDARY]
        sqlite = self.conn.dialect.name == "sqlite"
        if sqlite:
            before = self.conn.exec_driver_sql("PRAGMA cache_size").scalar()
            self.conn.exec_driver_sql("PRAGMA cache_size = -262144")
        for index in indexes:
            index.drop(self.conn)
        try:
            yield
            for index in indexes:
                index.create(self.conn)
        finally:
            if sqlite:
                self.conn.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")

    def set_import_rows(self, import_id: int, rows: int) -> None:
        """The one column written after its row: a streamed import counts its rows as it writes them (the
        row is not yet visible to anyone: same transaction)."""
        t = r.register_import
        self.conn.execute(update(t).where(t.c.id == import_id).values(rows=rows))

    def next_person_id(self) -> int:
        return int(self.conn.execute(select(func.coalesce(func.max(r.register_person.c.id), 0))).scalar_one()) + 1

    def add_persons(self, rows: Sequence[tuple[int, str]]) -> None:
        """New persons, (id, identifier) each; IdentifierTaken when an identifier is already there."""
        if self.conn.dialect.name == "sqlite":
            self._bulk("register_person", ("id", "identifier"), rows)
        else:
            self._copy("register_person", ("id", "identifier"), "".join(f"{i}\t{_esc(x)}\n" for i, x in rows))

    def add_versions(self, rows: Sequence[tuple[int, int, Entry]], stamp: Stamp) -> None:
        """New versions, (person id, version number, entry) each, all stamped alike."""
        if self.conn.dialect.name != "sqlite":
            self._copy("register_version", _VERSION_COLUMNS, _copy_versions(rows, stamp))
            return
        # SQLite: the birth date and the stamp as SQLAlchemy stores them (ISO text), the stamp converted once
        tail = (self._sqlite_when(stamp.valid_from), stamp.actor, stamp.reason, stamp.source, stamp.import_id)
        values = [
            (
                pid, number, e.surname, e.given_name, e.patronymic, match_key(e.full_name), e.birth_date.isoformat(),
                e.sex, e.address, e.precinct, e.status.value, *tail,
            )
            for pid, number, e in rows
        ]  # fmt: skip
        self._bulk("register_version", _VERSION_COLUMNS, values)

    def _sqlite_when(self, when: dt.datetime) -> Any:
        process = r.register_version.c.valid_from.type.bind_processor(self.conn.dialect)
        return process(when) if process is not None else when

    def _bulk(self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        """SQLite: one executemany on the driver's connection, inside the open transaction."""
        if not rows:
            return
        marks = ", ".join("?" for _ in columns)
        statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        with self._driver_errors(table):
            self.conn.connection.driver_connection.cursor().executemany(statement, rows)  # type: ignore[union-attr]

    def _copy(self, table: str, columns: Sequence[str], text: str) -> None:
        """PostgreSQL: one COPY of the batch in COPY's text format, inside the open transaction."""
        if not text:
            return
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        raw: Any = self.conn.connection.driver_connection
        with self._driver_errors(table), raw.cursor() as cur, cur.copy(statement) as copy:
            copy.write(text)

    @contextmanager
    def _driver_errors(self, table: str) -> Iterator[None]:
        """The driver's own constraint errors (the raw paths bypass SQLAlchemy) as IdentifierTaken."""
        try:
            yield
        except self.conn.dialect.dbapi.IntegrityError as exc:  # type: ignore[union-attr]
            raise IdentifierTaken(f"bulk insert into {table}", None, exc) from exc

    def add_certificate(self, event_id: int, person_id: int, precinct: str, actor: str, now: dt.datetime) -> int:
        """Raises ``CertificateTaken`` when the person has one for the event (a concurrent issue included)."""
        values = {"event_id": event_id, "person_id": person_id, "precinct": precinct, "issued_at": now, "actor": actor}
        try:
            with self.conn.begin_nested():
                result = self.conn.execute(
                    insert(r.register_certificate).returning(r.register_certificate.c.id), values
                )
                return int(result.scalar_one())
        except IntegrityError as exc:
            text = str(exc.orig).lower()
            if "unique" in text and ("uq_register_certificate_event_person" in text or "register_certificate" in text):
                raise CertificateTaken(exc.statement, exc.params, exc.orig or exc) from exc
            raise

    # --- reads --------------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return self.conn.execute(select(r.register_person.c.id).limit(1)).first() is None

    def _latest(self, at: dt.datetime | None) -> Any:
        v = r.register_version
        query = select(v.c.person_id, func.max(v.c.version).label("version")).group_by(v.c.person_id)
        if at is not None:
            query = query.where(v.c.valid_from <= at)
        return query.subquery("latest")

    def current(self, at: dt.datetime | None = None) -> Iterator[CurrentRow]:
        """Each person's latest version (at ``at``, or now), streamed."""
        v, p = r.register_version, r.register_person
        latest = self._latest(at)
        query = (
            select(p.c.identifier, *(v.c[c] for c in _VERSION_COLUMNS[:11]))
            .select_from(v.join(latest, and_(v.c.person_id == latest.c.person_id, v.c.version == latest.c.version)))
            .join(p, p.c.id == v.c.person_id)
            .order_by(p.c.identifier)
        )
        for row in self.conn.execute(query.execution_options(yield_per=20000)):
            yield CurrentRow(row.person_id, row.version, _entry(row))

    def counts(self, at: dt.datetime, born_by: dt.date) -> dict[str, int]:
        """Active persons born on or before ``born_by`` per precinct, in the versions in force at ``at``."""
        v = r.register_version
        latest = self._latest(at)
        query = (
            select(v.c.precinct, func.count())
            .select_from(v.join(latest, and_(v.c.person_id == latest.c.person_id, v.c.version == latest.c.version)))
            .where(v.c.status == Status.ACTIVE.value, v.c.birth_date <= born_by)
            .group_by(v.c.precinct)
        )
        return {str(precinct): int(n) for precinct, n in self.conn.execute(query)}

    def on_list(self, precinct: str, at: dt.datetime, born_by: dt.date, event_id: int | None = None) -> list[Entry]:
        """The active persons of voting age at ``precinct`` in the versions in force at ``at``, by name key
        then identifier (the order of a printed list); with an event, those struck off there by its
        absentee certificates left out."""
        v, p = r.register_version, r.register_person
        latest = self._latest(at)
        query = (
            select(p.c.identifier, *(v.c[c] for c in _VERSION_COLUMNS[:11]))
            .select_from(v.join(latest, and_(v.c.person_id == latest.c.person_id, v.c.version == latest.c.version)))
            .join(p, p.c.id == v.c.person_id)
            .where(v.c.precinct == precinct, v.c.status == Status.ACTIVE.value, v.c.birth_date <= born_by)
            .order_by(v.c.name_key, p.c.identifier)
        )
        if event_id is not None:
            c = r.register_certificate.c
            struck = select(c.person_id).where(c.event_id == event_id, c.precinct == precinct)
            query = query.where(v.c.person_id.not_in(struck))
        return [_entry(row) for row in self.conn.execute(query)]

    def history(self, identifier: str) -> tuple[int, list[PersonVersion]] | None:
        """A person's id and every version, oldest first, or None."""
        v, p = r.register_version, r.register_person
        pid = self.conn.execute(select(p.c.id).where(p.c.identifier == identifier)).scalar_one_or_none()
        if pid is None:
            return None
        query = (
            select(p.c.identifier, v).join(p, p.c.id == v.c.person_id).where(v.c.person_id == pid).order_by(v.c.version)
        )
        versions = [
            PersonVersion(_entry(row), row.version, _aware(row.valid_from), row.actor, row.reason, row.source)
            for row in self.conn.execute(query)
        ]
        return int(pid), versions

    def certificate(self, event_id: int, person_id: int) -> str | None:
        c = r.register_certificate
        query = select(c.c.precinct).where(c.c.event_id == event_id, c.c.person_id == person_id)
        found = self.conn.execute(query).scalar_one_or_none()
        return None if found is None else str(found)

    def certificates(self, event_id: int) -> dict[str, int]:
        """Certificates issued per precinct for the event."""
        c = r.register_certificate
        query = select(c.c.precinct, func.count()).where(c.c.event_id == event_id).group_by(c.c.precinct)
        return {str(precinct): int(n) for precinct, n in self.conn.execute(query)}


def _esc(value: str) -> str:
    """A text in PostgreSQL COPY's text format: backslash, tab, newline and CR escaped (a NUL never
    reaches here: the register's rows refuse it)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def _copy_versions(rows: Sequence[tuple[int, int, Entry]], stamp: Stamp) -> str:
    """Versions as COPY text lines, in _VERSION_COLUMNS' order (NULL is \\N)."""
    null = "\\N"
    import_id = null if stamp.import_id is None else str(stamp.import_id)
    stamped = (stamp.valid_from.isoformat(), _esc(stamp.actor), _esc(stamp.reason), _esc(stamp.source), import_id)
    tail = "\t".join(stamped) + "\n"
    return "".join(
        f"{pid}\t{number}\t{_esc(e.surname)}\t{_esc(e.given_name)}\t{_esc(e.patronymic)}\t"
        f"{match_key(e.full_name)}\t{e.birth_date.isoformat()}\t{e.sex or null}\t{_esc(e.address)}\t"
        f"{e.precinct}\t{e.status.value}\t{tail}"
        for pid, number, e in rows
    )


def _aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def _entry(row: Any) -> Entry:
    return Entry(
        row.identifier,
        row.surname,
        row.given_name,
        row.patronymic,
        row.birth_date,
        row.sex,
        row.address,
        row.precinct,
        Status(row.status),
    )
