"""One canonical encoder (model.canonical): its bytes are those every stored hash and golden file was made
with, the inline ``json.dumps`` of record.encoding.canon, store.canonical.canonical_json, crypto.codec.dumps
and publish.static_site.results_digest before they became one (spec/record.md §2)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.model.canonical import CanonicalProfile, NotCanonical, canonical_json
from saylau.record.encoding import canon
from saylau.record.errors import RecordError
from saylau.store.canonical import canonical_json as stored_json


def _before(value: object) -> str:
    """The encoders as they were (record, store and crypto used exactly this call)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _digest_before(doc: object) -> str:
    """publish.static_site.results_digest as it was (no allow_nan=False: it only matters for floats)."""
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# every character but lone surrogates (no UTF-8 encoding): control characters, quotes, backslashes, astral
_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
_ints = st.integers(-(2**70), 2**70)


def _values(scalars: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.lists(inner, max_size=3).map(tuple)
            | st.dictionaries(_text, inner, max_size=4)
        ),
        max_leaves=25,
    )


record_values = _values(_ints | _text)
report_values = _values(_ints | _text | st.booleans() | st.none())


@settings(max_examples=300, deadline=None)
@given(record_values)
def test_the_record_profile_writes_the_bytes_it_always_wrote(value: Any) -> None:
    assert canonical_json(value) == _before(value)
    assert canon(value) == _before(value)
    assert canonical_json(value, CanonicalProfile.REPORT) == _before(value)


@settings(max_examples=300, deadline=None)
@given(report_values)
def test_the_report_profile_writes_the_bytes_stores_and_digests_always_wrote(value: Any) -> None:
    assert stored_json(value) == _before(value)
    assert hashlib.sha256(stored_json(value).encode("utf-8")).hexdigest() == _digest_before(value)


def _has_bool_or_null(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, dict):
        return any(_has_bool_or_null(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_bool_or_null(v) for v in value)
    return False


@settings(max_examples=200, deadline=None)
@given(report_values.filter(_has_bool_or_null))
def test_the_record_profile_refuses_booleans_and_null_anywhere(value: Any) -> None:
    with pytest.raises(NotCanonical):
        canonical_json(value)
    with pytest.raises(RecordError) as refused:
        canon(value)
    assert refused.value.code == "record_json_type"


@pytest.mark.parametrize("profile", list(CanonicalProfile))
@pytest.mark.parametrize(
    ("value", "path"),
    [
        (1.5, "$"),
        ({"a": [1, {"b": 0.0}]}, "$.a[1].b"),
        ([float("nan")], "$[0]"),
        ({1: "a"}, "$"),
        ({"a": object()}, "$.a"),
        ({"a": b"bytes"}, "$.a"),
    ],
)
def test_both_profiles_refuse_floats_and_what_is_not_json_naming_the_path(
    value: object, path: str, profile: CanonicalProfile
) -> None:
    with pytest.raises(NotCanonical) as refused:
        canonical_json(value, profile)
    assert refused.value.details["path"] == path
    assert refused.value.code == "canonical_json_type"


def test_the_report_profile_allows_booleans_and_null() -> None:
    assert stored_json({"b": [True, None], "a": False}) == '{"a":false,"b":[true,null]}'
    with pytest.raises(RecordError):
        canon({"b": [True, None], "a": False})
