"""Deadlines of a case at a date: the filing window, the examination limit and its extensions (spec §6).

The last day of a period is included; ``remaining`` is in calendar days (0 on the last day, negative once
overdue). A period the calendar cannot count (a working day, or a roll off a day off, in a year whose days
off are not all known) has no end: it says why, and the board lists it as such rather than guess. Pure.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from saylau.disputes.admissibility import filing_window
from saylau.disputes.calendar import WorkCalendar
from saylau.disputes.case import Case, CaseStatus, Extension
from saylau.disputes.codes import DisputesCode
from saylau.disputes.errors import DisputeError
from saylau.disputes.kinds import KindVersion, Period

__all__ = ["CaseDeadlines", "Deadline", "Due", "case_deadlines", "due_this_week", "week_of"]

_MAX_CASES = 100_000


@dataclass(frozen=True, slots=True)
class Deadline:
    what: Literal["filing", "examination"]
    start: dt.date
    end: dt.date | None  # the last day, included; None when the calendar cannot count it (``note`` says why)
    basis: str
    extensions: tuple[Extension, ...] = ()
    note: str = ""

    def remaining(self, at: dt.date) -> int | None:
        """Calendar days left after ``at`` (0 on the last day; negative when overdue); None without an end."""
        return None if self.end is None else (self.end - at).days

    def remaining_working(self, at: dt.date, cal: WorkCalendar) -> int | None:
        """Working days left after ``at`` up to the last day (0 when none or overdue); None when not countable."""
        if self.end is None:
            return None
        try:
            return cal.working_days_between(at, self.end)
        except DisputeError as exc:
            if exc.code != DisputesCode.CALENDAR_UNKNOWN:
                raise
            return None

    def overdue(self, at: dt.date) -> bool:
        return self.end is not None and at > self.end

    def plain(self, at: dt.date) -> dict[str, Any]:
        return {
            "what": self.what,
            "start": self.start.isoformat(),
            "end": None if self.end is None else self.end.isoformat(),
            "basis": self.basis,
            "extensions": [
                {"granted_on": e.granted_on.isoformat(), "period": e.period.text(), "grounds": e.grounds}
                for e in self.extensions
            ],
            "note": self.note,
            "remaining_days": self.remaining(at),
            "overdue": self.overdue(at),
        }


@dataclass(frozen=True, slots=True)
class CaseDeadlines:
    case: str
    body: str
    status: CaseStatus
    filing: Deadline | None
    examination: Deadline

    def current(self) -> Deadline | None:
        """The limit that still runs: the examination's while the case is open; none once it is closed."""
        return (
            self.examination
            if self.status in {CaseStatus.FILED, CaseStatus.ADMITTED, CaseStatus.UNDER_EXAMINATION}
            else None
        )


def _end(period: Period, start: dt.date, cal: WorkCalendar) -> tuple[dt.date | None, str]:
    try:
        return period.end(start, cal), ""
    except DisputeError as exc:
        if exc.code != DisputesCode.CALENDAR_UNKNOWN:
            raise
        return None, f"{period.text()} after {start.isoformat()} cannot be counted: {exc.message}"


def _examination(case: Case, kv: KindVersion, cal: WorkCalendar) -> Deadline:
    start = case.filed_on  # from receipt (uncertain: kinds.toml 'examination.from')
    end, note = _end(kv.examination, start, cal)
    basis = f"{kv.examination.text()} after {start.isoformat()} (filed)"
    if case.extensions and not kv.extendable:
        raise DisputeError(
            f"case {case.id}: the examination limit of {kv.kind} cannot be extended",
            code=DisputesCode.BAD_CASE,
            details={"case": case.id, "kind": kv.kind},
        )
    notes = [note] if note else []
    for ext in case.extensions:
        if end is None:
            break
        if ext.granted_on > end:
            notes.append(f"the extension of {ext.granted_on.isoformat()} was granted after the limit {end.isoformat()}")
        previous = end
        end, note = _end(ext.period, previous, cal)
        basis += f", extended by {ext.period.text()} to {end.isoformat() if end else '?'} ({ext.grounds})"
        notes += [note] if note else []
    return Deadline("examination", start, end, basis, case.extensions, "; ".join(notes))


def case_deadlines(case: Case, kv: KindVersion, cal: WorkCalendar) -> CaseDeadlines:
    """The filing window (when the kind has one) and the examination limit with its extensions."""
    filing: Deadline | None = None
    window = filing_window(case, kv)
    if kv.filing is not None and not isinstance(window, str):
        start, what = window
        end, note = _end(kv.filing, start, cal)
        filing = Deadline("filing", start, end, f"{kv.filing.text()} after {start.isoformat()} ({what})", note=note)
    return CaseDeadlines(case.id, kv.decider, case.status, filing, _examination(case, kv, cal))


def week_of(at: dt.date) -> tuple[dt.date, dt.date]:
    """The ISO week (Monday to Sunday) holding ``at``."""
    monday = at - dt.timedelta(days=at.weekday())
    return monday, monday + dt.timedelta(days=6)


@dataclass(frozen=True, slots=True)
class Due:
    case: str
    what: Literal["filing", "examination"]
    end: dt.date | None
    overdue: bool
    note: str = ""


def due_this_week(
    cases: Iterable[tuple[Case, KindVersion]], cal: WorkCalendar, at: dt.date
) -> dict[str, tuple[Due, ...]]:
    """Per deciding body: each open case whose examination limit ends this week (Monday to Sunday of ``at``),
    is overdue, or cannot be counted; sorted by end, then case id."""
    _, sunday = week_of(at)
    board: dict[str, list[Due]] = defaultdict(list)
    for n, (case, kv) in enumerate(cases):
        if n >= _MAX_CASES:
            raise DisputeError(f"over {_MAX_CASES} cases on one board", code=DisputesCode.BAD_CASE)
        d = case_deadlines(case, kv, cal)
        limit = d.current()
        if limit is None:
            continue
        if limit.end is None or limit.end <= sunday:
            board[d.body].append(Due(case.id, limit.what, limit.end, limit.overdue(at), limit.note))
    return {
        body: tuple(sorted(items, key=lambda x: (x.end or dt.date.max, x.case)))
        for body, items in sorted(board.items())
    }
