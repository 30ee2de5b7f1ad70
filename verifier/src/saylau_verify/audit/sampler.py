"""The audit sampler of spec/audit.md §7, written from the text (exact integers and fractions)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from fractions import Fraction

__all__ = ["SEED", "draw_ballots", "draw_pps", "pps_hash", "sample_without_replacement", "ticket"]

SEED = re.compile(r"[0-9]{20}")
_TWO_256 = 1 << 256


def _u32(x: int) -> bytes:
    return x.to_bytes(4, "big")


def _u64(x: int) -> bytes:
    return x.to_bytes(8, "big")


def _lp(data: bytes) -> bytes:
    return _u32(len(data)) + data


def ticket(seed: str, item: str, j: int) -> int:
    """SHA-256("saylau/audit/ticket/v1" || 0x00 || lp(seed) || lp(id) || u64(j)) as a big-endian integer."""
    data = b"saylau/audit/ticket/v1\x00" + _lp(seed.encode("ascii")) + _lp(item.encode("utf-8")) + _u64(j)
    return int.from_bytes(hashlib.sha256(data).digest(), "big")


def sample_without_replacement(seed: str, items: Sequence[str], n: int) -> list[str]:
    """The first n items in the order of (ticket(seed, id, 1), id UTF-8 bytes)."""
    order = sorted(items, key=lambda i: (ticket(seed, i, 1), i.encode("utf-8")))
    return order[:n]


def pps_hash(tag: str, seed: str, k: int) -> int:
    data = tag.encode("ascii") + b"\x00" + _lp(seed.encode("ascii")) + _u64(k)
    return int.from_bytes(hashlib.sha256(data).digest(), "big")


def _pick(cumulative: Sequence[Fraction], total: Fraction, h: int) -> int:
    """The index i with C_{i-1} <= floor(h·W / 2^256) < C_i.

    For integer weights this is C_{i-1} <= h·W/2^256 < C_i (the C are integers); in that form the choice
    does not change when every weight is multiplied by one positive number, so rational weights (MACRO's
    u_b, spec/audit.md §4) draw what their integer multiples draw, whatever common denominator is used."""
    x = total * h / _TWO_256
    lo, hi = 0, len(cumulative) - 1
    while lo < hi:  # the first i with x < C_i
        mid = (lo + hi) // 2
        if x < cumulative[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _cumulative(weights: Sequence[Fraction | int]) -> list[Fraction]:
    out: list[Fraction] = []
    running = Fraction(0)
    for w in weights:
        if w < 0:
            raise ValueError("a weight is negative")
        running += w
        out.append(running)
    return out


def draw_pps(
    seed: str, items: Sequence[str], weights: Sequence[Fraction | int], n: int, first: int = 1, tag: str = "pps"
) -> list[str]:
    """Draws first .. first + n - 1 with replacement, proportional to the weights (items in manifest order)."""
    cumulative = _cumulative(weights)
    total = cumulative[-1] if cumulative else Fraction(0)
    if total <= 0:
        raise ValueError("the weights sum to 0")
    return [
        items[_pick(cumulative, total, pps_hash(f"saylau/audit/{tag}/v1", seed, k))] for k in range(first, first + n)
    ]


def draw_ballots(
    seed: str, batches: Sequence[str], ballots: Sequence[int], n: int, first: int = 1
) -> list[tuple[str, int]]:
    """Ballots with replacement, each equally likely: (batch, position counted from 1 in the batch)."""
    cumulative = _cumulative(ballots)
    total = int(cumulative[-1]) if cumulative else 0
    if total <= 0:
        raise ValueError("the batches hold no ballot")
    out: list[tuple[str, int]] = []
    for k in range(first, first + n):
        h = pps_hash("saylau/audit/ballot/v1", seed, k)
        r = h * total >> 256
        i = _pick(cumulative, Fraction(total), h)
        below = int(cumulative[i - 1]) if i else 0
        out.append((batches[i], r - below + 1))
    return out
