"""parse_event: good file, closed schema, every problem with its JSON path, encoding."""

from __future__ import annotations

import datetime as dt
import json
from typing import assert_never

import pytest

from saylau.count.layout import event_rules
from saylau.io import parse_event
from saylau.model import (
    Contest,
    ContestKind,
    DistrictContest,
    InputError,
    OptionKind,
    PartyListContest,
    Problem,
    QuestionContest,
)
from saylau.rules import list_seats

GOOD = {
    "code": "kz-test",
    "title": "Test referendum",
    "date": "2022-06-05",
    "preset": "kz-constitutional",
    "settings": {"units_rounding": "ceil", "regional_turnout": False},
    "description": "a test",
    "questions": [
        {
            "code": "q1",
            "texts": [
                {"lang": "ru", "text": "Принимаете ли Вы? " * 500, "official": True, "source": "https://x"},
                {"lang": "en", "text": "Do you accept?", "official": False, "source": "translation"},
            ],
        }
    ],
}


def _bytes(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False, indent=2).encode()


def _problems(data: bytes) -> list[tuple[str, str | None, int | None]]:
    with pytest.raises(InputError) as info:
        parse_event(data, "event.json")
    assert all(p.file == "event.json" for p in info.value.problems)
    return [(p.rule, p.field, p.line) for p in info.value.problems]


def test_good_event() -> None:
    event = parse_event(b"\xef\xbb\xbf" + _bytes(GOOD), "event.json")
    assert event.code == "kz-test"
    assert event.date == dt.date(2022, 6, 5)
    assert event.settings == {"units_rounding": "ceil", "regional_turnout": "false"}
    (q,) = event.contests
    assert q.text("ru") is not None
    assert len(q.texts[0].text) > 5000
    assert q.text("en") is not None
    assert q.text("en").official is False  # type: ignore[union-attr]


def test_several_problems_with_paths() -> None:
    bad = json.loads(json.dumps(GOOD))
    bad["extra"] = 1
    bad["date"] = "2022-02-30"
    bad["questions"][0]["texts"][1]["lang"] = "de"
    bad["questions"].append({"code": "q2", "texts": []})
    found = _problems(_bytes(bad))
    fields = {f for _, f, _ in found}
    assert {"extra", "questions[0].texts[1].lang", "questions[1].texts"} <= fields


def test_semantic_problems() -> None:
    bad = json.loads(json.dumps(GOOD))
    bad["date"] = "2022-02-30"
    bad["questions"][0]["texts"][1]["lang"] = "ru"
    bad["questions"].append(bad["questions"][0])
    found = _problems(_bytes(bad))
    rules = {(r, f) for r, f, _ in found}
    assert ("date", "date") in rules
    assert ("unique_question", "questions[1].code") in rules
    assert ("one_text_per_lang", "questions[0].texts[1].lang") in rules


def test_json_syntax_error_has_line() -> None:
    assert _problems(b'{\n  "code": "x",\n  oops\n}') == [("json_syntax", None, 3)]


def test_a_key_given_twice_is_refused_not_silently_overridden() -> None:
    """An event file with ``date`` twice would otherwise take the last one without a word."""
    found = parse_problems(b'{"code": "e", "date": "2022-06-05", "questions": [], "date": "2022-06-06"}')
    assert [(p.rule, p.line) for p in found] == [("json_syntax", None)]
    assert "duplicate key 'date'" in found[0].message


def test_a_float_in_an_event_file_is_refused_with_its_place() -> None:
    found = parse_problems(b'{"code": "e",\n "settings": {"quorum": 0.5}}')
    assert [(p.rule, p.line) for p in found] == [("json_syntax", 2)]


def test_not_utf8() -> None:
    found = _problems(b'{"code": "\xff"}')
    assert found == [("encoding", None, 1)]


def parse_problems(data: bytes) -> list[Problem]:
    with pytest.raises(InputError) as info:
        parse_event(data, "e.json")
    return list(info.value.problems)


def _election(contests: list[dict[str, object]]) -> bytes:

    return json.dumps(
        {
            "code": "mazhilis-2023",
            "title": "Mazhilis election",
            "date": "2023-03-19",
            "preset": "kz-mazhilis-2023",
            "questions": contests,
        }
    ).encode()


_TEXT = [{"lang": "en", "text": "Party list", "official": True}]


def test_election_contests_parse_with_their_options_and_scopes() -> None:

    ref = parse_event(
        _election(
            [
                {
                    "code": "list",
                    "kind": "party_list",
                    "seats": 69,
                    "texts": _TEXT,
                    "options": [
                        {
                            "code": "amanat",
                            "kind": "party",
                            "names": {"en": "AMANAT"},
                            "order": 1,
                            "candidates": ["A", "B"],
                        },
                        {"code": "against_all", "kind": "against_all"},
                    ],
                },
                {
                    "code": "smd-01",
                    "kind": "district",
                    "scope": "AST-E1",
                    "texts": _TEXT,
                    "options": [
                        {"code": "c1", "kind": "candidate", "names": {"en": "Candidate One"}, "party": "amanat"},
                        {"code": "c2", "kind": "candidate"},
                    ],
                },
            ]
        ),
        "e.json",
    )
    lst, smd = ref.contests
    assert lst.kind is ContestKind.PARTY_LIST
    assert lst.seats == 69
    assert lst.option_fields == ("amanat", "against_all")
    assert lst.options[0].candidates == ("A", "B")
    assert lst.options[1].kind is OptionKind.AGAINST_ALL
    assert smd.kind is ContestKind.DISTRICT
    assert smd.scope == "AST-E1"
    assert smd.seats == 1


def test_a_party_list_without_seats_takes_its_presets_default() -> None:
    """spec/contests.md §1: a list's ``seats`` comes from the event file, else from the preset version
    (69 list seats for the Mazhilis of 2023), not 1."""
    party = {"code": "amanat", "kind": "party", "names": {"en": "AMANAT"}, "order": 1}
    ref = parse_event(_election([{"code": "list", "kind": "party_list", "texts": _TEXT, "options": [party]}]), "e.json")
    (lst,) = ref.contests
    assert isinstance(lst, PartyListContest)
    assert lst.seats is None
    assert list_seats(event_rules(ref).version, lst) == 69


def test_bad_election_contests_are_refused_with_their_paths() -> None:
    with pytest.raises(InputError) as err:
        parse_event(
            _election(
                [
                    {
                        "code": "list",
                        "kind": "party_list",
                        "texts": _TEXT,
                        "options": [{"code": "registered", "kind": "party"}, {"code": "x", "kind": "candidate"}],
                    },
                    {
                        "code": "smd",
                        "kind": "district",
                        "texts": _TEXT,
                        "options": [{"code": "c1", "kind": "candidate"}],
                    },
                    {"code": "q", "texts": _TEXT, "options": [{"code": "c1", "kind": "candidate"}]},
                ]
            ),
            "e.json",
        )
    fields = {p.field for p in err.value.problems}
    assert "questions[0].options" in fields  # a candidate in a party list
    assert "questions[0].options[0].code" in fields  # an option named like a ballot field
    assert "questions[1].scope" in fields  # a district without its unit
    assert "questions[2].options" in fields  # a question with options


# --- each kind is its own type, with only its own fields (spec/contests.md §1) -----------------------

_PARTY_LIST = {
    "code": "list",
    "kind": "party_list",
    "seats": 69,
    "texts": _TEXT,
    "options": [{"code": "amanat", "kind": "party", "order": 1}, {"code": "against_all", "kind": "against_all"}],
}
_DISTRICT = {
    "code": "smd-01",
    "kind": "district",
    "scope": "AST-E1",
    "texts": _TEXT,
    "options": [{"code": "c1", "kind": "candidate"}, {"code": "c2", "kind": "candidate"}],
}
_QUESTION = {"code": "recall", "scope": "AST-E1", "texts": _TEXT}


def test_each_contest_kind_parses_to_its_own_type() -> None:

    question, lst, smd = parse_event(_election([_QUESTION, _PARTY_LIST, _DISTRICT]), "e.json").contests
    assert isinstance(question, QuestionContest)
    assert (question.code, question.scope, question.option_fields) == ("recall", "AST-E1", ())
    assert not hasattr(question, "options")  # a question has neither options nor seats
    assert not hasattr(question, "seats")
    assert isinstance(lst, PartyListContest)
    assert (lst.seats, lst.scope, lst.option_fields) == (69, None, ("amanat", "against_all"))
    assert isinstance(smd, DistrictContest)
    assert (smd.scope, smd.seats, smd.option_fields) == ("AST-E1", 1, ("c1", "c2"))

    def kind_of(contest: Contest) -> str:  # what every consumer does: exhaustive dispatch by type
        match contest:
            case QuestionContest():
                return "question"
            case PartyListContest():
                return "party_list"
            case DistrictContest():
                return "district"
            case _:
                assert_never(contest)

    assert [kind_of(c) for c in (question, lst, smd)] == [str(c.kind) for c in (question, lst, smd)]


def _refused(contests: list[dict[str, object]]) -> set[tuple[str, str | None, str]]:
    with pytest.raises(InputError) as info:
        parse_event(_election(contests), "e.json")
    return {(p.rule, p.field, p.file or "") for p in info.value.problems}


@pytest.mark.parametrize(
    ("contest", "problem"),
    [
        ({**_QUESTION, "seats": 2}, ("question_options", "questions[0].seats")),
        ({**_QUESTION, "options": _DISTRICT["options"]}, ("question_options", "questions[0].options")),
        ({**_DISTRICT, "seats": 2}, ("district", "questions[0].seats")),
        ({k: v for k, v in _DISTRICT.items() if k != "scope"}, ("district", "questions[0].scope")),
        ({**_PARTY_LIST, "options": _DISTRICT["options"]}, ("contest_options", "questions[0].options")),
        ({**_DISTRICT, "options": _PARTY_LIST["options"]}, ("contest_options", "questions[0].options")),
        ({**_QUESTION, "kind": "referendum"}, ("literal_error", "questions[0].kind")),
    ],
)
def test_a_field_of_another_kind_is_refused_with_its_path(contest: dict[str, object], problem: tuple[str, str]) -> None:
    assert _refused([contest]) == {(*problem, "e.json")}


def test_a_district_with_two_seats_and_no_scope_gets_both_problems() -> None:
    bad = {k: v for k, v in _DISTRICT.items() if k != "scope"} | {"seats": 3}
    assert _refused([bad]) == {
        ("district", "questions[0].scope", "e.json"),
        ("district", "questions[0].seats", "e.json"),
    }
