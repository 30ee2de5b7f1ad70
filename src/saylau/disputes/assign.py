"""Rapporteur assignment by a published rule, with the log entry as a value (spec/disputes.md §7).

- Rotation: the next judges in a published order after the last one assigned, skipping the recused.
- Lot from a public seed: the eligible judges ordered by SHA-256 over a purpose tag, the seed, the case id
  and the judge id, each length-prefixed (4 bytes, big-endian; STYLE habit 6), lowest digest first (ties,
  which SHA-256 makes unthinkable, by judge id). Anyone with the seed reproduces the order.
Pure: the caller passes the seed (published before the draw) and the recusals.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from saylau.disputes.codes import DisputesCode
from saylau.disputes.errors import DisputeError

__all__ = ["LOT_TAG", "Assignment", "by_lot", "by_rotation", "lot_digest"]

LOT_TAG = "saylau/disputes/rapporteur-lot/v1"
_MAX_JUDGES = 100
_MAX_ID = 200


def _part(text: str) -> bytes:
    raw = text.encode("utf-8")
    return len(raw).to_bytes(4, "big") + raw


def lot_digest(seed: str, case: str, judge: str) -> str:
    """SHA-256 (hex) of tag ‖ seed ‖ case ‖ judge, each length-prefixed: the judge's place in the lot."""
    return hashlib.sha256(b"".join(_part(p) for p in (LOT_TAG, seed, case, judge))).hexdigest()


@dataclass(frozen=True, slots=True)
class Assignment:
    """The log entry: the rule, what it was given, and whom it chose (in order)."""

    case: str
    rule: Literal["rotation", "lot"]
    judges: tuple[str, ...]  # the published order (rotation) or the bench (lot)
    recused: tuple[str, ...]
    chosen: tuple[str, ...]
    seed: str | None = None
    after: str | None = None  # rotation: the last judge assigned before
    ranking: tuple[tuple[str, str], ...] = ()  # lot: (judge, digest), lowest first

    def plain(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "rule": self.rule,
            "judges": list(self.judges),
            "recused": list(self.recused),
            "chosen": list(self.chosen),
            "seed": self.seed,
            "after": self.after,
            "ranking": [{"judge": j, "sha256": d} for j, d in self.ranking],
        }


def _check(case: str, judges: Sequence[str], recused: Sequence[str], count: int) -> list[str]:
    if not case or len(case) > _MAX_ID:
        raise DisputeError(f"case id of {len(case)} characters (1..{_MAX_ID})", code=DisputesCode.BAD_CASE)
    if not 0 < len(judges) <= _MAX_JUDGES or len(set(judges)) != len(judges) or not all(judges):
        raise DisputeError(f"the judges must be 1..{_MAX_JUDGES} distinct non-empty ids", code=DisputesCode.BAD_CASE)
    unknown = sorted(set(recused) - set(judges))
    if unknown:
        raise DisputeError(f"recused judges not on the bench: {', '.join(unknown)}", code=DisputesCode.BAD_CASE)
    eligible = [j for j in judges if j not in set(recused)]
    if not 0 < count <= len(eligible):
        raise DisputeError(
            f"case {case}: {count} rapporteur(s) asked, {len(eligible)} judge(s) eligible",
            code=DisputesCode.NO_ELIGIBLE_JUDGE,
            details={"case": case, "count": count, "eligible": len(eligible)},
        )
    return eligible


def by_rotation(
    case: str, order: Sequence[str], after: str | None, recused: Sequence[str] = (), count: int = 1
) -> Assignment:
    """The next ``count`` judges in ``order`` after ``after`` (the first when None), cycling, skipping the recused."""
    eligible = set(_check(case, order, recused, count))
    if after is not None and after not in order:
        raise DisputeError(f"the last judge assigned, {after}, is not in the order", code=DisputesCode.BAD_CASE)
    first = 0 if after is None else order.index(after) + 1
    cycle = [order[(first + i) % len(order)] for i in range(len(order))]
    chosen = tuple(j for j in cycle if j in eligible)[:count]
    return Assignment(case, "rotation", tuple(order), tuple(recused), chosen, after=after)


def by_lot(case: str, judges: Sequence[str], seed: str, recused: Sequence[str] = (), count: int = 1) -> Assignment:
    """The ``count`` eligible judges with the lowest :func:`lot_digest` for this seed and case."""
    if not 0 < len(seed) <= 64 or not all(" " <= ch <= "~" for ch in seed):
        raise DisputeError(
            "a lot seed is 1-64 printable ASCII characters",
            code=DisputesCode.BAD_LOT_SEED,
            details={"length": len(seed)},
        )
    eligible = _check(case, judges, recused, count)
    ranking = tuple(sorted(((j, lot_digest(seed, case, j)) for j in eligible), key=lambda x: (x[1], x[0])))
    chosen = tuple(j for j, _ in ranking[:count])
    return Assignment(case, "lot", tuple(judges), tuple(recused), chosen, seed=seed, ranking=ranking)
