"""Dates in the calendar the law uses: calendar days, months, years and working days (spec/disputes.md §2).

Pure: the holiday calendar is data (``src/saylau/data/disputes/kz-calendar.toml``) read through
importlib.resources, or a text the caller passes. A working-day computation that reaches a year whose
transfers of days off are not all known raises ``calendar_unknown`` instead of guessing.

Periods are counted as the Civil Code of Kazakhstan counts them (General Part, Arts. 180-183 [the article
numbers to verify, spec/disputes.md §9]): a period starts the day after the act; one in months ends on the
same day of the last month, or on that month's last day when it has no such day (31 January + 1 month =
28 or 29 February); one in years ends on the same month and day (29 February + 1 year = 28 February).
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Literal

from saylau.disputes.codes import DisputesCode
from saylau.disputes.errors import DisputeError
from saylau.model.errors import InputError
from saylau.rules.reader import Node, Sink

__all__ = [
    "HolidayKind",
    "Transfer",
    "WorkCalendar",
    "add_months",
    "add_years",
    "kz_calendar",
    "parse_calendar",
]

HolidayKind = Literal["national", "state", "religious"]
_KINDS: tuple[HolidayKind, ...] = ("national", "state", "religious")
_MAX_BYTES = 256 * 1024
_MAX_SPAN = 3 * 366  # no deadline in the rules reaches further in working days; bounds every loop


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; the last day of the month when it has no such day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _cal.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus ``years`` years: the same month and day (29 February gives 28 February)."""
    return add_months(day, 12 * years)


@dataclass(frozen=True, slots=True)
class Holiday:
    name: str
    month: int
    day: int
    kind: HolidayKind
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    uncertain: str = ""

    def on(self, year: int) -> dt.date | None:
        day = dt.date(year, self.month, self.day)
        if (self.valid_from and day < self.valid_from) or (self.valid_to and day > self.valid_to):
            return None
        return day


@dataclass(frozen=True, slots=True)
class Transfer:
    """A day off moved by the labour body: ``worked`` becomes a working day, ``rest`` a day off."""

    worked: dt.date
    rest: dt.date
    source: str


@dataclass(frozen=True, slots=True)
class YearData:
    year: int
    complete: bool
    note: str
    movable: tuple[tuple[str, dt.date], ...] = ()
    transfers: tuple[Transfer, ...] = ()


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Which days are working days (five-day week), for the years the data covers."""

    title: str
    years: dict[int, YearData]
    days_off: dict[dt.date, str] = field(default_factory=dict)  # every non-weekend day off, with its reason
    worked_weekend: frozenset[dt.date] = frozenset()

    @classmethod
    def build(cls, title: str, holidays: tuple[Holiday, ...], years: tuple[YearData, ...]) -> WorkCalendar:
        days_off: dict[dt.date, str] = {}
        worked: set[dt.date] = set()
        for data in years:
            fixed = [(h.on(data.year), h.name, h.kind) for h in holidays]
            dated = sorted((d, n, k) for d, n, k in fixed if d is not None)
            dated += [(d, n, "religious") for n, d in data.movable]
            for day, name, _ in dated:
                days_off[day] = name
            for day, name, kind in sorted(dated):
                if day.weekday() >= 5 and kind != "religious":  # Labour Code Art. 85: the day off moves
                    sub = day + dt.timedelta(days=1)
                    while sub.weekday() >= 5 or sub in days_off:
                        sub += dt.timedelta(days=1)
                    days_off[sub] = f"day off for {name} ({day.isoformat()})"
            for t in data.transfers:
                worked.add(t.worked)
                days_off.pop(t.worked, None)
                days_off[t.rest] = f"day off transferred from {t.worked.isoformat()} ({t.source})"
        return cls(title, {y.year: y for y in years}, days_off, frozenset(worked))

    def _known(self, day: dt.date) -> None:
        data = self.years.get(day.year)
        if data is None or not data.complete:
            why = data.note if data is not None else "the calendar has no data for that year"
            raise DisputeError(
                f"cannot tell whether {day.isoformat()} is a working day: {why}",
                code=DisputesCode.CALENDAR_UNKNOWN,
                details={"day": day.isoformat(), "year": day.year},
            )

    def is_working_day(self, day: dt.date) -> bool:
        """True for a working day; raises ``calendar_unknown`` in a year whose days off are not all known."""
        self._known(day)
        if day in self.worked_weekend:
            return True
        return day.weekday() < 5 and day not in self.days_off

    def why_off(self, day: dt.date) -> str | None:
        """The reason ``day`` is not a working day (a holiday, a transfer, the weekend), else None."""
        if self.is_working_day(day):
            return None
        return self.days_off.get(day, "weekend")

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, else the first working day after it."""
        for _ in range(_MAX_SPAN):
            if self.is_working_day(day):
                return day
            day += dt.timedelta(days=1)
        raise DisputeError("no working day within three years", code=DisputesCode.CALENDAR_UNKNOWN)

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``day`` (``day`` itself is not counted; ``n`` >= 0)."""
        if not 0 <= n <= _MAX_SPAN:
            raise DisputeError(f"{n} working days is out of range 0..{_MAX_SPAN}", code=DisputesCode.BAD_CASE)
        for _ in range(n):
            day = self.next_working_day(day + dt.timedelta(days=1))
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """The working days in (start, end]: after ``start``, up to and including ``end`` (0 when end <= start)."""
        if (end - start).days > _MAX_SPAN * 2:
            raise DisputeError("a span over six years is out of range", code=DisputesCode.BAD_CASE)
        count, day = 0, start + dt.timedelta(days=1)
        while day <= end:
            count += self.is_working_day(day)
            day += dt.timedelta(days=1)
        return count


def _int(node: Node, key: str, low: int, high: int) -> int:
    value = node.raw(key)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        node.sink.add(node.sub(key), "range", f"expected an integer in {low}..{high}, found {value!r}")
        return low
    return value


def _holiday(node: Node) -> Holiday | None:
    month, day = _int(node, "month", 1, 12), _int(node, "day", 1, 31)
    if day > _cal.monthrange(2001, month)[1]:  # a fixed holiday is on a day every year has (no 29 February)
        node.sink.add(node.sub("day"), "range", f"month {month} has no day {day} every year")
        day = 1
    holiday = Holiday(
        name=node.text("name"),
        month=month,
        day=day,
        kind=node.choice("kind", _KINDS) or "state",
        valid_from=node.date("valid_from", required=False),
        valid_to=node.date("valid_to", required=False),
        uncertain=node.text("uncertain", ""),
    )
    return holiday


def _transfer(node: Node) -> Transfer | None:
    worked, rest = node.date("worked"), node.date("rest")
    source = node.text("source")
    if worked is None or rest is None:
        return None
    if worked.weekday() < 5 or rest.weekday() >= 5:
        node.sink.add(node.path, "transfer", "a transfer makes a weekend day worked and a weekday a day off")
    return Transfer(worked, rest, source)


def _source(node: Node) -> tuple[str, str]:
    return node.text("cite"), node.text("url")


def _movable(node: Node) -> tuple[str, dt.date] | None:
    name, day = node.text("name"), node.date("date")
    return (name, day) if day is not None else None


def _year(node: Node) -> YearData | None:
    year = _int(node, "year", 2000, 2100)
    complete = node.raw("complete")
    if not isinstance(complete, bool):
        node.sink.add(node.sub("complete"), "type", "expected true or false")
        complete = False
    data = YearData(
        year, complete, node.text("note"), node.each("movable", _movable), node.each("transfers", _transfer)
    )
    for i, d in enumerate([d for _, d in data.movable] + [t.rest for t in data.transfers]):
        if d.year != year:
            node.sink.add(node.path, "year", f"date {i} ({d.isoformat()}) is not in {year}")
    return data


def parse_calendar(text: str, source: str) -> WorkCalendar:
    """A holiday calendar from its TOML text; every problem found is reported (file, field, rule)."""
    sink = Sink(source)
    if len(text.encode()) > _MAX_BYTES:
        sink.add("", "size", f"over {_MAX_BYTES} bytes")
        raise InputError(sink.problems, summary=f"{source}: calendar refused")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        sink.add("", "toml", str(exc))
        raise InputError(sink.problems, summary=f"{source}: calendar refused") from exc
    root = Node(data, "", sink)
    title = root.text("title")
    root.text("description", "")
    root.each("sources", _source, required=True)
    holidays = root.each("holidays", _holiday, required=True)
    years = root.each("years", _year, required=True)
    root.close()
    if len({y.year for y in years}) != len(years):
        sink.add("years", "unique", "a year is listed twice")
    if sink.problems:
        raise InputError(sink.problems, summary=f"{source}: calendar refused")
    return WorkCalendar.build(title, holidays, years)


def kz_calendar() -> WorkCalendar:
    """Kazakhstan's calendar as shipped (src/saylau/data/disputes/kz-calendar.toml)."""
    path = resources.files("saylau").joinpath("data", "disputes", "kz-calendar.toml")
    return parse_calendar(path.read_text(encoding="utf-8"), "kz-calendar.toml")
