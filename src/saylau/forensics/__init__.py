"""Election forensics: statistical checks of precinct-level results (pure core, spec/forensics.md).

These checks flag anomalies, not fraud (:data:`CAVEAT` goes on every page that shows them). numpy, scipy
and diptest are imported here only: the command line loads this package inside the command that needs it.
"""

from saylau.forensics.analyse import analyse
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
