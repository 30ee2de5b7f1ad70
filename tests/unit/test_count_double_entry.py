"""Double entry (Kiesraad Abacus): two operators, field-by-field agreement, mismatches settled by more entries."""

from __future__ import annotations

from typing import assert_never

import pytest
from kz_schema import Q1, kz_counts

from saylau.count import (
    Agreed,
    AwaitingSecond,
    Decision,
    Difference,
    EntryRecord,
    Mismatch,
    decide,
    differences,
)
from saylau.model import Conflict, QuestionCode

CLEAN = kz_counts()


def entry(operator: str, **changes: int) -> EntryRecord:
    return EntryRecord(operator, {Q1: {**CLEAN, **changes}})


def test_first_entry_awaits_a_second() -> None:
    assert decide([], entry("A")) == AwaitingSecond()


def test_second_entry_agreeing_counts() -> None:
    assert decide([entry("A")], entry("B")) == Agreed(with_index=0)


def test_mismatch_lists_every_differing_field_new_last() -> None:
    decision = decide([entry("A")], entry("B", yes=CLEAN["no"], no=CLEAN["yes"]))
    assert decision == Mismatch(
        (
            Difference(Q1, "yes", (500, 180)),
            Difference(Q1, "no", (180, 500)),
        )
    )


def test_same_operator_is_refused() -> None:
    with pytest.raises(Conflict) as caught:
        decide([entry("A")], entry("A"))
    assert caught.value.code == "same_operator"
    with pytest.raises(Conflict):
        decide([entry("A"), entry("B", yes=501)], entry("B"))


def test_third_entry_agreeing_with_the_first_resolves() -> None:
    assert decide([entry("A"), entry("B", yes=501)], entry("C")) == Agreed(with_index=0)


def test_third_entry_agreeing_with_the_second_resolves() -> None:
    assert decide([entry("A"), entry("B", yes=501)], entry("C", yes=501)) == Agreed(with_index=1)


def test_fourth_entry_after_two_different_mismatches() -> None:
    round_entries = [entry("A"), entry("B", yes=501)]
    third = entry("C", yes=502, no=181)
    second_mismatch = decide(round_entries, third)
    assert second_mismatch == Mismatch(
        (
            Difference(Q1, "yes", (500, 501, 502)),
            Difference(Q1, "no", (180, 180, 181)),
        )
    )
    assert decide([*round_entries, third], entry("D", yes=501)) == Agreed(with_index=1)
    assert decide([*round_entries, third], entry("D", yes=502, no=181)) == Agreed(with_index=2)
    still = decide([*round_entries, third], entry("D", yes=503))
    assert isinstance(still, Mismatch)
    assert still.differences[0].values == (500, 501, 502, 503)


def test_differences_name_missing_questions_and_fields() -> None:
    q2 = QuestionCode("Q2")
    a = EntryRecord("A", {Q1: CLEAN, q2: {"yes": 1}})
    b = EntryRecord("B", {Q1: {k: v for k, v in CLEAN.items() if k != "invalid"}})
    assert differences(a, b) == (
        Difference(Q1, "invalid", (15, None)),
        Difference(q2, "yes", (1, None)),
    )
    assert differences(a, a) == ()


def describe(decision: Decision) -> str:
    match decision:
        case AwaitingSecond():
            return "waiting"
        case Agreed(with_index=i):
            return f"agreed with {i}"
        case Mismatch(differences=diffs):
            return f"{len(diffs)} differences"
        case _:
            assert_never(decision)


def test_decisions_are_a_closed_union() -> None:
    assert describe(decide([], entry("A"))) == "waiting"
    assert describe(decide([entry("A")], entry("B", invalid=14, yes=501))) == "2 differences"
    assert {AwaitingSecond().kind, Agreed(0).kind, Mismatch(()).kind} == {"awaiting_second", "agreed", "mismatch"}
