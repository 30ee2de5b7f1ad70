"""Election presets and the pure election outcomes (spec/contests.md §2, §4)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.cli.main import app
from saylau.model.errors import InputError, NotFound
from saylau.model.ids import QuestionCode, UnitCode
from saylau.model.referendum import ContestKind, DistrictContest, Option, OptionKind, PartyListContest, QuestionContest
from saylau.rules import (
    ContestMismatch,
    decide_district,
    decide_party_list,
    list_presets,
    load_preset,
    parse_preset_text,
    seat_rules,
)
from saylau.rules.types import PresetVersion
from saylau.seats import Method, TieUnresolved

SEATS = Path(__file__).parents[1] / "fixtures" / "seats"
CODES = {
    "AMANAT": "amanat", "Auyl": "auyl", "Respublica": "respublica", "People's Party of Kazakhstan": "ppk",
    "Baytaq": "baytaq", "Ak Zhol": "ak_zhol", "Nationwide Social Democratic Party": "osdp",
}  # fmt: skip


def version(name: str, day: str | None = None) -> PresetVersion:
    return load_preset(name).version_on(dt.date.fromisoformat(day) if day else None)


def party(code: str, order: int, n: int = 100) -> Option:
    return Option(code, OptionKind.PARTY, {"en": code}, order=order, candidates=tuple(f"{code}-{i}" for i in range(n)))


def party_list(options: tuple[Option, ...], seats: int | None = None) -> PartyListContest:
    """A party-list contest; ``seats`` None: the preset version's default."""
    return PartyListContest(QuestionCode("list"), (), options, seats)


def fixture(name: str) -> tuple[PartyListContest, dict[str, int]]:
    """A party-list contest from a seats fixture; registration order = row order, AGAINST ALL kept."""
    with (SEATS / name).open(encoding="utf-8") as f:
        rows = [(r["party"], int(r["votes"])) for r in csv.DictReader(f)]
    options, totals = [], {}
    for i, (name_, votes) in enumerate(rows):
        if name_ == "AGAINST ALL":
            options.append(Option("against_all", OptionKind.AGAINST_ALL, {"en": "Against all"}))
            totals["against_all"] = votes
        else:
            code = CODES.get(name_, name_.lower().replace(" ", "_").replace("'", ""))
            ranked = tuple(f"{code}-{k}" for k in range(120))
            options.append(Option(code, OptionKind.PARTY, {"en": name_}, order=i + 1, candidates=ranked))
            totals[code] = votes
    return party_list(tuple(options)), totals


def district(*options: Option) -> DistrictContest:
    return DistrictContest(QuestionCode("d1"), (), UnitCode("D1"), options)


def cand(code: str, order: int | None = None) -> Option:
    return Option(code, OptionKind.CANDIDATE, {"en": code.title()}, order=order)


AGAINST = Option("against_all", OptionKind.AGAINST_ALL, {"en": "Against all"})


# --- presets ---------------------------------------------------------------------------------------


def test_election_presets_load_with_sources_and_sections() -> None:
    presets = {p.name: p for p in list_presets("election")}
    assert set(presets) == {"kz-mazhilis-2023", "kz-mazhilis-2021", "kz-kurultai-2026", "kz-maslikhat-oblast"}
    assert {p.name for p in list_presets()} == {p.name for p in list_presets("referendum")}
    assert len(list_presets(None)) == len(list_presets()) + 4
    assert load_preset("kz-recall").kind == "referendum"
    for p in presets.values():
        assert p.kind == "election"
        assert p.description
        for v in p.versions:
            assert v.kind == "election"
            assert v.sources
            assert not v.validity
            assert not v.approval
            assert v.protocol.name == "election"
            assert v.party_list is not None
            assert all(s.default in s.allowed and s.why for s in v.settings)
    m23 = presets["kz-mazhilis-2023"].versions[0]
    assert m23.party_list is not None
    assert m23.party_list.seats == 69
    assert m23.party_list.threshold == Fraction(1, 20)
    assert m23.district is not None
    assert presets["kz-mazhilis-2021"].versions[0].district is None
    assert presets["kz-maslikhat-oblast"].versions[0].party_list.seats is None  # type: ignore[union-attr]
    for name in ("district_against_all_wins", "district_tie"):
        assert "[UNCERTAIN]" in m23.setting(name).why
    assert "Art. 9(2)" in m23.district.source


@pytest.mark.parametrize(
    ("name", "inside", "outside"),
    [
        ("kz-mazhilis-2021", "2021-01-10", "2023-03-19"),
        ("kz-mazhilis-2023", "2023-03-19", "2022-12-31"),
        ("kz-mazhilis-2023", "2026-07-01", "2026-07-02"),
        ("kz-kurultai-2026", "2026-07-02", "2026-07-01"),
    ],
)
def test_date_ranges_pick_the_right_law(name: str, inside: str, outside: str) -> None:
    assert version(name, inside).preset == name
    with pytest.raises(NotFound) as info:
        version(name, outside)
    assert info.value.code == "no_version_on_date"


def test_seat_rules_and_kurultai_settings() -> None:
    rules = seat_rules(version("kz-mazhilis-2023"), {})
    assert (rules.method, rules.threshold and rules.threshold.share, rules.tie_break) == (
        Method.HARE, Fraction(1, 20), "order")  # fmt: skip
    kurultai = version("kz-kurultai-2026")
    default = seat_rules(kurultai, {})
    assert default.method is Method.HARE
    assert default.threshold is not None
    assert default.threshold.share == Fraction(1, 20)
    assert default.threshold.base == "all"
    other = seat_rules(kurultai, {"threshold": "7%", "method": "dhondt"})
    assert other.method is Method.DHONDT
    assert other.threshold
    assert other.threshold.share == Fraction(7, 100)
    with pytest.raises(InputError):
        seat_rules(kurultai, {"threshold": "4.2%"})


# --- party lists -----------------------------------------------------------------------------------


def test_official_2023_list_result() -> None:
    contest, totals = fixture("kz-mazhilis-2023.csv")
    totals["invalid"] = 123  # ballot fields in the totals are ignored
    out = decide_party_list(version("kz-mazhilis-2023", "2023-03-19"), {}, contest, totals)
    assert out.seats == {
        "amanat": 40, "auyl": 8, "respublica": 6, "ppk": 5, "baytaq": 0, "ak_zhol": 6, "osdp": 4, "against_all": 0,
    }  # fmt: skip
    assert list(out.seats) == [o.code for o in contest.options]
    assert "baytaq" not in out.qualified
    assert "against_all" not in out.qualified
    assert out.quota == Fraction(3431510 + 693938 + 547154 + 432920 + 535139 + 331058, 69)
    assert out.elected["amanat"] == tuple(f"amanat-{k}" for k in range(40))
    assert out.elected["baytaq"] == ()
    assert out.vacant == {}
    assert (out.preset, out.preset_version) == ("kz-mazhilis-2023", "2023")
    assert out.explanation[0] == (
        "69 seats by Hare quota and largest remainders among the parties with at least 5% of the votes "
        "for parties and against all (Election Law Art. 97-1 / kazakhstan.md §3.1)"
    )
    assert "Baytaq 2.30%" in out.explanation[1]  # 146,431 / 6,366,441 (against all in the base)


def test_official_2021_list_result() -> None:
    contest, totals = fixture("kz-mazhilis-2021.csv")
    out = decide_party_list(version("kz-mazhilis-2021", "2021-01-10"), {}, contest, totals)
    assert {k: v for k, v in out.seats.items() if v} == {"nur_otan": 76, "ak_zhol": 12, "ppk": 10}
    assert "at least 7%" in out.explanation[0]


def test_short_list_leaves_seats_vacant() -> None:
    contest = party_list((party("a", 1, n=3), party("b", 2), AGAINST), seats=10)
    out = decide_party_list(version("kz-maslikhat-oblast"), {}, contest, {"a": 600, "b": 400, "against_all": 10})
    assert out.seats == {"a": 6, "b": 4, "against_all": 0}
    assert out.elected["a"] == ("a-0", "a-1", "a-2")
    assert out.vacant == {"a": 3}
    assert any("3 of its 6 seats vacant" in line for line in out.explanation)


def test_contest_seats_required_without_a_default() -> None:
    contest = party_list((party("a", 1), party("b", 2)))
    with pytest.raises(ContestMismatch) as info:
        decide_party_list(version("kz-maslikhat-oblast"), {}, contest, {"a": 1, "b": 1})
    assert info.value.code == "no_seats"


def test_remainder_tie_goes_to_the_earlier_list() -> None:
    contest = party_list((party("late", 2), party("early", 1)), seats=3)
    out = decide_party_list(version("kz-maslikhat-oblast"), {}, contest, {"late": 50, "early": 50})
    assert out.seats == {"late": 1, "early": 2}
    assert any("registration order" in line for line in out.explanation)


def test_missing_totals_and_wrong_options_are_reported() -> None:
    contest = party_list((party("a", 1), party("b", 2)), seats=5)
    with pytest.raises(InputError) as info:
        decide_party_list(version("kz-mazhilis-2023"), {}, contest, {"a": 1})
    assert [p.field for p in info.value.problems] == ["b"]
    bad = party_list((party("a", 1), cand("x")), seats=5)
    with pytest.raises(InputError):
        decide_party_list(version("kz-mazhilis-2023"), {}, bad, {"a": 1, "x": 2})


# --- districts -------------------------------------------------------------------------------------


def test_district_clear_winner() -> None:
    contest = district(cand("ana", 1), cand("bek", 2), AGAINST)
    out = decide_district(version("kz-mazhilis-2023"), {}, contest, {"ana": 500, "bek": 300, "against_all": 100})
    assert out.winner == "ana"
    assert out.votes == {"ana": 500, "bek": 300, "against_all": 100}
    assert "Art. 9(2)" in out.explanation[0]
    assert out.explanation[1] == "Ana is elected with 500 votes; next: Bek with 300"


@pytest.mark.parametrize(("setting", "winner"), [("no_winner", None), ("best_candidate", "ana")])
@pytest.mark.parametrize("against_votes", [600, 500])  # first, or tied with the best candidate
def test_district_against_all_first(setting: str, winner: str | None, against_votes: int) -> None:
    contest = district(cand("ana", 1), cand("bek", 2), AGAINST)
    totals = {"ana": 500, "bek": 300, "against_all": against_votes}
    out = decide_district(version("kz-mazhilis-2023"), {"district_against_all_wins": setting}, contest, totals)
    assert out.winner == winner
    assert any(f"setting district_against_all_wins = {setting}" in line for line in out.explanation)


def test_district_against_all_default_is_no_winner() -> None:
    contest = district(cand("ana", 1), AGAINST)
    out = decide_district(version("kz-mazhilis-2023"), {}, contest, {"ana": 1, "against_all": 2})
    assert out.winner is None
    assert "repeat election" in out.explanation[-1]


@pytest.mark.parametrize(("tie", "winner"), [("repeat", None), ("order", "bek")])
def test_district_tie(tie: str, winner: str | None) -> None:
    contest = district(cand("ana", 2), cand("bek", 1), cand("cem", 3), AGAINST)
    totals = {"ana": 400, "bek": 400, "cem": 100, "against_all": 50}
    out = decide_district(version("kz-mazhilis-2023"), {"district_tie": tie}, contest, totals)
    assert out.winner == winner
    assert any(f"setting district_tie = {tie}" in line for line in out.explanation)


def test_district_tie_by_lot_needs_a_seed_and_is_reproducible() -> None:
    contest = district(cand("ana"), cand("bek"))
    totals = {"ana": 7, "bek": 7}
    v = version("kz-mazhilis-2023")
    with pytest.raises(TieUnresolved):
        decide_district(v, {"district_tie": "lot"}, contest, totals)
    first = decide_district(v, {"district_tie": "lot"}, contest, totals, seed="public-seed")
    again = decide_district(v, {"district_tie": "lot"}, contest, totals, seed="public-seed")
    assert first.winner in {"ana", "bek"}
    assert first == again
    assert any("lot with seed 'public-seed'" in line for line in first.explanation)
    with pytest.raises(TieUnresolved):  # order needs registration orders
        decide_district(v, {"district_tie": "order"}, contest, totals)


def test_district_refuses_parties() -> None:
    with pytest.raises(InputError):
        decide_district(version("kz-mazhilis-2023"), {}, district(cand("a"), party("p", 1)), {"a": 1, "p": 1})


# --- kinds and protocol schemas --------------------------------------------------------------------


def test_mismatched_preset_and_contest_kinds() -> None:
    question = QuestionContest(QuestionCode("q1"), ())
    lists = party_list((party("a", 1), AGAINST), seats=3)
    referendum = version("kz-constitutional")
    mazhilis = version("kz-mazhilis-2023")
    for call in (
        lambda: referendum.protocol_schema({}, lists),
        lambda: mazhilis.protocol_schema({}, question),
        lambda: mazhilis.protocol_schema({}),
        lambda: decide_party_list(referendum, {}, lists, {"a": 1, "against_all": 0}),
        lambda: decide_party_list(mazhilis, {}, district(cand("x")), {"x": 1}),
        lambda: decide_district(mazhilis, {}, lists, {"a": 1, "against_all": 0}),
        lambda: decide_district(version("kz-kurultai-2026"), {}, district(cand("x")), {"x": 1}),
    ):
        with pytest.raises(ContestMismatch) as info:
            call()
        assert info.value.code == "contest_kind_mismatch"


def test_question_schema_unchanged() -> None:
    v = version("kz-constitutional")
    question = QuestionContest(QuestionCode("q1"), ())
    assert v.protocol_schema({}, question) == v.protocol_schema({})
    assert "yes" in v.protocol_schema({}).field_names


@pytest.mark.parametrize("kind", [ContestKind.PARTY_LIST, ContestKind.DISTRICT])
@pytest.mark.parametrize(("balance", "relation"), [("exact", "received == issued + cancelled"), ("off", None)])
def test_election_schema_expands_options(kind: ContestKind, balance: str, relation: str | None) -> None:
    options = (
        (party("a", 1), party("b", 2), AGAINST) if kind is ContestKind.PARTY_LIST else (cand("a"), cand("b"), AGAINST)
    )
    contest: PartyListContest | DistrictContest = (
        PartyListContest(QuestionCode("c"), (), options, 1)
        if kind is ContestKind.PARTY_LIST
        else DistrictContest(QuestionCode("c"), (), UnitCode("D1"), options)
    )
    schema = version("kz-mazhilis-2023").protocol_schema({"received_balance": balance}, contest)
    assert schema.field_names == (
        "registered", "received", "issued", "cancelled", "participated", "invalid", "a", "b", "against_all",
    )  # fmt: skip
    described = [r.describe() for r in schema.relations]
    assert described[:3] == [
        "participated == a + b + against_all + invalid",
        "participated <= issued",
        "participated <= registered",
    ]
    assert [d for d in described if d.startswith("received")] == ([relation] if relation else [])
    fields = {f.name: f.labels for f in schema.fields}
    assert set(fields["registered"]) == {"kk", "ru", "en"}
    assert fields["a"] == dict(options[0].names)
    assert schema.relations[0].holds({"participated": 10, "a": 5, "b": 3, "against_all": 1, "invalid": 1})


def test_option_code_clashing_with_a_ballot_field_is_refused() -> None:
    contest = party_list((party("invalid", 1),), seats=1)
    with pytest.raises(ContestMismatch) as info:
        version("kz-mazhilis-2023").protocol_schema({}, contest)
    assert info.value.code == "option_fields"


# --- the parser ------------------------------------------------------------------------------------

ELECTION = b"""
name = "mine"
title = "t"
kind = "election"
description = "d"
[[versions]]
id = "1"
valid_from = 2020-01-01
[[versions.sources]]
cite = "c"
[[versions.settings]]
name = "cut"
description = "d"
allowed = ["5%", "1/10"]
default = "5%"
why = "w"
[versions.party_list]
seats = 10
method = "dhondt"
threshold = { setting = "cut" }
threshold_base = "parties"
source = "s"
"""


def test_parse_a_user_election_preset() -> None:
    preset = parse_preset_text(ELECTION, "mine.toml")
    v = preset.version_on(None)
    assert preset.kind == "election"
    assert v.protocol.name == "election"
    rules = seat_rules(v, {"cut": "1/10"})
    assert rules.method is Method.DHONDT
    assert rules.threshold is not None
    assert (rules.threshold.share, rules.threshold.base) == (Fraction(1, 10), "parties")


@pytest.mark.parametrize(
    ("old", "new", "field", "rule"),
    [
        (b'method = "dhondt"', b'method = "borda"', "versions[0].party_list.method", "choice"),
        (b'allowed = ["5%", "1/10"]', b'allowed = ["5%", "0.1"]', "versions[0].party_list.threshold.setting",
         "setting_values"),
        (b"seats = 10", b"seats = 0", "versions[0].party_list.seats", "seats"),
        (b'source = "s"', b'source = "s"\nextra = 1', "versions[0].party_list.extra", "unknown_key"),
        (b'kind = "election"', b'kind = "referendum"', "versions[0].party_list", "election_only"),
        (b'[[versions.sources]]', b'protocol = "standard"\n[[versions.sources]]', "versions[0].protocol",
         "protocol_kind"),
    ],
)  # fmt: skip
def test_election_parse_errors_name_the_key(old: bytes, new: bytes, field: str, rule: str) -> None:
    with pytest.raises(InputError) as info:
        parse_preset_text(ELECTION.replace(old, new), "mine.toml")
    assert (field, rule) in {(p.field, p.rule) for p in info.value.problems}


def test_election_version_refuses_approval_conditions() -> None:
    approval = b'id = "x"\nlabel = "x"\nnum = "yes"\nden = "participants"\nop = ">"\nthreshold = "1/2"\nsource = "s"\n'
    text = ELECTION + b"[[versions.approval]]\n" + approval
    with pytest.raises(InputError) as info:
        parse_preset_text(text, "mine.toml")
    assert ("versions[0].approval", "election_conditions") in {(p.field, p.rule) for p in info.value.problems}


# --- the CLI ---------------------------------------------------------------------------------------


def test_cli_presets_show_mazhilis_json() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["presets", "show", "kz-mazhilis-2023", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["kind"] == "election"
    v = data["versions"][0]
    assert (v["valid_from"], v["valid_to"]) == ("2023-01-01", "2026-07-01")
    assert v["party_list"] == {
        "seats": 69, "method": "hare", "threshold": "1/20", "threshold_base": "all", "threshold_strict": False,
        "tie_break": "order", "quota_overflow": "take_back", "droop_exact": False, "first_divisor": "7/5",
        "source": "Election Law Art. 97-1 / kazakhstan.md §3.1",
    }  # fmt: skip
    assert v["district"]["against_all_wins"] == "setting district_against_all_wins"
    assert v["protocol"]["kind"] == "election"
    assert v["approval"] == []
    assert v["approval_mode"] is None
    assert any(r["relation"] == "participated == @options + invalid" for r in v["protocol"]["relations"])
    listed = runner.invoke(app, ["presets", "--kind", "election", "--json"])
    assert [p["name"] for p in json.loads(listed.output)] == sorted(
        ["kz-kurultai-2026", "kz-maslikhat-oblast", "kz-mazhilis-2021", "kz-mazhilis-2023"]
    )
    assert len(json.loads(runner.invoke(app, ["presets", "--kind", "all", "--json"]).output)) == 20
    assert runner.invoke(app, ["presets", "--kind", "nope"]).exit_code == 2
    shown = runner.invoke(app, ["presets", "show", "kz-kurultai-2026"])
    assert shown.exit_code == 0
    assert "setting threshold" in shown.output
