"""The petitions' pages speak kk, ru and en: every key in every language, no key unknown, none empty, and
every ``p.<key>`` the templates use is a key."""

from __future__ import annotations

import re
from pathlib import Path

from saylau.model import LANGS
from saylau.publish.site.i18n_petitions import PETITION_KEYS, PETITION_UI, petition_strings

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "saylau" / "publish" / "site" / "templates"


def test_every_language_has_every_key() -> None:
    assert len(PETITION_KEYS) == len(set(PETITION_KEYS))
    for lang in LANGS:
        strings = petition_strings(lang)
        assert set(strings) == set(PETITION_KEYS), lang
        assert all(v.strip() for v in strings.values()), lang
    assert PETITION_UI["kk"]["required"] != PETITION_UI["en"]["required"]


def test_the_templates_use_only_known_keys() -> None:
    used: set[str] = set()
    for name in ("petition.html.j2", "commission_petitions.html.j2", "_petition_facts.html.j2"):
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        used |= set(re.findall(r"\bp\.([a-z_]+)", text))
        used |= {f"{prefix}{k}" for prefix in ("kind_", "rule_") for k in ("recall", "initiative", "nomination",
                 "full", "random_sample", "sequential") if f"{prefix}{k}" in PETITION_KEYS}  # fmt: skip
    assert used - set(PETITION_KEYS) == set()
    assert "progress" in used
