"""What the demo data generators share: whole-number apportionment, self-checks, writing, the command line.

Imported by the generator scripts beside it (they run as scripts, so this folder is on their path).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

__all__ = ["apportion", "ensure", "run", "write_files"]


def apportion(total: int, weights: Sequence[int], caps: Sequence[int] | None = None) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder, ties to the first), within caps."""
    out = [0] * len(weights)
    free = [i for i, w in enumerate(weights) if w > 0]
    left = total
    while left and free:
        wsum = sum(weights[i] for i in free)
        share = {i: left * weights[i] // wsum for i in free}
        rest = left - sum(share.values())
        for i in sorted(free, key=lambda i: (-(left * weights[i] % wsum), i))[:rest]:
            share[i] += 1
        capped = [i for i in free if caps is not None and out[i] + share[i] > caps[i]]
        if not capped:
            for i in free:
                out[i] += share[i]
            return out
        for i in capped:
            assert caps is not None  # for mypy: capped is empty without caps
            left -= caps[i] - out[i]
            out[i] = caps[i]
        free = [i for i in free if i not in capped]
    if left:
        raise ValueError(f"cannot place {left} within the caps")
    return out


def ensure(ok: bool, what: object) -> None:
    """The generators check every official total and protocol relation they promise, and stop if broken."""
    if not ok:
        raise RuntimeError(f"reconstruction broken: {what}")


def write_files(out: Path, files: Mapping[str, str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out / name).write_bytes(text.encode("utf-8"))


def run(
    doc: str | None, out: Path, seed: int, write: Callable[[Path, int], None], argv: Sequence[str] | None = None
) -> None:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    parser.add_argument("--out", type=Path, default=out, help="directory to write (default: the shipped one)")
    parser.add_argument("--seed", type=int, default=seed, help="random seed (default: the shipped one)")
    args = parser.parse_args(argv)
    write(args.out, args.seed)
