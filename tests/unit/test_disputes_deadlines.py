"""Deadlines of a case at a date and the week's board per body (spec/disputes.md §6)."""

from __future__ import annotations

import datetime as dt

import pytest

from saylau.disputes.calendar import kz_calendar
from saylau.disputes.case import ActComplained, Case, CaseId, CourtAct, Decision, Extension, NormRef, Party, ProtocolRef
from saylau.disputes.codes import DisputesCode
from saylau.disputes.deadlines import Due, case_deadlines, due_this_week, week_of
from saylau.disputes.errors import DisputeError
from saylau.disputes.kinds import KindVersion, Period, kinds

D = dt.date
CAL = kz_calendar()
KINDS = kinds()
NORM = NormRef("Law on Administrative Offences", "12")


def cc(case_id: str, filed: dt.date) -> tuple[Case, KindVersion]:
    case = Case(
        id=CaseId(case_id),
        kind="cc-citizen-complaint",
        version="2023",
        filed_on=filed,
        filers=(Party("c", "A. Citizen", "citizen"),),
        act=ActComplained("norm", NORM, filed),
        language="ru",
        form="written",
        court_act=CourtAct("Court of Appeal", "2-1", D(2024, 11, 1), D(2024, 12, 2), True, (NORM,), True),
    )
    return case, KINDS["cc-citizen-complaint"].version_on(filed)


def simple(kind: str, case_id: str, filed: dt.date, version: str) -> tuple[Case, KindVersion]:
    case = Case(
        id=CaseId(case_id),
        kind=kind,
        version=version,
        filed_on=filed,
        filers=(Party("v", "A. Voter", "voter" if kind.startswith("commission") else "citizen"),),
        act=ActComplained("protocol" if kind.startswith("commission") else "action", ProtocolRef("E", "P-1", 1), filed),
        language="kk",
        form="written",
    )
    return case, KINDS[kind].version_on(filed)


def test_three_months_with_an_extension_and_its_grounds() -> None:
    case, kv = cc("CC-1", D(2025, 1, 31))
    d = case_deadlines(case, kv, CAL)
    assert d.filing is not None
    assert d.filing.end == D(2025, 12, 2)  # one year after the act's entry into force (2 Dec 2024), a Tuesday
    assert d.examination.end == D(2025, 4, 30)  # 31 January + 3 months: the month's last day
    assert d.examination.remaining(D(2025, 4, 28)) == 2
    assert d.examination.remaining(D(2025, 4, 30)) == 0
    assert d.examination.overdue(D(2025, 5, 1))
    extended = case.admit(D(2025, 2, 3)).extended(
        Extension(D(2025, 4, 20), Period(1, "months", True), "expert opinion")
    )
    e = case_deadlines(extended, kv, CAL).examination
    assert e.end == D(2025, 5, 30)
    assert e.basis == "3 months after 2025-01-31 (filed), extended by 1 month to 2025-05-30 (expert opinion)"
    assert not e.overdue(D(2025, 5, 2))
    assert e.plain(D(2025, 5, 2))["extensions"] == [
        {"granted_on": "2025-04-20", "period": "1 month", "grounds": "expert opinion"}
    ]


def test_an_examination_ending_on_a_day_off_and_one_the_calendar_cannot_count() -> None:
    case, kv = cc("CC-2", D(2025, 8, 29))
    assert case_deadlines(case, kv, CAL).examination.end == D(2025, 12, 1)  # 29 Nov 2025 is a Saturday
    late, kv = cc("CC-3", D(2025, 11, 30))
    e = case_deadlines(late, kv, CAL).examination  # 28 Feb 2026: 2026's days off are not all known
    assert e.end is None
    assert "2026" in e.note
    assert e.remaining(D(2026, 1, 5)) is None
    assert not e.overdue(D(2026, 3, 5))


def test_a_working_day_limit_across_holidays() -> None:
    case, kv = simple("ombudsman-petition", "O-1", D(2025, 3, 19), "2023")
    # 15 working days after Wed 19 March 2025, past Nauryz (21-25 March off): 20, 26-28, 31 Mar, 1-4, 7-11, 14 Apr
    assert case_deadlines(case, kv, CAL).examination.end == D(2025, 4, 14)


def test_a_working_day_limit_across_a_transferred_day_off() -> None:
    case, kv = simple("ombudsman-petition", "O-2", D(2025, 1, 2), "2023")
    e = case_deadlines(case, kv, CAL).examination
    # after Thu 2 Jan 2025: Fri 3 off (transferred), Sun 5 worked (1), Mon 6 (2), Tue 7 off (Christmas), 8-10 (3-5),
    # 13-17 (6-10), 20-24 (11-15)
    assert e.end == D(2025, 1, 24)
    assert e.remaining_working(D(2025, 1, 2), CAL) == 15
    assert e.remaining_working(D(2025, 1, 24), CAL) == 0
    assert e.remaining(D(2025, 1, 2)) == 22
    unknown, kv = cc("CC-4", D(2025, 11, 30))
    assert case_deadlines(unknown, kv, CAL).examination.remaining_working(D(2025, 12, 1), CAL) is None


def test_a_kind_not_extendable_refuses_an_extension() -> None:
    case, kv = simple("commission-complaint", "C-1", D(2025, 4, 20), "2022")
    extended = case.admit(D(2025, 4, 21)).extended(Extension(D(2025, 4, 21), Period(2, "days"), "recount"))
    with pytest.raises(DisputeError) as err:
        case_deadlines(extended, kv, CAL)
    assert err.value.code == DisputesCode.BAD_CASE


def test_the_weeks_board_per_body() -> None:
    at = D(2025, 4, 28)  # a Monday
    assert week_of(at) == (D(2025, 4, 28), D(2025, 5, 4))
    due_cc, kv_cc = cc("CC-9", D(2025, 1, 31))  # ends Wed 30 April
    overdue, kv_c = simple("commission-complaint", "C-2", D(2025, 4, 20), "2022")  # ends 25 April
    later, kv_o = simple("ombudsman-petition", "O-3", D(2025, 4, 28), "2023")  # ends in May: not this week
    done, _ = simple("commission-complaint", "C-3", D(2025, 4, 20), "2022")
    done = (
        done.admit(D(2025, 4, 21))
        .examine(D(2025, 4, 21))
        .decide(Decision("D-1", D(2025, 4, 24), "dismissed", "No violation found.", D(2025, 4, 24)))
    )
    board = due_this_week(
        [(due_cc, kv_cc), (overdue, kv_c), (later, kv_o), (done, kv_c)],
        CAL,
        at,
    )
    assert board == {
        "the Constitutional Court": (Due("CC-9", "examination", D(2025, 4, 30), False),),
        "the higher commission": (Due("C-2", "examination", D(2025, 4, 25), True),),
    }
