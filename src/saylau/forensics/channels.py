"""Paper against e-ballots in the units where both exist (spec/forensics.md §9).

Per unit: the winner's share of valid votes in each channel, their difference, and Pearson's chi-square
test of homogeneity of the 2 x k table (channel x option; options with no vote in the unit dropped), k - 1
degrees of freedom. Pooled: the sum of the units' chi-squares on the sum of their degrees of freedom
(independent units). Who votes electronically differs from who votes on paper, so a difference is expected
even in a clean count: the test says how large it is, not why.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy import stats

from saylau.forensics.results import ChannelComparison, ChannelUnit, Skipped
from saylau.forensics.types import ChannelPair

__all__ = ["compare_channels"]


def _share(votes: Mapping[str, int], winner: str) -> float:
    total = sum(votes.values())
    return votes[winner] / total if total else 0.0


def _unit(pair: ChannelPair, options: tuple[str, ...], winner: str, alpha: float) -> ChannelUnit:
    table = np.array([[pair.paper[o] for o in options], [pair.electronic[o] for o in options]], dtype=np.int64)
    table = table[:, table.sum(axis=0) > 0]
    chi2, df, p = 0.0, 0, 1.0
    if table.shape[1] >= 2 and (table.sum(axis=1) > 0).all():
        test = stats.chi2_contingency(table, correction=False)
        chi2, df, p = float(test.statistic), int(test.dof), float(test.pvalue)
    paper, electronic = _share(pair.paper, winner), _share(pair.electronic, winner)
    return ChannelUnit(
        unit=pair.unit,
        paper_votes=sum(pair.paper.values()),
        electronic_votes=sum(pair.electronic.values()),
        paper_share=paper,
        electronic_share=electronic,
        difference=electronic - paper,
        chi2=chi2,
        df=df,
        p_value=p,
        flagged=p < alpha,
    )


def compare_channels(
    pairs: tuple[ChannelPair, ...], options: tuple[str, ...], winner: str, alpha: float
) -> ChannelComparison | Skipped:
    if not pairs:
        return Skipped("channels", "no unit has both paper and electronic votes")
    units = tuple(sorted((_unit(p, options, winner, alpha) for p in pairs), key=lambda u: u.unit))
    chi2 = sum(u.chi2 for u in units)
    df = sum(u.df for u in units)
    p = float(stats.chi2.sf(chi2, df)) if df else 1.0
    return ChannelComparison(units=units, chi2=chi2, df=df, p_value=p, flagged=p < alpha)
