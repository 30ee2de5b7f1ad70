"""Protocol intake through the service layer: each protocol entered by two operators, one at a time.

Every protocol goes through ``services.protocols.enter_protocol`` twice (operator 1 keys it, operator 2
keys it again and the two entries are compared and the version accepted), one transaction per entry,
as the web form will do. Target (issue #5): ≥ 100 protocols/s.

.venv/bin/python -m bench.web.bench_protocol_intake [--protocols 1000] [--db URL ...]
(default: a temporary SQLite file and a fresh schema in postgresql+psycopg://postgres@127.0.0.1:5432/test)
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from saylau.count.layout import event_rules, protocol_layout
from saylau.io import parse_protocols
from saylau.model import Phase, ProtocolEntry
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context, utc_now
from saylau.services.paper.demo import demo_file
from saylau.services.paper.events import create_event, import_territory
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.protocols import enter_protocol
from saylau.store import Store, connect, migrate

__all__ = ["main", "pg_schema"]

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TARGET = 100.0


@contextmanager
def pg_schema(url: str = PG_URL) -> Iterator[str]:
    """A fresh schema in ``url``'s database, dropped afterwards: the URL to use it."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def run(url: str, count: int) -> float:
    engine = connect(url)
    migrate(engine)
    ctx = Context(Store(engine), utc_now, "bench")
    event = create_event(ctx, demo_file("event.json"), "kz-2022/event.json")
    code = event.code
    territory = import_territory(ctx, code, demo_file("territory.csv"), "kz-2022/territory.csv", "csv")
    advance(ctx, code, Phase.VOTING, LOCAL_CLI)
    advance(ctx, code, Phase.COUNTING, LOCAL_CLI)
    ballot = protocol_layout(event, event_rules(event), territory)
    questions = [q.code for q in event.contests]
    parsed = parse_protocols(
        demo_file("protocols.csv"),
        "kz-2022/protocols.csv",
        "csv",
        questions,
        ballot.fields,
        contests_of=ballot.contests_of,
    )[:count]
    start = time.perf_counter()
    for p in parsed:
        first = enter_protocol(ctx, code, ProtocolEntry(p.protocol, "op-1"), factor=LOCAL_CLI)
        second = enter_protocol(ctx, code, ProtocolEntry(p.protocol, "op-2"), factor=LOCAL_CLI)
        if (first.decision, second.decision) != ("awaiting_second", "agreed"):
            raise SystemExit(f"unexpected intake outcome for {p.protocol}: {first}, {second}")
    elapsed = time.perf_counter() - start
    engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--protocols", type=int, default=1000, help="protocols to enter twice (≤ 10,012)")
    parser.add_argument("--db", action="append", help="database URL (repeatable); default SQLite and PostgreSQL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-intake-") as tmp, pg_schema() as pg:
        for url in args.db or [f"sqlite:///{Path(tmp) / 'intake.db'}", pg]:
            backend = "PostgreSQL" if url.startswith("postgres") else "SQLite"
            elapsed = run(url, args.protocols)
            rate = args.protocols / elapsed
            print(
                f"protocol intake on {backend}: {args.protocols:,} protocols x 2 entries in {elapsed:.2f} s = "
                f"{rate:,.0f} protocols/s ({2 * args.protocols / elapsed:,.0f} entries/s; "
                f"target ≥ {TARGET:.0f} protocols/s: {'met' if rate >= TARGET else 'MISSED'})",
                flush=True,
            )


if __name__ == "__main__":
    main()
