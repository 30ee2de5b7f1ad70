"""Seat allocation, pure and exact: quotas, divisors, thresholds, ties, mixed (compensatory) systems.

``allocate(rows, seats, rules)`` gives an ``Allocation`` with seats for every row and the steps;
``apportion`` runs a method alone; ``elect_from_lists`` names the elected candidates.
"""

from saylau.seats.allocate import allocate, apportion
from saylau.seats.candidates import ListOutcome, elect_from_lists
from saylau.seats.threshold import parse_share, qualify
from saylau.seats.ties import lot_ticket
from saylau.seats.types import (
    NON_PARTY_NAMES,
    Allocation,
    Method,
    PartyRow,
    PartySeats,
    SeatRules,
    SeatsError,
    Threshold,
    TieUnresolved,
    is_party,
)

__all__ = [
    "NON_PARTY_NAMES",
    "Allocation",
    "ListOutcome",
    "Method",
    "PartyRow",
    "PartySeats",
    "SeatRules",
    "SeatsError",
    "Threshold",
    "TieUnresolved",
    "allocate",
    "apportion",
    "elect_from_lists",
    "is_party",
    "lot_ticket",
    "parse_share",
    "qualify",
]
