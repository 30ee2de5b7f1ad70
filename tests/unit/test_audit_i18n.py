"""The audit pages' strings: every language has exactly the listed keys, none empty, and the words a
page shows for a state, a decision or an outcome exist for every value the record can hold."""

from __future__ import annotations

import pytest

from saylau.model import LANGS
from saylau.publish.site.audit import render_audit_public, risk_text
from saylau.publish.site.i18n_audit import AUDIT_KEYS, AUDIT_UI, audit_strings

STATES = ("to_count", "awaiting_second", "mismatch", "accepted", "counted_before")
DECISIONS = ("confirmed", "next_round", "escalate")
OUTCOMES = ("confirmed", "full_hand_count")


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_has_every_key(lang: str) -> None:
    strings = AUDIT_UI[lang]  # type: ignore[index]
    assert set(strings) == set(AUDIT_KEYS)
    assert len(AUDIT_KEYS) == len(set(AUDIT_KEYS))
    assert all(v.strip() for v in strings.values())
    for s in STATES:
        assert f"state_{s}" in strings
    for d in DECISIONS:
        assert f"decision_{d}" in strings
    for o in OUTCOMES:
        assert f"outcome_{o}" in strings
    assert {"method_macro", "method_bravo"} <= set(strings)


def test_the_languages_differ_and_an_unknown_one_is_english() -> None:
    assert len({audit_strings(lang)["title"] for lang in LANGS}) == 3
    assert audit_strings("xx")["title"] == AUDIT_UI["en"]["title"]  # type: ignore[arg-type]


def test_a_risk_is_shown_with_four_decimals() -> None:
    assert risk_text("0.031234567") == "0.0312"
    assert risk_text("1.0") == "1.0000"


@pytest.mark.parametrize("lang", LANGS)
def test_without_an_audit_the_page_says_so(lang: str) -> None:
    html = render_audit_public(None, "ev", lang, path="/events/ev/audit", demo=False, events=[])  # type: ignore[arg-type]
    assert "data-no-audit" in html
    assert audit_strings(lang)["no_audit"] in html  # type: ignore[arg-type]
