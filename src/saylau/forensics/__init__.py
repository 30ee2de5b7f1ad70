"""Election forensics: statistical checks of precinct-level results (pure core, spec/forensics.md).

These checks flag anomalies, not fraud (:data:`CAVEAT` goes on every page that shows them). numpy, scipy
and diptest are imported here only, and only when :func:`analyse` is first used (PEP 562): the result types
and the caveat are cheap to import (the pages and the server's start need them, not the statistics).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from saylau.forensics.codes import ForensicsCode
from saylau.forensics.results import (
    CAVEAT,
    SYNTHETIC_NOTE,
    ChannelComparison,
    ChannelUnit,
    DigitTest,
    Distribution,
    Exclusion,
    ExclusionReason,
    Fingerprint,
    ForensicsReport,
    FraudFit,
    Heaping,
    HeapingCount,
    Outlier,
    Outliers,
    RegionDip,
    RegionHeaping,
    RegionSlope,
    Skipped,
    Slopes,
)
from saylau.forensics.types import (
    ChannelPair,
    ForensicsError,
    ForensicsInput,
    ForensicsSettings,
    PrecinctData,
    Special,
)

if TYPE_CHECKING:
    from saylau.forensics.analysis import analyse


def __getattr__(name: str) -> object:
    """``analyse`` on first use: it loads numpy, scipy and diptest (about a second of start-up)."""
    if name == "analyse":
        from saylau.forensics.analysis import analyse  # noqa: PLC0415  # lazy: the statistics on first use

        return analyse
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CAVEAT",
    "SYNTHETIC_NOTE",
    "ChannelComparison",
    "ChannelPair",
    "ChannelUnit",
    "DigitTest",
    "Distribution",
    "Exclusion",
    "ExclusionReason",
    "Fingerprint",
    "ForensicsCode",
    "ForensicsError",
    "ForensicsInput",
    "ForensicsReport",
    "ForensicsSettings",
    "FraudFit",
    "Heaping",
    "HeapingCount",
    "Outlier",
    "Outliers",
    "PrecinctData",
    "RegionDip",
    "RegionHeaping",
    "RegionSlope",
    "Skipped",
    "Slopes",
    "Special",
    "analyse",
]
