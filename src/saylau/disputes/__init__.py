"""Disputes: cases, deadlines and admissibility as a pure core (spec/disputes.md; issue 13).

Calendar days, months, years and working days with a holiday calendar as data (``calendar``); the kinds
of case and their rules as dated data (``kinds``); a case as values with its state machine (``case``);
admissibility condition by condition (``admissibility``); deadlines and the week's board (``deadlines``);
rapporteur assignment by rotation or lot (``assign``); decisions that change the count (``effects``).
No database, no web, no clock: the caller passes the day.
"""

from __future__ import annotations

__all__: list[str] = []
