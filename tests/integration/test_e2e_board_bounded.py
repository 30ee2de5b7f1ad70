"""Issue 9 (Medium 9): a page of the public board and a lookup by tracking code read a bounded number of
rows, whatever the number of ballots (SQLite and PostgreSQL); the entries are those of the record."""

from __future__ import annotations

from typing import Any

import pytest
from tests.integration.test_e2e_intake import CODE, Election, _rng, _setup

from saylau.crypto.ballot import encrypt_ballot, open_spoiled
from saylau.crypto.credentials import signing_key
from saylau.services.context import Context
from saylau.services.e2e.board import board_page, find_tracking
from saylau.services.e2e.casting import spoil_ballot
from saylau.services.e2e.demo import YES_NO
from saylau.services.e2e.intake import BallotIntake
from saylau.store import e2e_repo
from saylau.store.e2e_repo import E2eTx


class _Counting:
    """A connection that counts the rows each statement returns (read-only use: the board's)."""

    def __init__(self, conn: Any, fetched: list[int]):
        self._conn, self._fetched = conn, fetched

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        result = self._conn.execute(*args, **kwargs)
        if not result.returns_rows:
            return result
        frozen = result.freeze()
        self._fetched.append(len(frozen.data))
        return frozen()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    rows: list[int] = []
    real = E2eTx.__init__

    def counting(self: E2eTx, tx: Any) -> None:
        real(self, tx)
        self.conn = _Counting(self.conn, rows)

    monkeypatch.setattr(E2eTx, "__init__", counting)
    return rows


def _no_full_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("cast_ballots", "events"):  # the reads of every ballot or every event of an election

        def refuse(*_a: Any, _name: str = name, **_k: Any) -> Any:
            raise AssertionError(f"the board read all rows with E2eTx.{_name}")

        monkeypatch.setattr(e2e_repo.E2eTx, name, refuse)


def _fill(ctx: Context, el: Election, n: int, start: int) -> list[str]:
    """n cast ballots and, every 7th, a spoiled one; the tracking codes of the cast ones."""
    intake = BallotIntake(ctx, max_batch=64, max_wait=0.01, max_casts=1000)
    codes = []
    try:
        for k in range(start, start + n):
            voter = k % len(el.voters)
            if k % 7 == 3:
                key = signing_key(el.voters[voter], el.fingerprint)
                ballot, device = encrypt_ballot(
                    YES_NO, [[1, 0]], el.council.joint_key, el.fingerprint, f"s{k}", key, _rng()
                )
                spoil_ballot(ctx, CODE, ballot, open_spoiled(ballot, device))
            codes.append(intake.cast(CODE, el.ballot(voter, k % 2, f"c{k}", _rng())).tracking.full)
    finally:
        intake.close()
    return codes


def _measure(ctx: Context, fetched: list[int], offset: int, tracking: str) -> tuple[list[int], list[int], Any]:
    fetched.clear()
    page = board_page(ctx, CODE, offset, 5)
    on_page = list(fetched)
    fetched.clear()
    entry = find_tracking(ctx, CODE, tracking)
    short = find_tracking(ctx, CODE, entry.tracking.short.lower() if entry.tracking else "")
    assert short == entry
    return on_page, list(fetched), page


def test_board_page_and_lookup_read_bounded_rows(
    ctx: Context, fetched: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    el = _setup(ctx, voters=4)
    codes = _fill(ctx, el, 10, 0)
    small_page, small_lookup, page = _measure(ctx, fetched, 3, codes[-1])
    assert (page.cast, page.spoiled) == (10, 1)
    assert [e.kind for e in page.entries] == ["spoiled", "cast", "cast", "cast", "cast"]
    assert page.entries[0].opening is not None
    codes += _fill(ctx, el, 30, 10)
    _no_full_reads(monkeypatch)
    big_page, big_lookup, page = _measure(ctx, fetched, 3, codes[-1])
    assert (page.cast, page.spoiled) == (40, 6)
    assert big_page == small_page  # the same statements, the same number of rows each
    assert big_lookup == small_lookup
    assert sum(big_page) <= 5 + 10  # the page's rows, its spoiled events, a few single-row reads
    last = board_page(ctx, CODE, 44, 5)  # the end of the board: what is left
    assert [e.kind for e in last.entries] == ["cast", "cast"]
    assert last.entries[-1].tracking is not None
    assert last.entries[-1].tracking.full == codes[-1]
    assert board_page(ctx, CODE, 46, 5).entries == ()
