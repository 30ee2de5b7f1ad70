"""Reads of the public bulletin board of an e2e election (services.e2e_board): bounded, indexed queries.

A page is read by (election, height), the unique index of the ballot rows: the ballot and spoiled events of
a record are consecutive (spec/record.md §5: they all come between `credentials` and `close`), so entry n
of the board is the row at height first + n, and a page at any offset is one index range of ``limit`` rows
(read by OFFSET instead when the rows are not consecutive, which the record format never produces). A
tracking code is one probe of the unique index on (election, tracking code); its short form (the first 80
bits, C§9.1) is the range of full codes with that prefix. The counts are index probes and a COUNT of the
spoiled ballots; nothing here reads every ballot of an election.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from saylau.store import e2e_schema as e
from saylau.store.e2e_repo import BallotRow, E2eTx

__all__ = ["ballot_counts", "ballot_page", "cast_by_tracking", "cast_by_tracking_prefix"]


def _row(row: Any) -> BallotRow:
    return BallotRow(row.ballot_id, row.credential, row.ballot_hash, row.kind, row.tracking_code, row.height)


def ballot_counts(x: E2eTx, election_id: int) -> dict[str, int]:
    """The number of ballot rows of each kind ("cast", "spoiled"): the rows are consecutive in height (R§5),
    so all of them number max − min + 1 (two probes of the (election, height) index); the spoiled ones are
    a COUNT over their range of the (election, kind, height) index; the cast ones are the rest."""
    b = e.e2e_ballot
    mine = b.c.election_id == election_id
    # two scalar sub-queries: each is one probe (one query asking min and max together scans on SQLite)
    low_q, high_q = (select(agg(b.c.height)).where(mine).scalar_subquery() for agg in (func.min, func.max))
    low, high = x.conn.execute(select(low_q, high_q)).one()
    if low is None:
        return {"cast": 0, "spoiled": 0}
    spoiled = select(func.count()).where(mine, b.c.kind == "spoiled")
    n_spoiled = int(x.conn.execute(spoiled).scalar_one())
    return {"cast": int(high) - int(low) + 1 - n_spoiled, "spoiled": n_spoiled}


def ballot_page(x: E2eTx, election_id: int, offset: int, limit: int) -> list[BallotRow]:
    """The ballot rows (cast and spoiled) ``offset`` to ``offset + limit`` in record (height) order."""
    b = e.e2e_ballot
    first = x.conn.execute(select(func.min(b.c.height)).where(b.c.election_id == election_id)).scalar_one()
    if first is None:
        return []
    base = select(b).where(b.c.election_id == election_id).order_by(b.c.height).limit(limit)
    rows = [_row(r) for r in x.conn.execute(base.where(b.c.height >= first + offset))]
    if all(r.height == first + offset + i for i, r in enumerate(rows)):
        return rows
    return [_row(r) for r in x.conn.execute(base.offset(offset))]  # pragma: no cover - not a record's shape


def cast_by_tracking(x: E2eTx, election_id: int, full: str) -> BallotRow | None:
    """The cast ballot with this full (64 lowercase hex) tracking code: one index probe."""
    b = e.e2e_ballot
    query = select(b).where(b.c.election_id == election_id, b.c.tracking_code == full)
    row = x.conn.execute(query).first()
    return None if row is None else _row(row)


def cast_by_tracking_prefix(x: E2eTx, election_id: int, prefix: str) -> BallotRow | None:
    """The first cast ballot (by height) whose tracking code starts with ``prefix`` (lowercase hex): one
    range of the (election, tracking code) index, between the prefix padded with 0s and with fs."""
    b = e.e2e_ballot
    low, high = prefix.ljust(64, "0"), prefix.ljust(64, "f")
    query = (
        select(b)
        .where(b.c.election_id == election_id, b.c.tracking_code >= low, b.c.tracking_code <= high)
        .order_by(b.c.height)
        .limit(1)
    )
    row = x.conn.execute(query).first()
    return None if row is None else _row(row)
