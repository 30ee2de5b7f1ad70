"""Case kinds as dated data (spec/disputes.md §3) and a case's state machine (§4)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from saylau.disputes.case import (
    ActComplained,
    Case,
    CaseId,
    CaseStatus,
    Decision,
    Document,
    Extension,
    NormRef,
    Party,
    ProtocolRef,
    Sitting,
)
from saylau.disputes.codes import DisputesCode
from saylau.disputes.effects import AnnulPrecinct, InvalidateEvent, OrderRecount, ReopenCertified, effect_plain
from saylau.disputes.errors import CaseTransitionRefused, DisputeError
from saylau.disputes.kinds import Period, kind_named, kinds, parse_kinds
from saylau.model.errors import InputError

D = dt.date
SHA = hashlib.sha256(b"complaint.pdf").hexdigest()


def complaint(case_id: str = "C-1") -> Case:
    return Case(
        id=CaseId(case_id),
        kind="commission-complaint",
        version="2022",
        filed_on=D(2025, 3, 20),
        filers=(Party("v1", "A. Voter", "voter"),),
        act=ActComplained("protocol", ProtocolRef("REF-2025", "P-017", 1), D(2025, 3, 16), "turnout over 100%"),
        language="kk",
        form="written",
        documents=(Document("complaint.pdf", SHA, 1, D(2025, 3, 20)),),
    )


def decision(number: str = "D-7", on: dt.date | None = None) -> Decision:
    on = on or D(2025, 3, 24)
    return Decision(
        number,
        on,
        "upheld",
        "The protocol's figures break the control relations.",
        on,
        (AnnulPrecinct("REF-2025", "P-017", number),),
    )


def test_shipped_kinds_and_the_version_in_force() -> None:
    known = kinds()
    assert set(known) == {
        "commission-complaint",
        "commission-appeal",
        "court-appeal",
        "cc-citizen-complaint",
        "cc-election-request",
        "ombudsman-petition",
    }
    cc = known["cc-citizen-complaint"].version_on(D(2023, 6, 5))
    assert cc.filing == Period(1, "years", roll=True)
    assert cc.filing_from == "court_act_in_force"
    assert cc.examination == Period(3, "months", roll=True)
    assert cc.languages == ("kk", "ru")
    assert cc.representatives == ("written_consent", "notarised_power_of_attorney")
    assert cc.uncertainty("filing") is not None  # from which day the year runs is marked uncertain
    request = known["cc-election-request"]
    assert "senate_chair" in request.version_on(D(2024, 1, 10)).filers
    assert "kurultai_chair" in request.version_on(D(2026, 7, 2)).filers  # the Kurultai replaces the chambers
    with pytest.raises(DisputeError) as err:
        known["cc-citizen-complaint"].version_on(D(2022, 12, 31))  # the Court sits from 1 January 2023
    assert err.value.code == DisputesCode.NO_KIND_ON_DATE
    with pytest.raises(DisputeError) as err:
        kind_named("tax-appeal")
    assert err.value.code == DisputesCode.UNKNOWN_KIND


def test_a_bad_kinds_file_names_every_problem() -> None:
    text = """
[[kinds]]
name = "k"
title = "t"
description = "d"
[[kinds.versions]]
id = "1"
label = "l"
valid_from = 2024-01-01
valid_to = 2023-01-01
filers = ["voter", "alien"]
against = ["protocol"]
decider = "x"
languages = ["KZ"]
forms = ["written"]
conditions = ["filing_deadline"]
examination = { count = 0, unit = "weeks", roll = false }
[[kinds.versions.sources]]
cite = "c"
url = "u"
"""
    with pytest.raises(InputError) as err:
        parse_kinds(text, "kinds.toml")
    found = {(p.field, p.rule) for p in err.value.problems}
    assert ("kinds[0].versions[0].valid_to", "order") in found
    assert ("kinds[0].versions[0].filers", "allowed") in found
    assert ("kinds[0].versions[0].examination.count", "range") in found
    assert ("kinds[0].versions[0].examination.unit", "choice") in found
    assert ("kinds[0].versions[0].filing", "missing_key") in found  # filing_deadline without a filing period
    assert ("kinds[0].versions[0].languages", "language") in found


def test_the_course_of_a_case() -> None:
    case = complaint().admit(D(2025, 3, 21)).examine(D(2025, 3, 21), ("M. Member",))
    case = case.with_sitting(Sitting(D(2025, 3, 23), "hearing"))
    case = case.decide(decision())
    assert case.status is CaseStatus.DECIDED
    assert [c.after for c in case.history] == [
        CaseStatus.FILED,
        CaseStatus.ADMITTED,
        CaseStatus.UNDER_EXAMINATION,
        CaseStatus.DECIDED,
    ]
    assert case.decision is not None
    assert effect_plain(case.decision.effects[0]) == {
        "kind": "annul_precinct",
        "event": "REF-2025",
        "decision": "D-7",
        "precinct": "P-017",
    }
    assert not case.open


def test_the_state_machine_refuses() -> None:
    filed = complaint()
    with pytest.raises(CaseTransitionRefused) as err:
        filed.decide(decision())  # a case not admitted cannot be decided
    assert err.value.code == DisputesCode.BAD_CASE_TRANSITION
    assert err.value.details == {"case": "C-1", "from": "filed", "to": "decided"}
    refused = filed.refuse(D(2025, 3, 21), "filing_deadline not met")
    for step in (lambda c: c.admit(D(2025, 3, 22)), lambda c: c.withdraw(D(2025, 3, 22))):
        with pytest.raises(CaseTransitionRefused):
            step(refused)  # refused is final: not admitted later, not withdrawn
    with pytest.raises(CaseTransitionRefused):
        filed.admit(D(2025, 3, 21)).decide(decision())  # admitted but not under examination
    with pytest.raises(CaseTransitionRefused):
        filed.extended(Extension(D(2025, 3, 21), Period(5, "days"), "expert opinion"))  # nothing runs yet
    decided = filed.admit(D(2025, 3, 21)).examine(D(2025, 3, 21)).decide(decision())
    with pytest.raises(CaseTransitionRefused):
        decided.with_sitting(Sitting(D(2025, 3, 25), "hearing"))
    with pytest.raises(DisputeError) as bad:
        filed.admit(D(2025, 3, 19))  # before the filing
    assert bad.value.code == DisputesCode.BAD_CASE


def test_withdrawn_from_any_open_state() -> None:
    filed = complaint()
    admitted = filed.admit(D(2025, 3, 21))
    examined = admitted.examine(D(2025, 3, 22))
    for case in (filed, admitted, examined):
        assert case.withdraw(D(2025, 3, 23)).status is CaseStatus.WITHDRAWN


def test_values_refuse_what_breaks_their_rules() -> None:
    with pytest.raises(DisputeError):
        Document("x.pdf", "ABC", 1, D(2025, 1, 1))  # not a SHA-256
    with pytest.raises(DisputeError):
        Extension(D(2025, 1, 1), Period(1, "months"), "  ")  # no grounds
    with pytest.raises(DisputeError):
        ActComplained("action", ProtocolRef("E", "P-1", 1), D(2025, 1, 1), "x" * 20_001)  # unbounded text
    with pytest.raises(DisputeError):
        Decision("D-1", D(2025, 1, 2), "upheld", "reasons", D(2025, 1, 1))  # in force before it was taken
    with pytest.raises(DisputeError):
        Decision("D-1", D(2025, 1, 2), "upheld", "r", D(2025, 1, 2), (InvalidateEvent("E", "D-2"),))
    case = complaint()
    again = case.with_document(Document("complaint.pdf", SHA, 2, D(2025, 3, 21)))
    assert [d.version for d in again.documents] == [1, 2]
    with pytest.raises(DisputeError):
        case.with_document(Document("complaint.pdf", SHA, 3, D(2025, 3, 21)))  # version 2 skipped
    with pytest.raises(DisputeError):
        Case(
            CaseId("C-2"),
            "cc-citizen-complaint",
            "2023",
            D(2025, 1, 1),
            (Party("c", "C", "citizen"),),
            ActComplained("norm", NormRef("Law X", "5"), D(2025, 2, 1)),  # the act after the filing
            "ru",
            "electronic",
        )


def test_the_effects_a_decision_may_order() -> None:
    assert effect_plain(OrderRecount("E", ("P-1", "P-2"), "D-1"))["units"] == ["P-1", "P-2"]
    assert effect_plain(InvalidateEvent("E", "D-1")) == {"kind": "invalidate_event", "event": "E", "decision": "D-1"}
    assert effect_plain(ReopenCertified("E", "D-1", "court decision"))["reason"] == "court decision"
