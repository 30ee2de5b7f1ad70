"""The canonical encoder's fast path (issue 17 item 4) accepts only what the full check accepts."""

from __future__ import annotations

import enum
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saylau.model.canonical import CanonicalProfile, NotCanonical, _check, _plain, canonical_json


class _Kind(enum.IntEnum):  # an int subclass: not plain, the full check decides
    ONE = 1


_scalars = st.one_of(
    st.integers(-(2**70), 2**70),
    st.text(max_size=6),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=True),
    st.just(_Kind.ONE),
    st.just(b"bytes"),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.one_of(st.text(max_size=4), st.integers(0, 3)), inner, max_size=4),
    ),
    max_leaves=12,
)


def _accepted(value: object, report: bool) -> bool:
    try:
        _check(value, "$", report)
    except NotCanonical:
        return False
    return True


@given(_values, st.booleans())
def test_the_fast_path_accepts_nothing_the_full_check_refuses(value: Any, report: bool) -> None:
    if _plain(value, report):
        assert _accepted(value, report)


@given(_values, st.sampled_from(CanonicalProfile))
def test_canonical_json_refuses_exactly_what_the_full_check_refuses(value: Any, profile: CanonicalProfile) -> None:
    report = profile is CanonicalProfile.REPORT
    if _accepted(value, report):
        canonical_json(value, profile)
    else:
        with pytest.raises(NotCanonical):
            canonical_json(value, profile)


def test_stored_counts_take_the_fast_path() -> None:
    counts = {"q1": {"registered": 1200, "yes": 600}, "q2": {"registered": 1200, "yes": 10}}
    assert _plain(counts, report=True)
    assert _plain([counts, None, True], report=True)
    assert not _plain([counts, None], report=False)  # no null in the record: the full check names the path
    assert not _plain({"q1": {"yes": 1.5}}, report=True)
