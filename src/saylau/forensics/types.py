"""The input of the forensics checks, their settings and their error (spec/forensics.md §1–§2).

The service builds a :class:`ForensicsInput` from the results view (one contest, one row per precinct);
nothing here reads a database, a clock or the environment. Statistics are floats: these are estimates,
not the legal count (whose arithmetic stays exact in ``count`` and ``rules``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from saylau.forensics.codes import ForensicsCode
from saylau.model.errors import SaylauError

__all__ = [
    "ChannelPair",
    "ForensicsError",
    "ForensicsInput",
    "ForensicsSettings",
    "PrecinctData",
    "Special",
]


class Special(StrEnum):
    """A precinct whose voters are not a sample of a place's residents (spec/forensics.md §2)."""

    ABROAD = "abroad"  # at an embassy or consulate
    HOSPITAL = "hospital"  # in a hospital or care home
    MILITARY = "military"  # in a military unit
    DETENTION = "detention"  # in a pre-trial detention centre
    TRANSPORT = "transport"  # at a station, airport or on a ship
    OTHER = "other"  # any other special precinct


class ForensicsError(SaylauError):
    """The forensics checks cannot be run on this input or with these settings (the code says why)."""

    code: str = ForensicsCode.FORENSICS


@dataclass(frozen=True, slots=True)
class PrecinctData:
    """One precinct of one contest: its register, the ballots cast, the votes per option.

    ``cast`` is the number who took part (ballots found in the boxes); ``votes`` are the valid votes per
    option of the contest (their sum is the share's denominator). ``special`` is None for an ordinary one.
    """

    code: str
    region: str
    registered: int
    cast: int
    votes: Mapping[str, int]
    special: Special | None = None


@dataclass(frozen=True, slots=True)
class ChannelPair:
    """The votes per option of one unit where both channels exist: paper protocols and e-ballots."""

    unit: str
    paper: Mapping[str, int]
    electronic: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class ForensicsInput:
    """Precinct-level data of one contest of an event.

    ``winner``: the option whose share is examined (None: the one with the most votes in all precincts).
    ``synthetic``: the data set is a reconstruction or a simulation, not a commission's count; the result
    says so on every page.
    """

    contest: str
    precincts: tuple[PrecinctData, ...]
    winner: str | None = None
    channels: tuple[ChannelPair, ...] = ()
    synthetic: bool = False


@dataclass(frozen=True, slots=True)
class ForensicsSettings:
    """Every threshold and size of the checks; the defaults and their reasons are in spec/forensics.md §2.

    - ``alpha``: a test flags when its p-value is below it (the stated false-alarm rate of each test).
    - ``min_registered``: precincts with fewer registered voters are left out of the distribution checks.
    - ``excluded_special``: the special kinds left out of the distribution checks.
    - ``bins``: bins per axis of the fingerprint and of the histograms (100: one per percentage point).
    - ``heaping_simulations``: Monte Carlo draws of the binomial null of the heaping test.
    - ``second_digit_min`` / ``last_digit_min``: the smallest count whose digits are tested (10: two digits;
      100: three digits, as Beber and Scacco ask for a uniform last digit).
    - ``digit_mad_floor``: a digit test flags only when the digits' mean absolute deviation exceeds it
      (Nigrini's nonconformity bound, 0.012), as well as its p-value being below ``alpha``.
    - ``outlier_turnout`` / ``outlier_share``: a precinct at or above both is listed.
    - ``fit_bins``: bins per axis of the histograms the fraud fit compares (coarser than ``bins``: with
      10,000 precincts a 100 x 100 histogram is mostly empty cells, whose noise would decide the fit).
    - ``fit_incremental`` / ``fit_extreme``: the grid of the fraud fit, (stop, steps) from 0.
    - ``flag_incremental`` / ``flag_extreme``: the fitted fractions at or above which the fingerprint flags.
      f_i's default, 1, never flags (f_i is fitted in [0, 0.5]): on clean simulated elections whose regions
      differ in level the fit reads f_i up to 0.5 (spec/forensics.md §3), so a flag on it would cry wolf.
    - ``flag_min_precincts``: below this many precincts analysed the fit is shown but not assessed (never
      flags): its histogram is too sparse for the fitted fractions to mean anything (a clean election of
      160 precincts fits f_i near 0.5); at 2,000 the false-alarm test holds (spec/forensics.md §10).
    """

    alpha: float = 0.05
    min_registered: int = 100
    excluded_special: frozenset[Special] = field(default_factory=lambda: frozenset(Special))
    bins: int = 100
    heaping_simulations: int = 1000
    second_digit_min: int = 10
    last_digit_min: int = 100
    digit_mad_floor: float = 0.012
    outlier_turnout: float = 0.95
    outlier_share: float = 0.95
    fit_bins: int = 20
    fit_incremental: tuple[float, int] = (0.5, 20)
    fit_extreme: tuple[float, int] = (0.2, 40)
    flag_incremental: float = 1.0
    flag_extreme: float = 0.01
    flag_min_precincts: int = 2000

    def check(self) -> None:
        """Raise ForensicsError(bad_setting) naming every setting out of its range."""
        bad = [
            name
            for name, ok in (
                ("alpha", 0 < self.alpha < 1),
                ("min_registered", self.min_registered >= 1),
                ("bins", 2 <= self.bins <= 1000),
                ("heaping_simulations", self.heaping_simulations >= 1),
                ("second_digit_min", self.second_digit_min >= 10),
                ("last_digit_min", self.last_digit_min >= 10),
                ("digit_mad_floor", 0 <= self.digit_mad_floor < 1),
                ("outlier_turnout", 0 < self.outlier_turnout <= 1),
                ("outlier_share", 0 < self.outlier_share <= 1),
                ("fit_bins", 2 <= self.fit_bins <= 1000),
                ("fit_incremental", 0 < self.fit_incremental[0] <= 1 and self.fit_incremental[1] >= 1),
                ("fit_extreme", 0 < self.fit_extreme[0] <= 1 and self.fit_extreme[1] >= 1),
                ("flag_incremental", 0 < self.flag_incremental <= 1),
                ("flag_extreme", 0 < self.flag_extreme <= 1),
                ("flag_min_precincts", self.flag_min_precincts >= 1),
            )
            if not ok
        ]
        if bad:
            raise ForensicsError(
                f"forensics settings out of range: {', '.join(bad)}",
                code=ForensicsCode.BAD_SETTING,
                details={"settings": bad},
            )
