"""Seat allocation speed: 1,000 seats among 1,000 lists, per method (target ≤ 50 ms each).

Votes are drawn from a fixed seed (a benchmark input, not law). Each figure is the best of 5 runs of
``allocate`` with its full explanation log.

    .venv/bin/python -m bench.bench_seats [--seats N] [--lists P]
"""

from __future__ import annotations

import argparse
import random
import time
from fractions import Fraction

from saylau.seats import Method, PartyRow, SeatRules, Threshold, allocate

__all__ = ["main"]

TARGET_S = 0.050


def _rows(lists: int, seed: int = 2023) -> list[PartyRow]:
    rng = random.Random(seed)
    rows = [PartyRow(f"list {i:04d}", rng.randint(1_000, 5_000_000), order=i) for i in range(lists)]
    rows.append(PartyRow("AGAINST ALL", rng.randint(1_000, 100_000)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seats", type=int, default=1000)
    parser.add_argument("--lists", type=int, default=1000)
    args = parser.parse_args()
    rows = _rows(args.lists)
    threshold = Threshold(Fraction(1, 10_000))
    for method in Method:
        rules = SeatRules(method, threshold)
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            allocation = allocate(rows, args.seats, rules)
            best = min(best, time.perf_counter() - start)
        verdict = "met" if best <= TARGET_S else "MISSED"
        print(
            f"{method:>22}: {best * 1000:7.1f} ms for {allocation.house} seats, {args.lists} lists, "
            f"{len(allocation.steps)} steps (target ≤ {TARGET_S * 1000:g} ms: {verdict})",
            flush=True,
        )


if __name__ == "__main__":
    main()
