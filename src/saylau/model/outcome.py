"""The legal outcome of one question, as decided by a rule preset, with its explanation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from saylau.model.ids import QuestionCode

__all__ = ["DistrictOutcome", "Outcome", "SeatOutcome"]


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


@dataclass(frozen=True, slots=True)
class SeatOutcome:
    """Seats of a party-list contest: per option code (every option, 0 included, in ballot order), the
    qualified parties, the quota where the method has one, the candidates elected from each ranked list
    and the seats a too-short list leaves vacant, and the allocation's steps for the official report."""

    contest: QuestionCode
    preset: str
    preset_version: str
    seats: Mapping[str, int]
    qualified: tuple[str, ...]
    quota: Fraction | None
    elected: Mapping[str, tuple[str, ...]]
    vacant: Mapping[str, int]
    steps: tuple[str, ...]
    explanation: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DistrictOutcome:
    """A single-member district decided by plurality. ``winner`` is None when no one is elected (e.g.
    "against all" came first, or a tie the preset sends to a repeat election); ``explanation`` says why."""

    contest: QuestionCode
    preset: str
    preset_version: str
    winner: str | None
    votes: Mapping[str, int]
    explanation: tuple[str, ...]
