"""Admissibility condition by condition, with the date arithmetic shown (spec/disputes.md §5)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from typing import Literal

import pytest

from saylau.disputes.admissibility import check
from saylau.disputes.calendar import kz_calendar
from saylau.disputes.case import (
    ActComplained,
    Case,
    CaseId,
    CourtAct,
    Document,
    NormRef,
    Party,
    ProtocolRef,
    Representative,
)
from saylau.disputes.errors import DisputeError
from saylau.disputes.kinds import kinds

D = dt.date
CAL = kz_calendar()
KINDS = kinds()
NORM = NormRef("Civil Procedure Code", "427", "2")
OTHER = NormRef("Civil Procedure Code", "431", "1")


def cc_case(
    filed: dt.date,
    in_force: dt.date | Literal["not_in_force"] | None,
    *,
    applied: tuple[NormRef, ...] | None = (NORM,),
    participated: bool | None = True,
    affects: bool | None = True,
    language: str = "kk",
) -> Case:
    act_day = in_force if isinstance(in_force, dt.date) else D(2023, 1, 10)
    return Case(
        id=CaseId("CC-1"),
        kind="cc-citizen-complaint",
        version="2023",
        filed_on=filed,
        filers=(Party("c1", "A. Citizen", "citizen"),),
        act=ActComplained("norm", NORM, min(act_day, filed)),
        language=language,
        form="electronic",
        court_act=CourtAct("Supreme Court", "6001-22", act_day, in_force, participated, applied, affects),
    )


def verdicts(case: Case) -> dict[str, str]:
    result = check(case, KINDS[case.kind].version_on(case.filed_on), CAL)
    return {c.id: c.verdict for c in result.conditions}


def reason(case: Case, cid: str) -> str:
    result = check(case, KINDS[case.kind].version_on(case.filed_on), CAL)
    return next(c.reason for c in result.conditions if c.id == cid)


def test_one_year_on_its_boundary_day_is_met() -> None:
    case = cc_case(D(2023, 6, 5), D(2022, 6, 5))
    result = check(case, KINDS["cc-citizen-complaint"].version_on(case.filed_on), CAL)
    assert result.verdict == "met"
    deadline = next(c for c in result.conditions if c.id == "filing_deadline")
    assert deadline.reason == (
        "filed 2023-06-05, 1 year after 2022-06-05 (court act 6001-22 in force) ends 2023-06-05: "
        "on the boundary day: met"
    )
    assert deadline.uncertain is not None
    assert deadline.uncertain.rule == "filing.from"  # the year's first day is a marked assumption


def test_the_day_after_the_year_is_not_met() -> None:
    case = cc_case(D(2025, 6, 6), D(2024, 6, 5))  # 5 June 2025 is a Thursday, a working day
    assert verdicts(case)["filing_deadline"] == "not_met"
    assert reason(case, "filing_deadline").endswith("ends 2025-06-05: 1 day after the last day: not met")


def test_a_last_day_on_a_day_off_moves_to_the_next_working_day() -> None:
    # 8 March 2025 is a Saturday and a holiday; its day off is Monday 10 March: the year ends on 11 March
    met = cc_case(D(2025, 3, 11), D(2024, 3, 8))
    assert verdicts(met)["filing_deadline"] == "met"
    assert "the period ends on the next working day 2025-03-11: met" in reason(met, "filing_deadline")
    late = cc_case(D(2025, 3, 12), D(2024, 3, 8))
    assert verdicts(late)["filing_deadline"] == "not_met"
    assert reason(late, "filing_deadline").endswith("1 day after the last day: not met")


def test_a_day_the_calendar_cannot_tell_is_to_be_established() -> None:
    # one day late by the raw year, and 2023's days off are not all known: no guess either way
    case = cc_case(D(2023, 6, 6), D(2022, 6, 5))
    assert verdicts(case)["filing_deadline"] == "to_be_established"
    assert reason(case, "filing_deadline").startswith(
        "filed 2023-06-06, 1 year after 2022-06-05 (court act 6001-22 in force) ends 2023-06-05; filed 1 day after it, "
        "in time only if that day is a day off, which the calendar cannot tell (cannot tell whether 2023-06-05 is"
    )


def test_a_court_act_not_yet_in_force() -> None:
    pending = cc_case(D(2025, 2, 3), "not_in_force")
    v = verdicts(pending)
    assert v["court_act_in_force"] == "not_met"
    assert v["filing_deadline"] == "to_be_established"  # the year has not begun to run
    assert reason(pending, "filing_deadline").endswith("has not entered into force: the period has not begun")
    later = cc_case(D(2025, 2, 3), D(2025, 2, 10))
    assert verdicts(later)["court_act_in_force"] == "not_met"
    assert "enters into force on 2025-02-10, after the filing 2025-02-03" in reason(later, "court_act_in_force")
    unknown = cc_case(D(2025, 2, 3), None)
    assert verdicts(unknown)["court_act_in_force"] == "to_be_established"


def test_a_norm_not_applied_in_the_citizens_case() -> None:
    case = cc_case(D(2025, 2, 3), D(2024, 12, 2), applied=(OTHER,))
    result = check(case, KINDS["cc-citizen-complaint"].version_on(case.filed_on), CAL)
    assert result.verdict == "not_met"
    assert [c.id for c in result.failing()] == ["applied_in_citizens_case"]
    assert reason(case, "applied_in_citizens_case") == (
        "Civil Procedure Code, Art. 427 para 2 was not applied in case 6001-22 "
        "(applied: Civil Procedure Code, Art. 431 para 1)"
    )
    absent = cc_case(D(2025, 2, 3), D(2024, 12, 2), participated=False)
    assert verdicts(absent)["applied_in_citizens_case"] == "not_met"
    unknown = cc_case(D(2025, 2, 3), D(2024, 12, 2), applied=None)
    assert verdicts(unknown)["applied_in_citizens_case"] == "to_be_established"


def test_rights_directly_affected_is_for_the_judges_when_not_established() -> None:
    assert verdicts(cc_case(D(2025, 2, 3), D(2024, 12, 2), affects=None))["directly_affects_rights"] == (
        "to_be_established"
    )
    assert verdicts(cc_case(D(2025, 2, 3), D(2024, 12, 2), affects=False))["directly_affects_rights"] == "not_met"


def test_language_and_representative() -> None:
    assert verdicts(cc_case(D(2025, 2, 3), D(2024, 12, 2), language="en"))["language"] == "not_met"
    case = cc_case(D(2025, 2, 3), D(2024, 12, 2))
    poa = Document("power-of-attorney.pdf", hashlib.sha256(b"poa").hexdigest(), 1, D(2025, 2, 3))
    represented = dataclasses.replace(case, representative=Representative("B. Lawyer", "written_consent", poa))
    assert verdicts(represented)["representative"] == "met"
    assert "written consent" in reason(represented, "representative")


def commission_complaint(
    filed: dt.date, role: Literal["voter", "citizen"] = "voter", precinct: str | None = "P-017"
) -> Case:
    return Case(
        id=CaseId("C-1"),
        kind="commission-complaint",
        version="2022",
        filed_on=filed,
        filers=(Party("v1", "A. Voter", role, precinct=precinct),),
        act=ActComplained("protocol", ProtocolRef("REF-2025", "P-017", 1), D(2025, 3, 14)),
        language="ru",
        form="written",
    )


def test_a_commission_complaint_in_calendar_days_without_a_roll() -> None:
    on_time = commission_complaint(D(2025, 3, 24))  # 14 March + 10 days = 24 March (a day off: no roll)
    assert verdicts(on_time) == {
        "filer_role": "met",
        "voter_of_precinct": "met",
        "act_kind": "met",
        "filing_deadline": "met",
        "language": "met",
        "form": "met",
        "representative": "met",
    }
    late = commission_complaint(D(2025, 3, 25))
    assert verdicts(late)["filing_deadline"] == "not_met"
    assert verdicts(commission_complaint(D(2025, 3, 20), role="citizen"))["filer_role"] == "not_met"


def test_the_check_refuses_a_version_that_is_not_the_cases() -> None:
    case = commission_complaint(D(2025, 3, 20))
    with pytest.raises(DisputeError, match="not cc-citizen-complaint"):
        check(case, KINDS["cc-citizen-complaint"].version_on(D(2025, 3, 20)), CAL)


def test_a_voter_complains_of_their_own_precincts_protocol() -> None:
    elsewhere = commission_complaint(D(2025, 3, 20), precinct="P-018")
    assert verdicts(elsewhere)["voter_of_precinct"] == "not_met"
    assert reason(elsewhere, "voter_of_precinct") == "not a voter of precinct P-017: A. Voter (P-018)"
    unknown = commission_complaint(D(2025, 3, 20), precinct=None)
    assert verdicts(unknown)["voter_of_precinct"] == "to_be_established"
    observer = dataclasses.replace(unknown, filers=(Party("o1", "An Observer", "observer"),))
    assert verdicts(observer)["voter_of_precinct"] == "met"
