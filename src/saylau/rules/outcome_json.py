"""The JSON form of an :class:`Outcome`, shared by the CLI and publication (spec/presets.md §Outcome).

Shares are decimal strings rounded half-even to 10 places with the exact fraction beside them; unit
counts are decimal strings ("17", "11.5"); no float is ever produced.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from saylau.model.numbers import decimal_str, fraction_str, number_str
from saylau.model.outcome import Outcome

__all__ = ["DECIMAL_PLACES", "outcome_json"]

DECIMAL_PLACES = 10


def _opt(value: Fraction | None) -> str | None:
    return None if value is None else number_str(value)


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    return {
        "question": str(outcome.question),
        "preset": outcome.preset,
        "preset_version": outcome.preset_version,
        "valid": outcome.valid,
        "adopted": outcome.adopted,
        "turnout": decimal_str(outcome.turnout, DECIMAL_PLACES),
        "turnout_exact": fraction_str(outcome.turnout),
        "yes_share": decimal_str(outcome.yes_share, DECIMAL_PLACES),
        "yes_share_exact": fraction_str(outcome.yes_share),
        "yes_share_base": outcome.yes_share_base,
        "units_yes": _opt(outcome.units_yes),
        "units_total": _opt(outcome.units_total),
        "units_required": _opt(outcome.units_required),
        "explanation": list(outcome.explanation),
    }
