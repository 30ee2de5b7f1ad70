"""The demo's 10,012 precincts, double entry, aggregation and outcome (target ≤ 3 s).

.venv/bin/python -m bench.bench_demo [--db URL]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench._util import timed
from saylau.services import Context, run_demo, utc_now
from saylau.store import Store, connect, migrate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = connect(url)
        migrate(engine)
        ctx = Context(Store(engine), utc_now, "bench")
        with timed(f"demo kz-2022 on {engine.dialect.name}: 10,012 precincts x 2 entries, aggregate, decide", 3.0):
            run = run_demo(ctx, lambda _label, _done, _total: None)
        national = run.view.results[run.view.territory.root]
        print(
            f"  reported {national.reported:,}/{national.expected:,}; outcome adopted={run.view.outcomes['q1'].adopted}"
        )


if __name__ == "__main__":
    main()
