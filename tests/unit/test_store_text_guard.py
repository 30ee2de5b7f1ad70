"""The guard on every bound value (store.db, issue 17 item 4's fast path) finds a bad text in every
shape a driver binds: one row as a mapping or a sequence, executemany rows, one flat multi-row INSERT."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from saylau.model import InputError
from saylau.store.db import _bound_texts, _refuse_unstorable_text

BAD = ("nul \x00 here", "lone \ud800 surrogate")
NOW = dt.datetime(2022, 6, 5, tzinfo=dt.UTC)


def _shapes(text: str) -> list[Any]:
    return [
        {"a": 1, "b": text},
        (1, NOW, text),
        [{"a": 1}, {"a": 2, "b": text}],
        [(1, "ok"), (2, text)],
        (1, "ok", None, 2.5, b"x", NOW, text, 3),  # a multi-row INSERT: every row's values, flat
        [1, [2, text]],
    ]


@pytest.mark.parametrize("text", BAD)
def test_a_bad_text_is_refused_in_every_shape(text: str) -> None:
    for parameters in _shapes(text):
        with pytest.raises(InputError):
            _refuse_unstorable_text(None, None, "", parameters, None, False)


def test_good_texts_pass_and_are_all_seen() -> None:
    for parameters in _shapes("Қазақстан ok"):
        _refuse_unstorable_text(None, None, "", parameters, None, False)
        assert list(_bound_texts(parameters)) in (["Қазақстан ok"], ["ok", "Қазақстан ok"])
    _refuse_unstorable_text(None, None, "", None, None, False)
    assert list(_bound_texts(None)) == []
