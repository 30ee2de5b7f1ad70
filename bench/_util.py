"""Shared helpers for the benchmarks: wall time and peak memory of this process."""

from __future__ import annotations

import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["peak_mb", "timed"]


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timed(label: str, budget_s: float | None = None) -> Iterator[None]:
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    verdict = ""
    if budget_s is not None:
        verdict = f"  (target ≤ {budget_s:g} s: {'met' if elapsed <= budget_s else 'MISSED'})"
    print(f"{label}: {elapsed:.3f} s, peak memory {peak_mb():.0f} MB{verdict}", flush=True)
