"""Matching signatures to the register (spec/petitions.md §4), double entry of sheet lines (§2) and online
signatures in both algorithms (§3)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from tests.unit.petitions_helpers import REGISTER, SCOPE, name_key, online, paper, petition

from saylau.crypto.signatures import verify_ed25519, verify_p256
from saylau.petitions import (
    Keying,
    MatchStatus,
    PetitionError,
    SignatureId,
    Statement,
    Withdrawal,
    match_signatures,
    reconcile,
    statement_bytes,
)
from saylau.petitions.model import Signature

A_BORN = date(1980, 1, 1)


def verdicts(signatures: list[Signature], withdrawals: tuple[Withdrawal, ...] = ()) -> dict[str, tuple[str, str]]:
    got = match_signatures(petition(), signatures, withdrawals, REGISTER, name_key, SCOPE)
    return {m.signature: (m.status.value, m.reason) for m in got.matches}


def test_a_signature_after_the_deadline_or_before_the_opening_does_not_count() -> None:
    got = verdicts(
        [
            paper(1, "A1", "Aigerim Sadykova", A_BORN, date(2024, 4, 1)),
            paper(2, "A1", "Aigerim Sadykova", A_BORN, date(2024, 2, 29)),
            paper(3, "A1", "Aigerim Sadykova", A_BORN, date(2024, 3, 31)),  # the closing day itself counts
        ]
    )
    assert got["paper:S1:1"] == ("after_deadline", "signed 2024-04-01, after the deadline 2024-03-31")
    assert got["paper:S1:2"][0] == "before_opening"
    assert got["paper:S1:3"][0] == "matched"


def test_a_signer_who_moved_out_of_the_district_before_signing_is_not_in_scope() -> None:
    """B1 lived at P1 (in D1) until 9 March and at P9 (elsewhere) from 10 March."""
    got = verdicts(
        [
            paper(1, "B1", "Bolat Nurlanov", date(1975, 5, 5), date(2024, 3, 15)),
            paper(2, "B1", "Bolat Nurlanov", date(1975, 5, 5), date(2024, 3, 9), seq=9),
        ]
    )
    assert got["paper:S1:1"][0] == "not_in_scope"
    assert "precinct P9 on 2024-03-15, outside D1" in got["paper:S1:1"][1]
    assert got["paper:S1:2"][0] == "matched"  # signed on 9 March, still in the district: it counts


def test_eligibility_at_the_date_deceased_and_under_age() -> None:
    got = verdicts(
        [
            paper(1, "C1", "Chingiz Omarov", date(1950, 2, 2), date(2024, 3, 10)),
            paper(2, "Y1", "Yerlan Young", date(2006, 6, 1), date(2024, 3, 10)),
            paper(3, "C1", "Chingiz Omarov", date(1950, 2, 2), date(2024, 3, 2)),
        ]
    )
    assert got["paper:S1:1"] == ("not_eligible_at_date", "status deceased on 2024-03-10")
    assert got["paper:S1:2"][0] == "not_eligible_at_date"
    assert "under 18" in got["paper:S1:2"][1]
    assert got["paper:S1:3"][0] == "matched"  # signed while alive and registered


def test_a_withdrawn_signature_does_not_count_and_a_late_withdrawal_is_ignored() -> None:
    got = verdicts(
        [
            paper(1, "A1", "Aigerim Sadykova", A_BORN, date(2024, 3, 2)),
            paper(2, "T1", "Twin Same", None, date(2024, 3, 2)),
        ],
        (
            Withdrawal(SignatureId("paper:S1:1"), date(2024, 3, 20)),
            Withdrawal(SignatureId("paper:S1:2"), date(2024, 4, 2)),
        ),
    )
    assert got["paper:S1:1"] == ("withdrawn", "withdrawn on 2024-03-20, before the deadline 2024-03-31")
    assert got["paper:S1:2"][0] == "matched"  # withdrawn after the deadline: too late


def test_duplicates_within_a_channel_and_across_paper_and_online() -> None:
    """A1 signs on paper on 10 March, online on 5 March and on paper again on 12 March: the online one
    (the first by day) counts; both paper lines are duplicates naming it."""
    sigs: list[Signature] = [
        paper(1, "A1", "Aigerim Sadykova", A_BORN, date(2024, 3, 10), seq=1),
        online("online:1", "A1", "Aigerim Sadykova", A_BORN, date(2024, 3, 5), "ed25519", seq=2),
        paper(2, None, "  AIGERIM   sadykova ", A_BORN, date(2024, 3, 12), seq=3),  # found by name key + birth date
    ]
    got = match_signatures(petition(), sigs, (), REGISTER, name_key, SCOPE)
    by_id = {m.signature: m for m in got.matches}
    assert by_id[SignatureId("online:1")].status is MatchStatus.MATCHED
    for sid in ("paper:S1:1", "paper:S1:2"):
        m = by_id[SignatureId(sid)]
        assert (m.status, m.counted, m.person) == (MatchStatus.DUPLICATE, "online:1", "A1")
        assert "the same person as signature online:1 (signed 2024-03-05)" in m.reason
    assert got.valid == 1
    assert got.counts[MatchStatus.DUPLICATE] == 2


def test_same_day_duplicates_are_ordered_by_intake() -> None:
    sigs: list[Signature] = [
        paper(1, "A1", "Aigerim Sadykova", A_BORN, date(2024, 3, 10), seq=7),
        online("online:1", "A1", "Aigerim Sadykova", A_BORN, date(2024, 3, 10), "ecdsa-p256", seq=3),
    ]
    got = {m.signature: m.status for m in match_signatures(petition(), sigs, (), REGISTER, name_key, SCOPE).matches}
    assert got == {"online:1": MatchStatus.MATCHED, "paper:S1:1": MatchStatus.DUPLICATE}


def test_not_in_register_illegible_and_ambiguous_names() -> None:
    got = verdicts(
        [
            paper(1, "ZZ", "Nobody Known", date(1990, 1, 1), date(2024, 3, 3)),
            paper(2, None, "Twin Same", date(1990, 1, 1), date(2024, 3, 3)),  # two persons: cannot tell which
            paper(3, "A1", "Aigerim Sadykova", date(1981, 1, 1), date(2024, 3, 3)),  # identifier's birth date differs
            paper(4, "A1", "Aigerim Sadykova", A_BORN, date(2024, 3, 3), illegible=True),
            paper(5, "A1", "Aigerim Sadykova", A_BORN, None),
            paper(6, None, "Aigerim Sadykova", None, date(2024, 3, 3)),
        ]
    )
    assert got["paper:S1:1"][0] == "not_in_register"
    assert "no person" in got["paper:S1:1"][1]
    assert got["paper:S1:2"] == ("not_in_register", "2 persons with this name and birth date 1990-01-01")
    assert got["paper:S1:3"][0] == "not_in_register"
    assert "birth date 1980-01-01" in got["paper:S1:3"][1]
    assert [got[f"paper:S1:{i}"][0] for i in (4, 5, 6)] == ["illegible"] * 3


@pytest.mark.parametrize("algorithm", ["ed25519", "ecdsa-p256"])
def test_online_signatures_valid_and_forged(algorithm: str) -> None:
    good = online("online:1", "A1", "Aigerim Sadykova", A_BORN, date(2024, 3, 5), algorithm, seq=1)  # type: ignore[arg-type]
    forged = online("online:2", "T1", "Twin Same", date(1990, 1, 1), date(2024, 3, 5), algorithm, seq=2, forge=True)  # type: ignore[arg-type]
    swapped = replace(good, id=SignatureId("online:3"), statement=replace(good.statement, identifier="T1"), seq=3)
    other = online("online:4", "T2", "Twin Same", date(1990, 1, 1), date(2024, 3, 5), algorithm, seq=4, code="other")  # type: ignore[arg-type]
    got = verdicts([good, forged, swapped, other])
    assert got["online:1"][0] == "matched"
    for sid in ("online:2", "online:3"):  # signed over other bytes; a statement changed after signing
        assert got[sid] == (
            "online_signature_invalid",
            f"the {algorithm} signature does not verify (bad_signature at signature)",
        )
    assert got["online:4"][0] == "online_signature_invalid"
    assert "petition 'other'" in got["online:4"][1]


def test_signature_shapes_are_refused_not_crashed() -> None:
    assert not verify_ed25519(b"\x00" * 31, b"m", b"\x00" * 64)
    assert not verify_ed25519(b"\x01" * 32, b"m", b"\x00" * 64)
    assert not verify_p256(b"\x04" + b"\x01" * 64, b"m", b"\x00" * 64)  # not a point on the curve
    assert not verify_p256(b"\x04" * 65, b"m", b"\x00" * 63)


def test_the_statement_bytes_are_canonical_json() -> None:
    """spec/petitions.md §3, written out: sorted keys, no spaces, UTF-8, the purpose tag inside."""
    s = Statement("d1-recall", "A1", "Айгерім", date(1980, 1, 1), date(2024, 3, 5))
    want = (
        '{"birth_date":"1980-01-01","identifier":"A1","name":"Айгерім","petition":"d1-recall",'
        '"purpose":"saylau/petitions/statement/v1","signed_on":"2024-03-05"}'
    )
    assert statement_bytes(s) == want.encode("utf-8")


def test_an_online_statement_dated_far_from_its_receipt_is_invalid() -> None:
    sig = online("online:1", "A1", "Aigerim Sadykova", A_BORN, date(2024, 3, 5), "ed25519", seq=1)
    late = replace(sig, received_on=date(2024, 3, 8))
    assert verdicts([late])["online:1"] == (
        "online_signature_invalid",
        "the statement is dated 2024-03-05, received 2024-03-08",
    )


def test_double_entry_agrees_or_names_the_fields_that_differ() -> None:
    first = Keying("op-1", "S7", "collector-2", 12, "A1", "Aigerim Sadykova", A_BORN, date(2024, 3, 4))
    agreed = reconcile(first, replace(first, operator="op-2"), seq=5)
    assert (agreed.id, agreed.identifier, agreed.seq) == ("paper:S7:12", "A1", 5)
    with pytest.raises(PetitionError) as err:
        reconcile(first, replace(first, operator="op-2", identifier="A7", birth_date=date(1980, 1, 7)), seq=5)
    assert err.value.code == "petition_keying_mismatch"
    assert err.value.details["fields"] == ["identifier", "birth_date"]
    assert (err.value.details["sheet"], err.value.details["line"]) == ("S7", 12)
    assert "sheet S7 line 12: the two keyings differ in identifier, birth_date" in err.value.message
    with pytest.raises(PetitionError) as same:
        reconcile(first, first, seq=5)
    assert same.value.code == "petition_same_operator"
    with pytest.raises(PetitionError) as bad:
        Keying("op-1", "S7", "c", 12, "A1\n", "x", None, None)
    assert bad.value.code == "petition_bad_signature"
    assert bad.value.details["fields"] == ["identifier"]


def test_bad_inputs_are_refused_with_their_code() -> None:
    line = paper(1, "A1", "Aigerim Sadykova", A_BORN, date(2024, 3, 2))
    with pytest.raises(PetitionError) as twice:
        verdicts([line, line])
    assert twice.value.code == "petition_duplicate_id"
    with pytest.raises(PetitionError) as unknown:
        verdicts([line], (Withdrawal(SignatureId("paper:S1:99"), date(2024, 3, 3)),))
    assert unknown.value.code == "petition_bad_signature"
    with pytest.raises(PetitionError) as dates:
        replace(petition(), closes=date(2024, 2, 1))
    assert dates.value.code == "petition_bad_definition"
