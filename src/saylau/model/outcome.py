"""The legal outcome of one question, as decided by a rule preset, with its explanation."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from saylau.model.ids import QuestionCode

__all__ = ["Outcome"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """Exact figures (``Fraction``) and an explanation whose every line cites the rule applied.

    ``yes_share_base`` names the denominator of ``yes_share``: "participants", "valid" (Yes + No),
    "registered", ... ``units_*`` are None when the preset has no regional-majority rule.
    """

    question: QuestionCode
    preset: str
    preset_version: str
    valid: bool
    adopted: bool
    turnout: Fraction
    yes_share: Fraction
    yes_share_base: str
    units_yes: Fraction | None
    units_total: Fraction | None
    units_required: Fraction | None
    explanation: tuple[str, ...]
