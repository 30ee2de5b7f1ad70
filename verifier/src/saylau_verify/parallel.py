"""V12's ballot checks in chunks: inline, in a local process pool (default: all cores) or on a Dask scheduler."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial

from saylau_verify.crypto.ballot import verify_ballot
from saylau_verify.model import Ballot, QuestionSpec

__all__ = ["check_chunk", "run_ballot_checks"]

Item = tuple[str, Ballot]
Outcome = list[tuple[str, list[str]]]

INLINE_BELOW = 64
"""Fewer ballots than this are checked in the calling process (a pool costs more than it saves)."""


def check_chunk(election: str, key: bytes, questions: Sequence[QuestionSpec], items: Sequence[Item]) -> Outcome:
    """Verify each ballot (C§7.4); return (label, problems) for those that fail."""
    out: Outcome = []
    for label, ballot in items:
        problems = verify_ballot(ballot, questions, key, election)
        if problems:
            out.append((label, problems))
    return out


def _chunks(items: Sequence[Item], workers: int) -> list[list[Item]]:
    size = max(16, -(-len(items) // (workers * 8)))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _dask(address: str, work: partial[Outcome], chunks: list[list[Item]]) -> Outcome:
    from distributed import Client

    with Client(address, set_as_default=False) as client:  # type: ignore[no-untyped-call]
        futures = client.map(work, chunks, pure=False)
        results: list[Outcome] = client.gather(futures)
    return [entry for result in results for entry in result]


def run_ballot_checks(
    items: Sequence[Item],
    election: str,
    key: bytes,
    questions: Sequence[QuestionSpec],
    jobs: int = 0,
    dask_address: str | None = None,
) -> Outcome:
    """Check all ballots; ``jobs`` 0 = all cores, 1 = this process; ``dask_address`` wins over ``jobs``."""
    work = partial(check_chunk, election, key, tuple(questions))
    if dask_address is not None:
        return _dask(dask_address, work, _chunks(items, 4))
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    if workers == 1 or len(items) < INLINE_BELOW:
        return work(items)
    chunks = _chunks(items, workers)
    with ProcessPoolExecutor(max_workers=min(workers, len(chunks))) as pool:
        results = list(pool.map(work, chunks))
    return [entry for result in results for entry in result]
