"""Legal thresholds: which parties take part in the allocation.

A threshold is a share of a named base: ``all`` (every row, including AGAINST ALL, BLANK and INVALID:
the Kazakh base, kazakhstan.md §3) or ``parties`` (votes for parties only). It is compared with >= by
default (the Kazakh law: "at least 5%"), > as a setting. A party may also qualify by district seats
won (New Zealand: 1 electorate; Germany: 3 constituencies) or be exempt (national minorities).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from saylau.model.numbers import decimal_str, fraction_str
from saylau.model.strict import exact_fraction
from saylau.seats.codes import SeatsCode
from saylau.seats.types import PartyRow, SeatRules, SeatsError, Threshold

__all__ = ["parse_share", "qualify", "threshold_votes"]


def parse_share(text: str) -> Fraction:
    """``"5%"``, ``"0.5%"`` or ``"1/150"`` as an exact fraction in [0, 1]; a bare number is refused."""
    cell = text.strip()
    # ASCII digits of bounded length only (model.strict): no '５%', no 5,000-digit share
    percent = exact_fraction(cell[:-1]) if cell.endswith("%") and "/" not in cell else None
    ratio = exact_fraction(cell) if "/" in cell else None
    if percent is not None:
        share = percent / 100
    elif ratio is not None:
        share = ratio
    else:
        raise SeatsError(
            f"threshold {text!r}: write a percent (5%, 0.5%) or a fraction (1/20); a bare number is ambiguous",
            code=SeatsCode.BAD_THRESHOLD,
        )
    if share > 1:
        raise SeatsError(f"threshold {text!r} is more than 100%", code=SeatsCode.BAD_THRESHOLD)
    return share


def threshold_votes(threshold: Threshold, rows: Sequence[PartyRow]) -> tuple[int, Fraction]:
    """The base and the exact number of votes the threshold asks for."""
    base = sum(r.votes for r in rows if threshold.base == "all" or r.is_party)
    return base, threshold.share * base


def qualify(rows: Sequence[PartyRow], rules: SeatRules, steps: list[str]) -> list[bool]:
    """For each row: does it take part in the allocation?"""
    threshold, alt = rules.threshold, rules.alt_threshold_districts
    if threshold is None:
        steps.append("no threshold: every party takes part")
        return [r.is_party for r in rows]
    base, needed = threshold_votes(threshold, rows)
    op = ">" if threshold.strict else ">="
    steps.append(
        f"threshold: {op} {fraction_str(threshold.share)} of {base} votes ({threshold.base}) "
        f"= {decimal_str(needed, 4)} votes"
    )
    out: list[bool] = []
    for r in rows:
        if not r.is_party:
            out.append(False)
            continue
        passes = r.votes > needed if threshold.strict else r.votes >= needed
        why = f"{r.votes} votes {op} {decimal_str(needed, 4)}" if passes else f"{r.votes} votes, below"
        if not passes and r.threshold_exempt:
            passes, why = True, "exempt from the threshold"
        if not passes and alt is not None and r.district_seats >= alt:
            passes, why = True, f"{r.district_seats} district seats >= {alt}"
        steps.append(f"{r.name}: {'qualifies' if passes else 'does not qualify'} ({why})")
        out.append(passes)
    return out
