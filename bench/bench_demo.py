"""`saylau demo` without the process start-up: open the database, count the 10,012 precincts under double
entry, aggregate, decide, and write the report folder (target ≤ 3 s); the time of every phase it announces.

.venv/bin/python -m bench.bench_demo [--runs N] [--election] [--db URL]

Each run starts from a fresh SQLite file (with --db: one run into that database, which must be empty).
The count alone (run_demo, the figure this bench printed before issue 17) is printed beside the whole.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench._util import peak_mb
from saylau.cli.views import write_report
from saylau.services.context import Context, utc_now
from saylau.services.paper.demo import DEMO_DATASET, ELECTION_DATASET, run_demo
from saylau.store import Store, connect, migrate

TARGET_S = 3.0


class _Clock:
    """The progress callback of the demo: the seconds spent under each phase's label."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = {}
        self._label = "open the database"
        self._since = time.perf_counter()

    def __call__(self, label: str, _done: int, _total: int) -> None:
        now = time.perf_counter()
        self.phases[self._label] = self.phases.get(self._label, 0.0) + now - self._since
        self._label, self._since = label.partition(" (demo-operator")[0], now

    def stop(self) -> None:
        self("", 0, 0)
        self.phases.pop("done", None)


def _one(url: str, dataset: str, out: Path) -> tuple[float, float, float, dict[str, float]]:
    """(whole, CPU of the whole, count only, seconds per phase) of one run."""
    clock = _Clock()
    start, cpu = time.perf_counter(), time.process_time()
    engine = connect(url)
    migrate(engine)
    store = Store(engine)
    try:
        counted = time.perf_counter()
        run = run_demo(Context(store, utc_now, "bench"), clock, dataset)
        count_s = time.perf_counter() - counted
        write_report(run.view, out, clock)
    finally:
        store.dispose()
    whole, cpu = time.perf_counter() - start, time.process_time() - cpu
    clock.stop()
    return whole, cpu, count_s, clock.phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="an empty database URL (default: a fresh SQLite file per run)")
    parser.add_argument("--election", action="store_true", help="the 2023 Mazhilis election demo")
    parser.add_argument("--runs", type=int, default=3, help="runs (default 3; 1 with --db)")
    args = parser.parse_args()
    dataset = ELECTION_DATASET if args.election else DEMO_DATASET
    runs = 1 if args.db else max(1, args.runs)
    wholes: list[float] = []
    cpus: list[float] = []
    counts: list[float] = []
    phases: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            url = args.db or f"sqlite:///{Path(tmp) / f'bench-{i}.db'}"
            whole, cpu, count_s, seen = _one(url, dataset, Path(tmp) / f"report-{i}")
            wholes.append(whole)
            cpus.append(cpu)
            counts.append(count_s)
            for label, seconds in seen.items():
                phases.setdefault(label, []).append(seconds)
            print(f"  run {i + 1}: {whole:.3f} s, CPU {cpu:.3f} s (the count {count_s:.3f} s)", flush=True)
        engine = "postgresql" if args.db and args.db.startswith("postgresql") else "sqlite"
    whole_s, count_s = statistics.median(wholes), statistics.median(counts)
    verdict = "met" if whole_s <= TARGET_S else "MISSED"
    print(f"demo {dataset} on {engine}: open, every protocol x 2 entries, aggregate, decide, report")
    print(f"  median of {runs}: {whole_s:.3f} s (target ≤ {TARGET_S:g} s: {verdict}); the count alone {count_s:.3f} s")
    print(f"  runs: {', '.join(f'{w:.3f}' for w in wholes)} s; CPU median {statistics.median(cpus):.3f} s; "
          f"peak memory {peak_mb():.0f} MB")  # fmt: skip
    for label, seconds in phases.items():
        print(f"  {statistics.median(seconds):7.3f} s  {label}")


if __name__ == "__main__":
    main()
