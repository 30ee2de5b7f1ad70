"""The public seed and the SHA-256 sampler (spec/audit.md §7, byte for byte; vectors in spec/vectors/audit/).

Shared by the audit and the petitions (spec/petitions.md §6), so it sits below both in the layers; it moved
here from saylau.audit.sampler unchanged but for its error class and the optional purpose tag.

- A seed is exactly 20 ASCII decimal digits, rolled with dice in public (two members enter it).
- ``ticket(seed, item, j)`` is SHA-256 over a purpose tag, the seed and the item id, each length-prefixed,
  and the ticket index ``j`` as 8 bytes big-endian, read as a 256-bit big-endian integer. Without
  replacement the sample is the items in increasing order of their first ticket (``j = 1``), ties broken
  by the id's bytes: Rivest's consistent sampler ("Consistent Sampling with Replacement", arXiv
  1808.10016, 2018) — a larger sample extends a smaller one, and an item's place does not depend on the
  other items.
- With replacement and probability proportional to integer weights (MACRO's PPS draw), draw ``k`` is
  ``r = ⌊H_k · W / 2^256⌋`` with ``H_k = SHA-256(tag, seed, k)`` and ``W = Σ w``: the item whose interval
  of cumulative weight (items in the order of their ids' bytes) holds ``r``. Exact integer arithmetic; the
  draws 1..n are a prefix of the draws 1..n+m, so an escalation extends the sample.
- Ballots with replacement, each equally likely (polling, ballot comparison): the same with the ballot counts
  as weights and its own tag; draw ``k`` is (batch ``i``, position ``r − C_{i−1} + 1``).
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from saylau.crypto.codes import CryptoCode
from saylau.crypto.errors import CryptoError

__all__ = [
    "BALLOT_TAG",
    "PPS_TAG",
    "SEED_DIGITS",
    "TICKET_TAG",
    "SamplerError",
    "Seed",
    "draw_ballots",
    "draw_pps",
    "draw_without_replacement",
    "ticket",
]

SEED_DIGITS = 20
TICKET_TAG = b"saylau/audit/ticket/v1"
PPS_TAG = b"saylau/audit/pps/v1"
BALLOT_TAG = b"saylau/audit/ballot/v1"


class SamplerError(CryptoError):
    """A seed or an item list the sampler cannot take (the code says which)."""

    code = CryptoCode.BAD_SEED


@dataclass(frozen=True, slots=True)
class Seed:
    """A validated public seed: exactly 20 ASCII digits."""

    digits: str

    def __post_init__(self) -> None:
        text = self.digits
        if len(text) != SEED_DIGITS or not all("0" <= ch <= "9" for ch in text):
            raise SamplerError(
                f"a seed is exactly {SEED_DIGITS} ASCII digits (0-9), not {text!r}",
                code=CryptoCode.BAD_SEED,
                details={"length": len(text)},
            )


def _prefixed(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def ticket(seed: Seed, item: str, j: int, tag: bytes = TICKET_TAG) -> int:
    """SHA-256(tag || 0x00 || u32(len seed) || seed || u32(len id) || id UTF-8 || u64(j)) as an integer.

    ``tag`` is the purpose: the audit's TICKET_TAG unless a caller (the petitions) names its own."""
    data = tag + b"\x00" + _prefixed(seed.digits.encode("ascii")) + _prefixed(item.encode("utf-8"))
    return int.from_bytes(hashlib.sha256(data + j.to_bytes(8, "big")).digest(), "big")


def draw_without_replacement(seed: Seed, items: Sequence[str], n: int, tag: bytes = TICKET_TAG) -> tuple[str, ...]:
    """The first ``n`` items by first ticket (Rivest's consistent sampler, without replacement)."""
    if len(set(items)) != len(items):
        raise SamplerError("each item is listed once", code=CryptoCode.SAMPLER_BAD_ITEMS)
    keyed = ((ticket(seed, item, 1, tag), item.encode("utf-8"), item) for item in items)
    return tuple(item for _, _, item in heapq.nsmallest(max(n, 0), keyed))


def _pps_hash(seed: Seed, k: int, tag: bytes = PPS_TAG) -> int:
    data = tag + b"\x00" + _prefixed(seed.digits.encode("ascii")) + k.to_bytes(8, "big")
    return int.from_bytes(hashlib.sha256(data).digest(), "big")


def draw_pps(seed: Seed, items: Sequence[str], weights: Sequence[int], n: int, start: int = 1) -> tuple[str, ...]:
    """Draws ``start`` .. ``start + n − 1`` with replacement, item ``i`` with probability ``w_i / Σw``.

    ``items`` must be in the order of their ids' UTF-8 bytes (a Manifest's order)."""
    return tuple(items[i] for i, _ in _draw(seed, items, weights, n, start, PPS_TAG))


def draw_ballots(
    seed: Seed, batches: Sequence[str], ballots: Sequence[int], n: int, start: int = 1
) -> tuple[tuple[str, int], ...]:
    """Ballots drawn with replacement, each of the manifest's ballots equally likely: (batch, position from 1).

    As ``draw_pps`` with the ballot counts as weights and tag BALLOT_TAG; the position is ``r − C_{i−1} + 1``."""
    return tuple((batches[i], offset + 1) for i, offset in _draw(seed, batches, ballots, n, start, BALLOT_TAG))


def _draw(
    seed: Seed, items: Sequence[str], weights: Sequence[int], n: int, start: int, tag: bytes
) -> list[tuple[int, int]]:
    """(index of the item, r − C_{i−1}) for draws start .. start + n − 1."""
    if len(items) != len(weights) or any(w < 0 for w in weights) or sum(weights) <= 0:
        raise SamplerError("PPS needs one weight ≥ 0 per item and a positive total", code=CryptoCode.SAMPLER_BAD_ITEMS)
    if any(a >= b for a, b in itertools.pairwise(items)):  # code-point order = the UTF-8 bytes' order
        raise SamplerError(
            "PPS items must be distinct and in the order of their ids' bytes", code=CryptoCode.SAMPLER_BAD_ITEMS
        )
    cumulative = list(itertools.accumulate(weights))
    total = cumulative[-1]
    out = []
    for k in range(start, start + n):
        r = (_pps_hash(seed, k, tag) * total) >> 256
        i = bisect.bisect_right(cumulative, r)
        out.append((i, r - (cumulative[i - 1] if i else 0)))
    return out
