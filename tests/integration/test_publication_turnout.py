"""A static release writes the intraday turnout pages and turnout.json; new reports alone make a release."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.elections import SMALL, load
from tests.integration.small import GOOD, protocols_csv

from saylau.model import Phase
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.protocols import enter_file
from saylau.services.paper.publication import publish_release
from saylau.services.paper.turnout import import_turnout


def _counting(ctx: Context, turnout: bytes | None) -> None:
    load(ctx, SMALL, until=Phase.VOTING)
    if turnout is not None:
        import_turnout(ctx, "small", turnout, "t.csv")
    advance(ctx, "small", Phase.COUNTING, LOCAL_CLI)
    for who in ("alice", "bob"):
        enter_file(Context(ctx.store, ctx.clock, who), "small", protocols_csv(GOOD), "b.csv", "csv", factor=LOCAL_CLI)


def test_turnout_pages_in_every_language_and_turnout_json(ctx: Context, tmp_path: Path) -> None:
    _counting(ctx, b"unit,at,registered,voted\nR1,10:00,1800,250\nP3,10:00,1200,300\nAB,10:00,500,100\n")
    site = tmp_path / "site"
    publish_release(ctx, "small", site)
    files = json.loads((site / "release.json").read_text(encoding="utf-8"))["release"]["files"]
    # the country, and the units above a report (R2 is above P3); R1 and AB reported themselves: no page
    assert sorted(p for p in files if "/turnout/" in p) == sorted(
        f"{lang}/turnout/{u}.html" for lang in ("kk", "ru", "en") for u in ("KZ", "R2")
    )
    national = (site / "en/turnout/KZ.html").read_text(encoding="utf-8")
    assert "Turnout during the day: Kazakhstan" in national
    assert re.search(r'data-unit="KZ">.*?18\.57%', national, re.S)  # (250 + 300 + 100) / (1800 + 1200 + 500)
    assert 'href="/en/turnout/R2.html?lang=en">Region Two</a>' in national
    assert 'href="/ru/turnout/KZ.html" hreflang="ru"' in national  # the language switch stays on turnout
    assert 'href="/en/units/KZ.html?lang=en"' in national  # back to the results
    assert "Явка в течение дня" in (site / "ru/turnout/R2.html").read_text(encoding="utf-8")
    # the results pages link their turnout page where there is one
    assert 'href="/en/turnout/KZ.html?lang=en">Turnout during the day</a>' in (site / "en/index.html").read_text(
        encoding="utf-8"
    )
    assert "Turnout during the day" not in (site / "en/units/R1.html").read_text(encoding="utf-8")
    data = json.loads((site / "turnout.json").read_text(encoding="utf-8"))
    assert data[0] == {
        "unit": "R1",
        "at": "10:00",
        "registered": 1800,
        "voted": 250,
        "turnout": "0.1389",
        "turnout_exact": "5/36",
    }


def test_no_report_no_turnout_page_and_a_late_report_makes_the_next_release(ctx: Context, tmp_path: Path) -> None:
    _counting(ctx, None)
    site = tmp_path / "site"
    first = publish_release(ctx, "small", site)
    assert not (site / "turnout.json").exists()
    assert not (site / "en" / "turnout").exists()
    assert "Turnout during the day" not in (site / "en/index.html").read_text(encoding="utf-8")
    assert publish_release(ctx, "small", site).created is False  # nothing changed
    import_turnout(ctx, "small", b"unit,at,registered,voted\nR1,20:00,1800,1300\n", "late.csv")
    second = publish_release(ctx, "small", site)
    assert (second.number, second.created, second.previous) == (2, True, first.hash)
    assert (site / "en/turnout/KZ.html").exists()
    assert publish_release(ctx, "small", site).created is False
