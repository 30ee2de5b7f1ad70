"""Breaking ties: by registration order (the Kazakh rule) or by a lot anyone can re-draw from a seed.

The lot (spec/seats.md §5): each tied party's ticket is the SHA-256 hex digest of the length-prefixed
parts ``b"saylau/seats/lot/v1"``, the seed (UTF-8) and the party name (UTF-8), each part preceded by its
length as 8 bytes big-endian. The lowest ticket ranks first. No pseudo-random generator is involved.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import assert_never

from saylau.seats.types import TieBreakMode, TieUnresolved

__all__ = ["LOT_TAG", "TieBreak", "lot_ticket", "select"]

LOT_TAG = b"saylau/seats/lot/v1"


def lot_ticket(seed: str, party: str) -> str:
    """The party's lot ticket for this seed (lower draws first)."""
    h = hashlib.sha256()
    for part in (LOT_TAG, seed.encode("utf-8"), party.encode("utf-8")):
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class TieBreak:
    """Ranks tied parties (indices into ``names``) best first, and logs how."""

    mode: TieBreakMode
    names: tuple[str, ...]
    orders: tuple[int | None, ...]
    seed: str | None = None

    def rank(self, tied: Sequence[int], what: str, steps: list[str]) -> list[int]:
        names = [self.names[i] for i in tied]
        match self.mode:
            case "order":
                keys = [self.orders[i] for i in tied]
                known = [k for k in keys if k is not None]
                if len(known) < len(keys) or len(set(known)) < len(known):
                    raise TieUnresolved(names, what, "registration order missing or equal")
                ranked = sorted(tied, key=lambda i: self.orders[i] or 0)
                shown = ", ".join(f"{self.names[i]} (order {self.orders[i]})" for i in ranked)
                steps.append(f"tie for {what}: broken by registration order, earlier first: {shown}")
            case "lot":
                if self.seed is None:
                    raise TieUnresolved(names, what, "a lot needs a public seed")
                seed = self.seed
                tickets = {i: lot_ticket(seed, self.names[i]) for i in tied}
                ranked = sorted(tied, key=lambda i: tickets[i])
                shown = ", ".join(f"{self.names[i]} ({tickets[i][:16]})" for i in ranked)
                steps.append(f"tie for {what}: broken by lot with seed {seed!r}, lowest SHA-256 ticket first: {shown}")
            case _:
                assert_never(self.mode)
        return ranked


def select(
    candidates: Sequence[int],
    key: Callable[[int], int | Fraction],
    k: int,
    tb: TieBreak,
    what: str,
    steps: list[str],
    *,
    ascending: bool = False,
) -> list[int]:
    """The ``k`` candidates with the largest keys (smallest with ``ascending``), in rank order.

    A tie straddling the cut is broken by ``tb``; when taking the smallest, the party ranked last
    by ``tb`` (registered later, or drawn later) is the one taken first.
    """
    if k <= 0:
        return []
    ordered = sorted(candidates, key=key, reverse=not ascending)
    if k >= len(ordered):
        return ordered
    cut = key(ordered[k - 1])
    if key(ordered[k]) != cut:
        return ordered[:k]
    tied = [i for i in ordered if key(i) == cut]
    sure = [i for i in ordered[:k] if key(i) != cut]
    ranked = tb.rank(tied, what, steps)
    if ascending:
        ranked.reverse()
    return sure + ranked[: k - len(sure)]
