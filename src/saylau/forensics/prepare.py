"""Check the input, choose the winner and leave out the precincts the distribution checks must not see
(spec/forensics.md §1–§2). Everything after works on the :class:`Sample` this returns."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from saylau.forensics.codes import ForensicsCode
from saylau.forensics.results import Exclusion, ExclusionReason
from saylau.forensics.types import ForensicsError, ForensicsInput, ForensicsSettings, PrecinctData

__all__ = ["Sample", "prepare"]


@dataclass(frozen=True, slots=True)
class Sample:
    """The analysed precincts as arrays (one entry per precinct, in input order)."""

    options: tuple[str, ...]
    winner: str
    codes: tuple[str, ...]
    regions: tuple[str, ...]
    registered: NDArray[np.int64]
    cast: NDArray[np.int64]
    valid: NDArray[np.int64]  # valid votes for the options
    won: NDArray[np.int64]  # the winner's votes
    votes: NDArray[np.int64]  # (precincts, options)
    exclusions: tuple[Exclusion, ...]

    @property
    def turnout(self) -> NDArray[np.float64]:
        return self.cast / self.registered

    @property
    def share(self) -> NDArray[np.float64]:
        return self.won / self.valid

    def __len__(self) -> int:
        return len(self.codes)


def prepare(data: ForensicsInput, settings: ForensicsSettings) -> Sample:
    """The sample of ``data`` the checks read; raises ForensicsError on input no check can read."""
    settings.check()
    if not data.precincts:
        raise ForensicsError("no precinct to examine", code=ForensicsCode.NO_PRECINCTS)
    options = _options(data)
    winner = _winner(data, options)
    kept: list[PrecinctData] = []
    excluded: list[Exclusion] = []
    for p in data.precincts:
        reason = _exclusion(p, settings)
        if reason is None:
            kept.append(p)
        else:
            special = p.special if reason is ExclusionReason.SPECIAL else None
            excluded.append(Exclusion(p.code, p.region, reason, special))
    votes = np.array([[p.votes[o] for o in options] for p in kept], dtype=np.int64).reshape(len(kept), len(options))
    return Sample(
        options=options,
        winner=winner,
        codes=tuple(p.code for p in kept),
        regions=tuple(p.region for p in kept),
        registered=np.array([p.registered for p in kept], dtype=np.int64),
        cast=np.array([p.cast for p in kept], dtype=np.int64),
        valid=votes.sum(axis=1),
        won=votes[:, options.index(winner)],
        votes=votes,
        exclusions=tuple(excluded),
    )


def _options(data: ForensicsInput) -> tuple[str, ...]:
    options = tuple(data.precincts[0].votes)
    dupes = [code for code, n in Counter(p.code for p in data.precincts).items() if n > 1]
    if dupes:
        raise ForensicsError(
            f"precinct codes given twice: {', '.join(sorted(dupes))}",
            code=ForensicsCode.DUPLICATE_PRECINCT,
            details={"precincts": sorted(dupes)},
        )
    odd = [p.code for p in data.precincts if set(p.votes) != set(options)]
    odd += [c.unit for c in data.channels if set(c.paper) != set(options) or set(c.electronic) != set(options)]
    if odd or len(options) < 2:
        raise ForensicsError(
            f"every precinct and channel must list the same options (at least two) as the first: {', '.join(odd)}",
            code=ForensicsCode.OPTION_MISMATCH,
            details={"options": list(options), "precincts": odd},
        )
    negative = [p.code for p in data.precincts if min(p.registered, p.cast, *p.votes.values()) < 0]
    negative += [c.unit for c in data.channels if min(*c.paper.values(), *c.electronic.values()) < 0]
    if negative:
        raise ForensicsError(
            f"counts below zero at {', '.join(negative)}",
            code=ForensicsCode.NEGATIVE_COUNT,
            details={"precincts": negative},
        )
    return options


def _winner(data: ForensicsInput, options: tuple[str, ...]) -> str:
    if data.winner is not None:
        if data.winner not in options:
            raise ForensicsError(
                f"the winner {data.winner!r} is not an option of {data.contest}",
                code=ForensicsCode.UNKNOWN_OPTION,
                details={"option": data.winner, "options": list(options)},
            )
        return data.winner
    totals = {o: sum(p.votes[o] for p in data.precincts) for o in options}
    best = max(totals.values())
    leaders = [o for o in options if totals[o] == best]
    if len(leaders) > 1:
        raise ForensicsError(
            f"{' and '.join(leaders)} share the most votes: name the winner to examine",
            code=ForensicsCode.WINNER_TIE,
            details={"options": leaders},
        )
    return leaders[0]


def _exclusion(p: PrecinctData, settings: ForensicsSettings) -> ExclusionReason | None:
    if p.special is not None and p.special in settings.excluded_special:
        return ExclusionReason.SPECIAL
    if p.registered < settings.min_registered:
        return ExclusionReason.SMALL
    if p.cast > p.registered or sum(p.votes.values()) > p.cast:
        return ExclusionReason.OVER_REGISTERED
    if sum(p.votes.values()) == 0:
        return ExclusionReason.NO_VOTES
    return None
