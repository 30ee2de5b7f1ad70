"""The one strict JSON reader (model.strict.strict_json, entered through io.strict_json) and the file envelope
shared by the secret and exchange files (spec/record.md §2, §8, §8.1; spec/crypto.md §10.1)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.io.exchange_files import EXCHANGE_FILES, ExchangeFileError
from saylau.io.secret_files import SECRET_FILES, SecretFileError
from saylau.io.strict_json import Envelope, JsonRefused, strict_json, strict_json_bytes
from saylau.model.strict import MAX_DIGITS, MAX_JSON_DEPTH

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**17), 10**17) | st.text(st.characters(exclude_categories=("Cs",))),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=30,
)


def _refused(text: str) -> JsonRefused:
    with pytest.raises(JsonRefused) as info:
        strict_json(text)
    return info.value


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_strict_json_reads_what_json_reads_when_it_has_no_float_and_no_key_twice(value: Any) -> None:
    text = json.dumps(value)
    assert strict_json(text) == json.loads(text)
    assert strict_json_bytes(json.dumps(value, ensure_ascii=False).encode("utf-8")) == value


def _objects(value: Any, path: str = "$") -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(value, dict):
        found.append((path, value))
        for k, v in value.items():
            found.extend(_objects(v, f"{path}.{k}"))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found.extend(_objects(v, f"{path}[{i}]"))
    return found


@settings(max_examples=200, deadline=None)
@given(json_values.filter(lambda v: bool(_objects(v))), st.data())
def test_a_key_twice_is_refused_at_any_depth_naming_the_object(value: Any, data: st.DataObject) -> None:
    """Write one object of the document with a key repeated (the JSON text, not the value: json.dumps
    cannot write a key twice), anywhere: strict_json refuses it and names that object's path."""
    objects = _objects(value)
    path, target = data.draw(st.sampled_from(objects))
    marker = "\u2063dup\u2063"
    target[marker] = 0  # a key nothing else uses; then its text is written twice
    text = json.dumps(value, ensure_ascii=False)
    entry = json.dumps(marker, ensure_ascii=False) + ": 0"
    assert text.count(entry) == 1
    text = text.replace(entry, entry + ", " + entry)
    assert json.loads(text) == value  # plain json keeps the last value without a word
    refused = _refused(text)
    assert refused.code == "json_duplicate"
    assert refused.details == {"path": path, "key": marker}


def test_duplicates_at_depth_and_the_first_one_closed_is_named() -> None:
    assert _refused('{"a": 1, "a": 1}').details == {"path": "$", "key": "a"}
    assert _refused('[0, {"b": [{"x": 1, "x": 2}]}]').details == {"path": "$[1].b[0]", "key": "x"}
    assert _refused('{"a": {"b": 1, "b": 2}, "a": 3}').details == {"path": "$.a", "key": "b"}
    assert _refused('{"a": 1, "a": 2, "b": [}').code == "json_syntax"  # invalid anyway: the syntax is named


@pytest.mark.parametrize(
    ("text", "code", "column"),
    [
        ("[1.5]", "json_float", 2),
        ('{"n": 0, "s": "1.5", "f": -1e5}', "json_float", 27),
        ("[1E400]", "json_float", 2),
        ("[0.0]", "json_float", 2),
        ("[NaN]", "json_constant", 2),
        ('{"a": Infinity}', "json_constant", 7),
        ("[1, -Infinity]", "json_constant", 5),
        ("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), "json_depth", MAX_JSON_DEPTH + 1),
        ("[" + "9" * (MAX_DIGITS + 1) + "]", "json_digits", 2),
        ('["\\ud800"]', "json_surrogate", 3),
        ('{"\\udfff": 1}', "json_surrogate", 3),
        ("[1,]", "json_syntax", 4),
        ("", "json_syntax", 1),
        ('\ufeff{"a": 1}', "json_syntax", 1),
    ],
)
def test_each_refusal_has_its_code_and_place(text: str, code: str, column: int) -> None:
    refused = _refused(text)
    assert refused.code == code
    assert refused.details["line"] == 1
    assert refused.details["column"] == column


def test_the_place_counts_lines() -> None:
    refused = _refused('{\n  "a": 1,\n  "b": 2.5\n}')
    assert (refused.code, refused.details["line"], refused.details["column"]) == ("json_float", 3, 8)


def test_what_is_in_bounds_and_pairs_of_surrogates_are_read() -> None:
    assert strict_json("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH) is not None
    assert strict_json('"\\ud83d\\ude00"') == "\U0001f600"
    assert strict_json("[" + "9" * MAX_DIGITS + ", -0, 0]") == [10**MAX_DIGITS - 1, 0, 0]
    assert strict_json('{"a": {"a": {"a": 1}}}') == {"a": {"a": {"a": 1}}}  # one key per object, not per file


def test_bytes_must_be_utf8() -> None:
    with pytest.raises(JsonRefused) as info:
        strict_json_bytes(b'{"a": "\xff"}')
    assert (info.value.code, info.value.details["pos"]) == ("json_utf8", 7)


# --- the envelope ------------------------------------------------------------------------------------------

FP = "ab" * 32


@pytest.mark.parametrize(("envelope", "error"), [(SECRET_FILES, SecretFileError), (EXCHANGE_FILES, ExchangeFileError)])
def test_the_envelope_refuses_format_purpose_election_keys_and_strictness(
    envelope: Envelope, error: type[Exception]
) -> None:
    purpose, keys = next(iter(envelope.bodies.items()))
    body = dict.fromkeys(keys, "x")
    good = envelope.encode(purpose, "e1", FP, body)
    assert good.endswith(b"}\n")
    envelope_keys = {"format": envelope.format, "purpose": purpose, "election": "e1", "fingerprint": FP}
    assert json.loads(good) == envelope_keys | body
    assert envelope.decode(good, "f.json", purpose, FP) == json.loads(good)
    other_purpose = next(p for p in envelope.bodies if p != purpose)
    doc = json.loads(good)
    cases: list[tuple[bytes, str]] = [
        (b"not json", "syntax"),
        (good[:-2] + b',"election":"e1"}\n', "syntax"),  # a key twice
        (good[:-2] + b',"n":1.0}\n', "syntax"),
        (b"[1]", "format"),
        (json.dumps(doc | {"format": "saylau-other-v1"}).encode(), "format"),
        (envelope.encode(other_purpose, "e1", FP, dict.fromkeys(envelope.bodies[other_purpose], "x")), "purpose"),
        (json.dumps(doc | {"fingerprint": "cd" * 32}).encode(), "other_election"),
        (json.dumps(doc | {"extra": 1}).encode(), "shape"),
        (json.dumps({k: v for k, v in doc.items() if k not in keys}).encode(), "shape"),
    ]
    for data, suffix in cases:
        with pytest.raises(error) as info:
            envelope.decode(data, "f.json", purpose, FP)
        assert getattr(info.value, "code", None) == getattr(envelope.codes, suffix), data


def test_a_syntax_refusal_never_quotes_the_file() -> None:
    secret = "5" * 64
    data = SECRET_FILES.encode("voter-credential", "e1", FP, {"credential": secret})
    tampered = data.replace(b'"' + secret.encode() + b'"', secret.encode() + b".5")
    with pytest.raises(SecretFileError) as info:
        SECRET_FILES.decode(tampered, "voter.json", "voter-credential", FP)
    assert info.value.code == "secret_file_syntax"
    assert secret not in info.value.message
    assert "json_float at line 1 column" in info.value.message
