"""Dates and times as a reader sees them on a page or a terminal; the JSON, CSV and NIST files keep ISO 8601.

A time is shown to the minute in UTC, and says so ("2026-12-03 16:50 UTC"): the clock is UTC
(services.context) and an event carries no time zone of its own. A naive reading is taken as UTC, as
in the NIST export.
"""

from __future__ import annotations

import datetime as dt

__all__ = ["date_text", "time_text"]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip


def date_text(day: dt.date) -> str:
    """``date_text(date(2022, 6, 5)) == "5 June 2022"``: day, month name, year; never ambiguous."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def time_text(at: dt.datetime) -> str:
    """``"2026-12-03 16:50 UTC"``: the moment in UTC, to the minute, the zone stated."""
    utc = at.astimezone(dt.UTC) if at.tzinfo is not None else at
    return f"{utc:%Y-%m-%d %H:%M} UTC"
