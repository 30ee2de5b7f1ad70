"""Laws of the working-day calendar (spec/disputes.md §2): adding N working days and counting back gives N;
a working-day deadline never lands on a day off; months never overflow their month."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.disputes.calendar import WorkCalendar, add_months, kz_calendar, parse_calendar

KZ = kz_calendar()
KNOWN_2025 = st.dates(dt.date(2025, 1, 1), dt.date(2025, 10, 31))  # 2025 is the year whose transfers are all known


@st.composite
def calendars(draw: st.DrawFn) -> WorkCalendar:
    """A calendar for 2030-2031 with random holidays of each kind and random transfers (weekend -> weekday)."""
    lines = ['title = "generated"', "[[sources]]", 'cite = "generated"', 'url = "-"']
    month_days = st.lists(st.tuples(st.integers(1, 12), st.integers(1, 28)), min_size=1, max_size=15)
    for i, (month, day) in enumerate(draw(month_days)):
        kind = draw(st.sampled_from(["national", "state", "religious"]))
        lines += ["[[holidays]]", f'name = "H{i}"', f"month = {month}", f"day = {day}", f'kind = "{kind}"']
    days = st.dates(dt.date(2030, 1, 1), dt.date(2031, 12, 31))
    transfers: dict[int, list[str]] = {2030: [], 2031: []}
    for worked in draw(st.lists(days.filter(lambda d: d.weekday() >= 5), max_size=4, unique=True)):
        year_days = st.dates(dt.date(worked.year, 1, 1), dt.date(worked.year, 12, 31))
        rest = draw(year_days.filter(lambda d: d.weekday() < 5))
        transfers[worked.year].append(f'{{ worked = {worked.isoformat()}, rest = {rest.isoformat()}, source = "t" }}')
    for year, items in transfers.items():
        lines += ["[[years]]", f"year = {year}", "complete = true", 'note = "generated"']
        lines.append(f"transfers = [{', '.join(items)}]")
    return parse_calendar("\n".join(lines), "generated.toml")


@settings(max_examples=60, deadline=None)
@given(calendars(), st.dates(dt.date(2030, 1, 1), dt.date(2030, 12, 31)), st.integers(0, 150))
def test_adding_n_working_days_then_counting_back_gives_n(cal: WorkCalendar, start: dt.date, n: int) -> None:
    end = cal.add_working_days(start, n)
    assert cal.working_days_between(start, end) == n
    if n > 0:
        assert cal.is_working_day(end)  # a working-day deadline never lands on a day off
        assert end not in cal.days_off


@settings(max_examples=80, deadline=None)
@given(KNOWN_2025, st.integers(0, 30))
def test_kazakhstan_2025_working_day_deadlines(start: dt.date, n: int) -> None:
    end = KZ.add_working_days(start, n)
    assert KZ.working_days_between(start, end) == n
    if n > 0:
        assert KZ.is_working_day(end)
        assert KZ.why_off(end) is None


@given(st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)), st.integers(0, 1200))
def test_months_land_in_the_right_month_and_never_overflow(day: dt.date, months: int) -> None:
    out = add_months(day, months)
    assert (out.year * 12 + out.month) - (day.year * 12 + day.month) == months
    assert out.day <= day.day
    assert out.day == day.day or (out + dt.timedelta(days=1)).day == 1  # clamped only to the month's last day
