"""The calendar the law uses (spec/disputes.md §2): months, years, working days across holidays and transfers."""

from __future__ import annotations

import datetime as dt

import pytest

from saylau.disputes.calendar import add_months, add_years, kz_calendar, parse_calendar
from saylau.disputes.codes import DisputesCode
from saylau.disputes.errors import DisputeError
from saylau.model.errors import InputError

D = dt.date
CAL = kz_calendar()


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2023, 1, 31), 1, D(2023, 2, 28)),  # no 31 February: the month's last day
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2023, 3, 31), 3, D(2023, 6, 30)),
        (D(2023, 11, 30), 3, D(2024, 2, 29)),
        (D(2023, 6, 5), 12, D(2024, 6, 5)),
        (D(2023, 2, 15), 3, D(2023, 5, 15)),
    ],
)
def test_months_by_the_calendar(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_years_keep_month_and_day_and_29_february_gives_28() -> None:
    assert add_years(D(2022, 6, 5), 1) == D(2023, 6, 5)
    assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)


def test_holidays_and_their_weekend_substitutes_2025() -> None:
    # Nauryz 21-23 March 2025 (Fri-Sun): Saturday's and Sunday's days off move to 24 and 25 March
    for day in (D(2025, 3, 21), D(2025, 3, 24), D(2025, 3, 25)):
        assert not CAL.is_working_day(day)
    assert CAL.is_working_day(D(2025, 3, 26))
    assert CAL.why_off(D(2025, 3, 24)) == "day off for Nauryz meyramy (second day) (2025-03-22)"
    # religious holidays do not move: Kurban Ait 6 June 2025 is a Friday; Christmas 7 January a Tuesday
    assert not CAL.is_working_day(D(2025, 6, 6))
    assert CAL.is_working_day(D(2025, 6, 9))
    assert not CAL.is_working_day(D(2025, 1, 7))


def test_a_transferred_day_off() -> None:
    # Ministry of Labour, 21 Nov 2024: the day off of Sunday 5 January 2025 moved to Friday 3 January
    assert not CAL.is_working_day(D(2025, 1, 3))
    assert CAL.is_working_day(D(2025, 1, 5))
    assert "transferred from 2025-01-05" in (CAL.why_off(D(2025, 1, 3)) or "")
    # 2 January (Thu, New Year) + 2 working days: 3 Jan off (transfer), 4 Jan Saturday, 5 Jan worked, 6 Jan
    assert CAL.add_working_days(D(2025, 1, 2), 2) == D(2025, 1, 6)


def test_working_days_across_holidays() -> None:
    # 19 March 2025 (Wed) + 5 working days: 20 Mar, then Nauryz and its substitutes to 25 Mar, then 26-28, 31
    assert CAL.add_working_days(D(2025, 3, 19), 5) == D(2025, 3, 31)
    assert CAL.working_days_between(D(2025, 3, 19), D(2025, 3, 31)) == 5
    assert CAL.add_working_days(D(2025, 3, 19), 0) == D(2025, 3, 19)
    assert CAL.next_working_day(D(2025, 3, 21)) == D(2025, 3, 26)


def test_a_year_with_transfers_not_all_known_is_refused() -> None:
    with pytest.raises(DisputeError) as err:
        CAL.add_working_days(D(2025, 12, 29), 5)  # crosses into 2026, whose transfers are not recorded
    assert err.value.code == DisputesCode.CALENDAR_UNKNOWN
    assert err.value.details["year"] == 2026
    with pytest.raises(DisputeError) as err:
        CAL.is_working_day(D(2024, 5, 4))  # 2024: only one transfer was found
    assert err.value.code == DisputesCode.CALENDAR_UNKNOWN
    with pytest.raises(DisputeError):
        CAL.is_working_day(D(2030, 1, 10))  # no data at all


def test_a_bad_calendar_file_names_every_problem() -> None:
    text = """
title = "x"
[[holidays]]
name = "A"
month = 13
day = 1
kind = "pagan"
[[years]]
year = 2025
complete = "yes"
transfers = [{ worked = 2025-01-06, rest = 2025-01-03, source = "s" }]
extra = 1
"""
    with pytest.raises(InputError) as err:
        parse_calendar(text, "cal.toml")
    rules = {(p.field, p.rule) for p in err.value.problems}
    assert ("holidays[0].month", "range") in rules
    assert ("holidays[0].kind", "choice") in rules
    assert ("years[0].complete", "type") in rules
    assert ("years[0].transfers[0]", "transfer") in rules  # 6 January 2025 is a Monday: not a worked weekend day
    assert ("years[0].extra", "unknown_key") in rules
    assert ("years[0].note", "missing_key") in rules
    assert all(p.file == "cal.toml" for p in err.value.problems)


def test_a_fixed_holiday_on_a_day_not_every_year_has_is_refused() -> None:
    text = """
title = "x"
[[sources]]
cite = "c"
url = "u"
[[holidays]]
name = "Leap"
month = 2
day = 29
kind = "state"
[[years]]
year = 2025
complete = true
note = "n"
"""
    with pytest.raises(InputError) as err:
        parse_calendar(text, "cal.toml")
    assert [(p.field, p.rule) for p in err.value.problems] == [("holidays[0].day", "range")]
