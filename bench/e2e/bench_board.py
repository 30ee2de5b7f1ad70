"""The public bulletin board at scale (issue 9): a board page and a tracking-code lookup at 300,000 ballots.

An open e2e referendum is set up through the services; then ``--ballots`` cast-ballot rows are written
straight into ``e2e_ballot`` (random hashes and tracking codes, one registered credential: the board reads
these rows only, so no proofs are needed). Timed: ``board_page`` at the first, middle and last offset,
``find_tracking`` by full and by short code, and, for comparison, reading every cast ballot of the election
(what each board request did before, ``E2eTx.cast_ballots``).

.venv/bin/python -m bench.e2e.bench_board [--ballots 300000] [--db URL | --sqlite] [--repeat 20]
(default database: a fresh schema in postgresql+psycopg://postgres@127.0.0.1:5432/test, dropped afterwards)
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

from bench.web.bench_protocol_intake import pg_schema
from sqlalchemy import insert

from saylau.crypto.credentials import issue_credential
from saylau.crypto.keys import CeremonyParams
from saylau.record.events import Manifest
from saylau.services.context import Context, utc_now
from saylau.services.e2e.board import board_page, find_tracking
from saylau.services.e2e.demo import YES_NO, key_ceremony
from saylau.services.e2e.lifecycle import register_credentials, setup_election
from saylau.services.e2e.state import load_state
from saylau.store import Store, connect, migrate
from saylau.store import e2e_schema as e
from saylau.store.e2e_repo import E2eTx

__all__ = ["main"]


def _fill(ctx: Context, count: int) -> tuple[str, list[str]]:
    """The election's code and the tracking codes of its ``count`` cast ballots (rows written directly)."""
    rng = secrets.token_bytes
    code = f"board-{secrets.token_hex(4)}"
    fingerprint = setup_election(ctx, Manifest(code, "Bench", YES_NO, 3, 2, "last"))
    key_ceremony(ctx, code, fingerprint, CeremonyParams(3, 2), rng)
    _, public = issue_credential(fingerprint, rng)
    register_credentials(ctx, code, [public])
    with ctx.store.transaction() as tx:
        x = E2eTx(tx)
        state = load_state(x, code)
        election, base = state.row.id, state.head.height + 1
    codes = [secrets.token_hex(32) for _ in range(count)]
    for start in range(0, count, 10_000):
        rows = [
            {
                "election_id": election,
                "ballot_id": f"b{n}",
                "credential": public.hex(),
                "ballot_hash": secrets.token_hex(32),
                "kind": "cast",
                "tracking_code": codes[n],
                "height": base + n,
            }
            for n in range(start, min(start + 10_000, count))
        ]
        with ctx.store.transaction(write=True) as tx:
            tx.conn.execute(insert(e.e2e_ballot), rows)
    return code, codes


def _ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(url: str, count: int, repeat: int) -> None:
    engine = connect(url)
    migrate(engine)
    ctx = Context(Store(engine), utc_now, "bench")
    start = time.perf_counter()
    code, codes = _fill(ctx, count)
    print(f"{engine.dialect.name}: {count} cast ballots written in {time.perf_counter() - start:.1f} s")
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE e2e_ballot")
    last = codes[-1]
    short = find_tracking(ctx, code, last).tracking
    assert short is not None
    figures = {
        "board page 1 (100 entries)": lambda: board_page(ctx, code, 0, 100),
        "board page in the middle": lambda: board_page(ctx, code, count // 2, 100),
        "board last page": lambda: board_page(ctx, code, max(count - 100, 0), 100),
        "lookup by full tracking code": lambda: find_tracking(ctx, code, last),
        "lookup by short tracking code": lambda: find_tracking(ctx, code, short.short),
    }
    for name, action in figures.items():
        print(f"  {name:<34} {_ms(action, repeat):8.2f} ms (median of {repeat})")

    def read_all() -> None:
        with ctx.store.transaction() as tx:
            x = E2eTx(tx)
            x.cast_ballots(load_state(x, code).row.id)

    print(f"  {'(before) reading every ballot':<34} {_ms(read_all, 3):8.2f} ms (median of 3)")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=20)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", help="a database URL (default: a fresh PostgreSQL schema, dropped afterwards)")
    where.add_argument("--sqlite", action="store_true", help="a temporary SQLite file")
    args = parser.parse_args()
    if args.sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{Path(tmp) / 'board.db'}", args.ballots, args.repeat)
        return
    with nullcontext(args.db) if args.db else pg_schema() as url:
        run(url, args.ballots, args.repeat)


if __name__ == "__main__":
    main()
