"""The demo's 10,012 precincts, double entry, aggregation and outcome (target ≤ 3 s).

.venv/bin/python -m bench.bench_demo [--db URL]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench._util import timed
from saylau.services.context import Context, utc_now
from saylau.services.paper.demo import DEMO_DATASET, ELECTION_DATASET, run_demo
from saylau.store import Store, connect, migrate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--election", action="store_true", help="the 2023 Mazhilis election demo")
    args = parser.parse_args()
    dataset = ELECTION_DATASET if args.election else DEMO_DATASET
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = connect(url)
        migrate(engine)
        ctx = Context(Store(engine), utc_now, "bench")
        label = f"demo {dataset} on {engine.dialect.name}: every protocol x 2 entries, aggregate, decide"
        with timed(label, 3.0):
            run = run_demo(ctx, lambda _label, _done, _total: None, dataset)
        national = run.view.results[run.view.territory.root]
        print(f"  reported {national.reported:,}/{national.expected:,} precincts")


if __name__ == "__main__":
    main()
