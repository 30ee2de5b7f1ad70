"""Repository of observers' copies inside one store transaction: append and read, never update or delete."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select

from saylau.model import QuestionCode, UnitCode
from saylau.store import schema as t
from saylau.store.accounts_schema import account
from saylau.store.canonical import canonical_json, sha256_hex
from saylau.store.observer_schema import observer_copy
from saylau.store.repo import Tx

__all__ = ["CopyRow", "NewCopy", "ObserverTx"]

Figures = dict[QuestionCode, dict[str, int]]


@dataclass(frozen=True, slots=True)
class NewCopy:
    """A copy to append: ``account_id`` for an account, else ``label`` (anonymous)."""

    precinct: UnitCode
    account_id: int | None
    label: str | None
    figures: Figures
    violations: tuple[str, ...]
    photo_sha256: str


@dataclass(frozen=True, slots=True)
class CopyRow:
    id: int
    precinct: UnitCode
    submitter: str  # the account's name, or the anonymous label
    anonymous: bool
    submitted_at: dt.datetime
    figures: Figures
    figures_sha256: str
    violations: tuple[str, ...]
    photo_sha256: str
    photo_media_type: str
    photo_size: int


class ObserverTx:
    """The ``observer_copy`` table inside one store transaction."""

    def __init__(self, tx: Tx):
        self.tx = tx
        self.conn = tx.conn

    def append(self, event_id: int, copy: NewCopy, now: dt.datetime) -> int:
        figures = canonical_json(copy.figures)
        new_id = self.conn.execute(
            insert(observer_copy).returning(observer_copy.c.id),
            {
                "event_id": event_id,
                "precinct_id": self.tx.unit_ids(event_id)[copy.precinct],
                "account_id": copy.account_id,
                "label": copy.label,
                "submitted_at": now,
                "figures": figures,
                "figures_sha256": sha256_hex(figures),
                "relations_ok": not copy.violations,
                "violations": canonical_json(list(copy.violations)),
                "photo_sha256": copy.photo_sha256,
            },
        ).scalar_one()
        return int(new_id)

    def count_by_account(self, event_id: int, precinct: UnitCode, account_id: int) -> int:
        c = observer_copy.c
        query = (
            select(func.count())
            .select_from(observer_copy)
            .join(t.unit, t.unit.c.id == c.precinct_id)
            .where(c.event_id == event_id, t.unit.c.code == precinct, c.account_id == account_id)
        )
        return int(self.conn.execute(query).scalar_one())

    def copies(self, event_id: int, precincts: list[UnitCode] | None = None) -> Iterator[CopyRow]:
        """Every copy in the order submitted (of the named precincts only, when given)."""
        query = _select(event_id)
        if precincts is not None:
            query = query.where(t.unit.c.code.in_(precincts))
        for r in self.conn.execute(query):
            yield _row(r)

    def newest(self, event_id: int, precincts: list[UnitCode] | None, limit: int) -> tuple[list[CopyRow], int]:
        """The newest ``limit`` copies (of the named precincts, when given) in the order submitted, and the
        number of all of them."""
        c, u = observer_copy.c, t.unit.c
        counted = select(func.count()).select_from(observer_copy).join(t.unit, u.id == c.precinct_id)
        counted = counted.where(c.event_id == event_id)
        query = _select(event_id).order_by(None).order_by(c.id.desc()).limit(limit)
        if precincts is not None:
            counted = counted.where(u.code.in_(precincts))
            query = query.where(u.code.in_(precincts))
        total = int(self.conn.execute(counted).scalar_one())
        return [_row(r) for r in reversed(self.conn.execute(query).all())], total

    def copy(self, event_id: int, copy_id: int) -> CopyRow | None:
        r = self.conn.execute(_select(event_id).where(observer_copy.c.id == copy_id)).first()
        return None if r is None else _row(r)


def _select(event_id: int) -> Any:
    c, u, b, a = observer_copy.c, t.unit.c, t.scan_blob.c, account.c
    return (
        select(
            c.id,
            u.code,
            a.name,
            c.label,
            c.submitted_at,
            c.figures,
            c.figures_sha256,
            c.violations,
            c.photo_sha256,
            b.media_type,
            b.size,
        )
        .join(t.unit, u.id == c.precinct_id)
        .join(t.scan_blob, b.sha256 == c.photo_sha256)
        .outerjoin(account, a.id == c.account_id)
        .where(c.event_id == event_id)
        .order_by(c.id)
    )


def _row(r: Any) -> CopyRow:
    figures = {QuestionCode(q): dict(v) for q, v in json.loads(r[5]).items()}
    anonymous = r[2] is None
    return CopyRow(
        r[0], UnitCode(r[1]), r[3] if anonymous else r[2], anonymous, r[4], figures, r[6],
        tuple(json.loads(r[7])), r[8], r[9], r[10],
    )  # fmt: skip
