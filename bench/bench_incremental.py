"""After one more protocol arrives, updated aggregates at every level (target ≤ 50 ms).

Loads the kz-2022 demo, keeps the results live in memory (``LiveResults``), then a correction of one
precinct is keyed twice (double entry) and the results refreshed. Prints the time of the refresh alone,
of the second entry plus the refresh, and of the core's incremental update.

    .venv/bin/python -m bench.bench_incremental [--db URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from saylau.model import Operator, Protocol, ProtocolEntry, QuestionCode, UnitCode
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context, utc_now
from saylau.services.paper.demo import run_demo
from saylau.services.paper.protocols import enter_protocol
from saylau.services.paper.results import LiveResults
from saylau.store import Store, connect, migrate

ROUNDS = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = connect(args.db or f"sqlite:///{Path(tmp) / 'bench.db'}")
        migrate(engine)
        ctx = Context(Store(engine), utc_now, "bench")
        run = run_demo(ctx, lambda _label, _done, _total: None)
        code = run.view.event.code
        live = LiveResults(ctx, code)
        live.refresh()
        precincts = run.view.territory.precincts()
        refresh_ms, entry_ms = [], []
        for i in range(ROUNDS):
            precinct = precincts[i * 97]
            counts = dict(run.view.results[precinct].totals[QuestionCode("q1")])
            counts["yes"], counts["no"] = counts["yes"] - 1, counts["no"] + 1  # a recount moves one ballot
            protocol = Protocol(UnitCode(precinct), {QuestionCode("q1"): counts})
            reason = "recount ordered by the district commission"
            enter_protocol(ctx, code, ProtocolEntry(protocol, Operator("op-a"), reason), factor=LOCAL_CLI)
            start = time.perf_counter()
            enter_protocol(ctx, code, ProtocolEntry(protocol, Operator("op-b"), reason), factor=LOCAL_CLI)
            mid = time.perf_counter()
            view = live.refresh()
            end = time.perf_counter()
            assert view.results[precinct].totals[QuestionCode("q1")]["yes"] == counts["yes"]
            entry_ms.append((end - start) * 1000)
            refresh_ms.append((end - mid) * 1000)
        print(f"one more protocol on {engine.dialect.name}, 10,012 precincts, {ROUNDS} rounds:")
        print(
            f"  refresh of aggregates at every level: median {statistics.median(refresh_ms):.1f} ms, "
            f"max {max(refresh_ms):.1f} ms (target ≤ 50 ms: "
            f"{'met' if statistics.median(refresh_ms) <= 50 else 'MISSED'})"
        )
        print(f"  second entry (accepting the protocol) + refresh: median {statistics.median(entry_ms):.1f} ms")


if __name__ == "__main__":
    main()
