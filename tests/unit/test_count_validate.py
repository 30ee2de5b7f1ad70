"""Protocol validation: every control relation, every shape problem, and every warning."""

from __future__ import annotations

from fractions import Fraction

import pytest
from kz_schema import KZ_RELATIONS, KZ_SCHEMA, Q1, kz_counts

from saylau.count import (
    HIGH_TURNOUT,
    REGISTER_MISMATCH,
    ROUND_NUMBERS,
    UNANIMOUS,
    Plausibility,
    validate,
)
from saylau.model import Protocol, ProtocolRejected, ProtocolSchema, QuestionCode, Relation, UnitCode

P = UnitCode("P1")
Q2 = QuestionCode("Q2")


def _protocol(**counts: object) -> Protocol:
    return Protocol(P, {Q1: counts})


def _refusal(protocol: Protocol, questions: tuple[QuestionCode, ...] = (Q1,)) -> ProtocolRejected:
    with pytest.raises(ProtocolRejected) as caught:
        validate(KZ_SCHEMA, protocol, questions)
    assert caught.value.precinct == P
    assert caught.value.code == "control_relation"
    return caught.value


def test_a_valid_protocol_passes_without_warnings() -> None:
    assert validate(KZ_SCHEMA, _protocol(**kz_counts()), [Q1], registered=1000) == ()


def test_ballots_sum_names_its_values_and_source() -> None:
    counts = kz_counts(participated=812, yes=800, no=5, not_counted=3, invalid=2, issued=820)
    (message,) = _refusal(_protocol(**counts)).violations
    assert message == (
        "question Q1: participated == yes + no + not_counted + invalid: 812 ≠ 800 + 5 + 3 + 2 = 810 "
        "(inferred, kazakhstan.md §2.2) [ballots_sum]"
    )


def test_participated_above_issued_is_refused() -> None:
    (message,) = _refusal(_protocol(**kz_counts(issued=690))).violations
    assert "participated <= issued: 700 > 690" in message
    assert "[in_boxes]" in message


def test_participated_above_registered_is_refused() -> None:
    (message,) = _refusal(_protocol(**kz_counts(registered=699))).violations
    assert "participated <= registered: 700 > 699" in message


def test_ballots_received_must_balance() -> None:
    counts = kz_counts()
    counts["received"] += 1
    (message,) = _refusal(_protocol(**counts)).violations
    assert "received == issued + cancelled: 1001 ≠ 710 + 290 = 1000" in message


def test_three_broken_relations_are_all_named() -> None:
    counts = kz_counts(registered=600, issued=650)  # participated 700 > issued, > registered
    counts["yes"] += 1  # and the ballots no longer add up
    counts["received"] = counts["issued"] + counts["cancelled"]
    violations = _refusal(_protocol(**counts)).violations
    assert len(violations) == 3
    for name in ("[ballots_sum]", "[in_boxes]", "[turnout_cap]"):
        assert any(name in v for v in violations), name


def test_missing_and_unknown_questions_are_named() -> None:
    protocol = Protocol(P, {Q2: kz_counts()})
    violations = _refusal(protocol).violations
    assert "question Q1: missing from the protocol" in violations
    assert "question Q2: not a question of this referendum" in violations


def test_missing_unknown_and_bad_fields_are_all_named_at_once() -> None:
    counts: dict[str, object] = dict(kz_counts())
    del counts["invalid"]
    counts["spoiled"] = 3
    counts["yes"] = -1
    counts["no"] = True
    counts["issued"] = 710.0
    violations = _refusal(_protocol(**counts)).violations
    assert "question Q1: field invalid missing" in violations
    assert "question Q1: field spoiled is not a field of the protocol" in violations
    for f in ("yes", "no", "issued"):
        assert any(f"field {f} = " in v and "non-negative whole number" in v for v in violations), f
    # relations over refused fields are not evaluated again; the others still are
    assert not any("[ballots_sum]" in v or "[in_boxes]" in v for v in violations)


def test_every_question_is_checked() -> None:
    protocol = Protocol(P, {Q1: kz_counts(), Q2: kz_counts(registered=10)})
    (message,) = _refusal(protocol, (Q1, Q2)).violations
    assert message.startswith("question Q2: participated <= registered")


def test_file_and_line_appear_in_the_message() -> None:
    with pytest.raises(ProtocolRejected) as caught:
        validate(KZ_SCHEMA, _protocol(**kz_counts(registered=1)), [Q1], file="p.csv", line=7)
    assert str(caught.value).startswith("p.csv:7: protocol for precinct P1 refused")


def test_a_relation_over_an_undefined_field_is_reported() -> None:

    bad = Relation("ghost", ("participated",), "<=", ("mobile",), "test")
    schema = ProtocolSchema(KZ_SCHEMA.fields, (*KZ_RELATIONS, bad))
    with pytest.raises(ProtocolRejected) as caught:
        validate(schema, _protocol(**kz_counts()), [Q1])
    assert "relation ghost uses field(s) mobile that the schema does not define" in caught.value.violations[0]


def _codes(counts: dict[str, int], **kw: object) -> list[str]:
    registered = kw.pop("registered", None)
    plausibility = Plausibility(**kw)  # type: ignore[arg-type]
    return [
        w.code
        for w in validate(
            KZ_SCHEMA,
            _protocol(**counts),
            [Q1],
            registered=registered,
            plausibility=plausibility,  # type: ignore[arg-type]
        )
    ]


def test_high_turnout_warns_strictly_above_the_threshold() -> None:
    at = kz_counts(registered=1000, participated=950, yes=700, no=233, not_counted=7, invalid=10)
    above = kz_counts(registered=1000, participated=951, yes=700, no=234, not_counted=7, invalid=10)
    assert _codes(at) == []
    assert _codes(above) == [HIGH_TURNOUT]
    assert _codes(above, max_turnout=Fraction(96, 100)) == []


def test_high_turnout_message_is_exact() -> None:
    counts = kz_counts(registered=1000, participated=951, yes=700, no=234, not_counted=7, invalid=10)
    (warning,) = validate(KZ_SCHEMA, _protocol(**counts), [Q1])
    assert warning.message == "question Q1: turnout 95.10% (951 of 1000) is above 95.00%"
    assert warning.precinct == P


@pytest.mark.parametrize(("yes", "no"), [(694, 0), (0, 694)])
def test_unanimity_warns_for_all_yes_or_all_no(yes: int, no: int) -> None:
    assert _codes(kz_counts(participated=701, yes=yes, no=no, not_counted=3, invalid=4)) == [UNANIMOUS]


def test_unanimity_needs_a_few_votes() -> None:
    small = kz_counts(registered=20, participated=9, yes=9, no=0, not_counted=0, invalid=0)
    assert _codes(small) == []
    assert _codes(kz_counts(registered=20, participated=10, yes=10, no=0, not_counted=0, invalid=0)) == [UNANIMOUS]


def test_round_multiples_warn_with_enough_voters() -> None:
    counts = kz_counts(registered=1013, participated=700, yes=550, no=150, not_counted=0, invalid=0)
    assert _codes(counts) == [ROUND_NUMBERS]
    few = kz_counts(registered=1013, participated=150, yes=100, no=50, not_counted=0, invalid=0)
    assert _codes(few) == []


def test_whole_percentages_of_turnout_and_yes_warn() -> None:
    # turnout 70% exactly, Yes 3/5 = 60% exactly
    counts = kz_counts(registered=1000, participated=700, yes=420, no=266, not_counted=4, invalid=10)
    assert _codes(counts) == [ROUND_NUMBERS]
    only_turnout = kz_counts(registered=1000, participated=700, yes=421, no=265, not_counted=4, invalid=10)
    assert _codes(only_turnout) == []


def test_register_mismatch_beyond_the_share() -> None:
    counts = kz_counts(registered=1000)
    assert _codes(counts, registered=953) == []  # 47 = 4.9% of 953
    assert _codes(counts, registered=1050) == []  # 50 = exactly 5% of 1050: not more
    assert _codes(counts, registered=1060) == [REGISTER_MISMATCH]
    assert _codes(counts, registered=940) == [REGISTER_MISMATCH]
    assert _codes(counts, registered=1060, register_gap=Fraction(1, 10)) == []


def test_register_of_zero_voters() -> None:
    counts = kz_counts(registered=0, participated=0, yes=0, no=0, not_counted=0, invalid=0)
    assert _codes(counts, registered=0) == []


def test_plausibility_refuses_nonsense_thresholds() -> None:
    with pytest.raises(ValueError, match="max_turnout"):
        Plausibility(max_turnout=Fraction(3, 2))
    with pytest.raises(ValueError, match="round_multiple"):
        Plausibility(round_multiple=1)
