"""Loading presets: shipped names, user files (TOML and JSON), closed schema, settings, protocol."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from saylau.model import InputError, NotFound, ProtocolSchema, QuestionCode, Tally, UnitRow
from saylau.rules import decide, list_presets, load_preset, parse_preset_text

FIXTURES = Path(__file__).parents[1] / "fixtures" / "rules"

GOOD = b"""
name = "x"
title = "X"
description = "d"
[[versions]]
id = "v1"
valid_from = 2020-01-01
[[versions.sources]]
cite = "Art. 1"
[[versions.approval]]
id = "m"
label = "Yes"
num = "yes"
den = "valid"
op = ">"
threshold = "1/2"
source = "Art. 1"
"""


def test_unknown_name_lists_the_known_names() -> None:
    with pytest.raises(NotFound) as info:
        load_preset("nope")
    assert "kz-constitutional" in info.value.message
    assert info.value.code == "unknown_preset"


def test_user_toml_and_json_presets() -> None:
    toml = load_preset(str(FIXTURES / "user-preset.toml"))
    version = toml.version_on(dt.date(2024, 1, 1))
    rows = [UnitRow("a", Tally(100, 40, 25, 13, 0, 2))]
    out = decide(version, {}, QuestionCode("q"), rows[0].tally, rows)
    assert out.valid
    assert not out.adopted
    assert out.preset == "example-supermajority"
    json_preset = load_preset(str(FIXTURES / "user-preset.json"))
    schema = json_preset.versions[0].protocol_schema({})
    assert [f.name for f in schema.fields] == ["registered", "participated", "yes", "no", "invalid"]
    assert json_preset.versions[0].valid_to == dt.date(2030, 12, 31)


def test_bad_file_names_file_and_key_path() -> None:
    bad = GOOD.replace(b'op = ">"', b'op = "<"').replace(b'title = "X"', b'title = "X"\ncolour = "red"')
    bad = bad.replace(b'threshold = "1/2"', b"threshold = 0.5")
    with pytest.raises(InputError) as info:
        parse_preset_text(bad, "mine.toml")
    fields = {(p.file, p.field, p.rule) for p in info.value.problems}
    assert ("mine.toml", "colour", "unknown_key") in fields
    assert ("mine.toml", "versions[0].approval[0].op", "choice") in fields
    assert ("mine.toml", "versions[0].approval[0].threshold", "fraction") in fields


def test_missing_keys_and_bad_setting_references() -> None:
    bad = GOOD.replace(b'den = "valid"', b'den = { setting = "ghost" }').replace(b'cite = "Art. 1"', b"")
    with pytest.raises(InputError) as info:
        parse_preset_text(bad, "m.toml")
    fields = {p.field for p in info.value.problems}
    assert "versions[0].approval[0].den.setting" in fields
    assert "versions[0].sources[0].cite" in fields


def test_overlapping_versions_are_refused() -> None:
    doc = GOOD + GOOD[GOOD.index(b"[[versions]]") :].replace(b'id = "v1"', b'id = "v2"')
    with pytest.raises(InputError, match="overlaps"):
        parse_preset_text(doc, "m.toml")


def test_syntax_errors() -> None:
    with pytest.raises(InputError, match="invalid TOML"):
        parse_preset_text(b"name = ", "m.toml")
    with pytest.raises(InputError, match="invalid JSON"):
        parse_preset_text(b"{", "m.json", ".json")


def test_resolve_settings() -> None:
    version = load_preset("kz-constitutional").version_on(dt.date(2022, 6, 5))
    settings = version.resolve_settings({"unit_quota_rounding": "floor"})
    assert dict(settings) == {
        "unit_quota_rounding": "floor",
        "unit_turnout_condition": "off",
        "received_balance": "exact",
    }
    with pytest.raises(InputError) as info:
        version.resolve_settings({"unit_quota_rounding": "round", "colour": "red"})
    text = str(info.value)
    assert "allowed: ceil, floor" in text
    assert "unknown setting 'colour'" in text
    assert {p.field for p in info.value.problems} == {"unit_quota_rounding", "colour"}


@pytest.mark.parametrize(
    ("balance", "relation"),
    [("exact", "received == issued + cancelled"), ("allow-spoiled", "received >= issued + cancelled"), ("off", None)],
)
def test_protocol_schema_follows_received_balance(balance: str, relation: str | None) -> None:
    version = load_preset("kz-constitutional").version_on(None)
    schema = version.protocol_schema({"received_balance": balance})
    assert isinstance(schema, ProtocolSchema)
    described = [r.describe() for r in schema.relations]
    assert "participated == yes + no + not_counted + invalid" in described
    assert "participated <= issued" in described
    assert "participated <= registered" in described
    balances = [d for d in described if d.startswith("received")]
    assert balances == ([relation] if relation else [])
    assert all(r.source for r in schema.relations)
    labels = {f.name: f.labels for f in schema.fields}
    assert all(set(labels[n]) == {"kk", "ru", "en"} for n in labels)


def test_every_preset_shares_the_standard_protocol() -> None:

    for preset in list_presets():
        for version in preset.versions:
            assert version.protocol.name == "standard"
