"""What the forensics checks find: frozen values holding every figure a page or a plot needs.

Each check's result says whether it flags (``flagged``) at the settings' ``alpha`` or threshold; a check
that cannot run on the data (too few precincts, no count with enough digits) is a :class:`Skipped` with
the reason, never a missing value. Formulas and sources: spec/forensics.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from saylau.forensics.types import ForensicsSettings, Special

__all__ = [
    "CAVEAT",
    "SYNTHETIC_NOTE",
    "ChannelComparison",
    "ChannelUnit",
    "DigitTest",
    "Distribution",
    "Exclusion",
    "ExclusionReason",
    "Fingerprint",
    "ForensicsReport",
    "FraudFit",
    "Heaping",
    "HeapingCount",
    "Outlier",
    "Outliers",
    "RegionDip",
    "RegionHeaping",
    "RegionSlope",
    "Skipped",
    "Slopes",
]

CAVEAT = (
    "These checks flag anomalies, not fraud. Strategic or bloc voting, very small precincts, special "
    "precincts (hospitals, abroad, military) and honest regional differences flag too; the precincts left "
    "out of the distribution checks are listed with their reasons. Digit tests are weak evidence. "
    "Forensics complements risk-limiting audits and observers; it does not replace them."
)
SYNTHETIC_NOTE = "This data set is synthetic (a reconstruction or a simulation), not a commission's count."

Variable = Literal["turnout", "share"]


class ExclusionReason(StrEnum):
    """Why a precinct is left out of the distribution checks (spec/forensics.md §2)."""

    SPECIAL = "special"  # a special precinct (its kind is named)
    SMALL = "small"  # fewer registered voters than the setting min_registered
    NO_VOTES = "no_votes"  # no valid vote for any option: no share
    OVER_REGISTERED = "over_registered"  # more ballots cast than registered voters, or more votes than ballots


@dataclass(frozen=True, slots=True)
class Exclusion:
    code: str
    region: str
    reason: ExclusionReason
    special: Special | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    """A check that did not run, and why (e.g. "3 precincts: at least 10 are needed")."""

    check: str
    reason: str


@dataclass(frozen=True, slots=True)
class FraudFit:
    """Klimek et al.'s model fitted by least squares on the fingerprint (spec/forensics.md §3).

    ``turnout_mean``/``turnout_sd``/``share_mean``/``share_sd``: the fair part (the Gaussian of the main
    peak, fitted with f_i and f_e); ``residual``: the sum of squared differences between the observed and
    the simulated normalised fingerprint at the fit; ``residual_fair``: the same with no fraud
    (f_i = f_e = 0) and the fair part at the data's medians and MADs; ``grid``: the f_i the free fit
    starts from and the f_e searched for the start; ``sd_x``: the fraud intensity's smearing width;
    ``evaluations``: how many times the objective was computed (the grid's and Nelder-Mead's).
    """

    incremental: float  # f_i
    extreme: float  # f_e
    turnout_mean: float
    turnout_sd: float
    share_mean: float
    share_sd: float
    residual: float
    residual_fair: float
    grid: tuple[tuple[float, ...], tuple[float, ...]]  # the f_i the free fit starts from; the f_e grid of the start
    sd_x: float = 0.075
    evaluations: int = 0
    residual_without_incremental: float = 0.0  # the fit's residual with f_i held at 0 (the parsimony rule's)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """The 2-D histogram of turnout (rows) by winner share (columns), bins of width 1/bins on [0, 1]."""

    bins: int
    counts: tuple[tuple[int, ...], ...]
    turnout_kurtosis: float  # excess kurtosis (0 for a normal distribution)
    share_kurtosis: float
    fit: FraudFit
    flagged: bool
    assessed: bool  # enough precincts (settings.flag_min_precincts) for the fit to flag at all


@dataclass(frozen=True, slots=True)
class RegionDip:
    """The dip test over one region's precincts; ``holm_p``: its p-value adjusted by Holm's method over
    the regions tested (Holm, Scand. J. Statist. 6(2), 1979), which ``flagged`` reads."""

    region: str
    n: int
    dip: float
    dip_p: float
    holm_p: float
    flagged: bool  # holm_p < alpha


@dataclass(frozen=True, slots=True)
class Distribution:
    """The histogram of turnout or of the winner's share with its moments and Hartigan's dip test."""

    variable: Variable
    counts: tuple[int, ...]  # bins of width 1/len(counts) on [0, 1]
    n: int
    mean: float
    sd: float
    skewness: float
    kurtosis: float  # excess
    dip: float
    dip_p: float
    flagged: bool  # dip_p < alpha: not unimodal
    regions: tuple[RegionDip, ...] = ()  # by region code, the regions of at least 10 precincts
    # the dip test of the precincts centred on their region's median (the differences of level removed)
    centred_dip: float | None = None
    centred_dip_p: float | None = None
    # the national test flags and the centred one does not: the regional mixture accounts for the bimodality
    between_regions: bool = False


@dataclass(frozen=True, slots=True)
class HeapingCount:
    """Precincts at a multiple of ``step`` percent, against the binomial null."""

    step: int  # 1: integer percentages; 5: multiples of five
    observed: int
    expected: float  # mean over the null draws
    p_value: float  # (1 + draws at or above observed) / (1 + draws)
    flagged: bool


@dataclass(frozen=True, slots=True)
class RegionHeaping:
    """The heaping test over one region's precincts (for a map; its flags are not the report's)."""

    region: str
    n: int
    counts: tuple[HeapingCount, ...]  # step 1, then step 5


@dataclass(frozen=True, slots=True)
class Heaping:
    variable: Variable
    n: int
    simulations: int
    counts: tuple[HeapingCount, ...]  # national: step 1, then step 5
    regions: tuple[RegionHeaping, ...] = ()  # by region code

    @property
    def flagged(self) -> bool:
        return any(c.flagged for c in self.counts)


@dataclass(frozen=True, slots=True)
class DigitTest:
    """A digit test of the precincts' vote counts: weak evidence, whatever it says."""

    test: Literal["second_digit", "last_digit"]
    counts_used: int
    digits: tuple[int, ...]  # how many counts have each digit 0..9
    expected: tuple[float, ...]  # the expected proportion of each digit
    mean: float
    expected_mean: float  # 4.187 (2BL) or 4.5 (uniform last digit)
    chi2: float
    p_value: float  # chi-square, 9 degrees of freedom
    flagged: bool  # p_value < alpha and mad > mad_floor
    mad: float = 0.0  # mean absolute deviation of the digit proportions from the expected ones (Nigrini 2012)
    mad_floor: float = 0.0  # the effect size below which no p-value flags (spec/forensics.md §6)
    evidence: Literal["weak"] = "weak"


@dataclass(frozen=True, slots=True)
class RegionSlope:
    """The least-squares line share = intercept + slope x turnout over a region's precincts."""

    region: str  # "" for the whole country
    n: int
    slope: float
    intercept: float
    r: float
    p_value: float  # two-sided, slope = 0


@dataclass(frozen=True, slots=True)
class Slopes:
    national: RegionSlope | Skipped
    regions: tuple[RegionSlope | Skipped, ...]  # by region code


@dataclass(frozen=True, slots=True)
class Outlier:
    code: str
    region: str
    turnout: float
    share: float


@dataclass(frozen=True, slots=True)
class Outliers:
    turnout_at_least: float
    share_at_least: float
    precincts: tuple[Outlier, ...]  # by code

    @property
    def flagged(self) -> bool:
        return bool(self.precincts)

    @property
    def by_region(self) -> Mapping[str, int]:
        """How many outliers each region has (regions without one are absent), for a map."""
        out: dict[str, int] = {}
        for o in self.precincts:
            out[o.region] = out.get(o.region, 0) + 1
        return dict(sorted(out.items()))


@dataclass(frozen=True, slots=True)
class ChannelUnit:
    """One unit's winner share on paper and by e-ballot, with the chi-square test of equal distributions."""

    unit: str
    paper_votes: int
    electronic_votes: int
    paper_share: float
    electronic_share: float
    difference: float  # electronic - paper
    chi2: float
    df: int
    p_value: float
    flagged: bool


@dataclass(frozen=True, slots=True)
class ChannelComparison:
    """Paper against e-ballots where both exist; ``chi2``/``df``/``p_value`` pool the units' tests."""

    units: tuple[ChannelUnit, ...]
    chi2: float
    df: int
    p_value: float
    flagged: bool


@dataclass(frozen=True, slots=True)
class ForensicsReport:
    """Every check of one contest; ``caveat`` and ``synthetic`` go on every page that shows it."""

    contest: str
    winner: str
    precincts: int
    analysed: int
    exclusions: tuple[Exclusion, ...]
    fingerprint: Fingerprint | Skipped
    turnout: Distribution | Skipped
    share: Distribution | Skipped
    turnout_heaping: Heaping | Skipped
    share_heaping: Heaping | Skipped
    second_digit: DigitTest | Skipped
    last_digit: DigitTest | Skipped
    slopes: Slopes
    outliers: Outliers
    channels: ChannelComparison | Skipped
    synthetic: bool
    seed: int
    settings: ForensicsSettings
    caveat: str = CAVEAT

    @property
    def excluded_by_reason(self) -> Mapping[ExclusionReason, int]:
        out = dict.fromkeys(ExclusionReason, 0)
        for e in self.exclusions:
            out[e.reason] += 1
        return out

    @property
    def flags(self) -> tuple[str, ...]:
        """The names of the checks that flag, in the report's order."""
        checks: tuple[tuple[str, object], ...] = (
            ("fingerprint", self.fingerprint),
            ("turnout", self.turnout),
            ("share", self.share),
            ("turnout_heaping", self.turnout_heaping),
            ("share_heaping", self.share_heaping),
            ("second_digit", self.second_digit),
            ("last_digit", self.last_digit),
            ("outliers", self.outliers),
            ("channels", self.channels),
        )
        return tuple(name for name, check in checks if getattr(check, "flagged", False))
