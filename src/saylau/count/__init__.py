"""Protocol validation, plausibility warnings, double entry and aggregation up the territory (pure core).

The rules are written down in spec/counting.md.
"""

from saylau.count.aggregate import MAX_COUNT, Aggregator, ContestLayout, aggregate
from saylau.count.double_entry import (
    Agreed,
    AwaitingSecond,
    Decision,
    Difference,
    EntryRecord,
    Mismatch,
    decide,
    differences,
)
from saylau.count.plausibility import (
    DEFAULT_PLAUSIBILITY,
    HIGH_TURNOUT,
    REGISTER_MISMATCH,
    ROUND_NUMBERS,
    UNANIMOUS,
    WARNING_CODES,
    Plausibility,
)
from saylau.count.validate import check_relation, validate

__all__ = [
    "DEFAULT_PLAUSIBILITY",
    "HIGH_TURNOUT",
    "MAX_COUNT",
    "REGISTER_MISMATCH",
    "ROUND_NUMBERS",
    "UNANIMOUS",
    "WARNING_CODES",
    "Aggregator",
    "Agreed",
    "AwaitingSecond",
    "ContestLayout",
    "Decision",
    "Difference",
    "EntryRecord",
    "Mismatch",
    "Plausibility",
    "aggregate",
    "check_relation",
    "decide",
    "differences",
    "validate",
]
