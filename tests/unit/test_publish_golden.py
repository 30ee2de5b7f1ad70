"""Golden snapshots of the published outputs for a small hand-built ResultsView.

Regenerate after an intended change with:  SAYLAU_UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/test_publish_golden.py
then review the diff of tests/golden/publish/ before committing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import re
from fractions import Fraction
from pathlib import Path

import pytest
from rich.console import Console

from saylau.model import (
    Correction,
    EventCode,
    Mode,
    Outcome,
    Phase,
    PrecinctWarning,
    QuestionCode,
    QuestionContest,
    QuestionText,
    Referendum,
    ResultsView,
    SaylauError,
    Territory,
    Unit,
    UnitCode,
    UnitKind,
    UnitResult,
)
from saylau.model.numbers import decimal_str, fraction_str
from saylau.publish import render_html, render_terminal, to_csv, to_json
from saylau.publish.figures import percent_str

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "publish"
Q1 = QuestionCode("q1")
FIELDS = ("registered", "received", "issued", "cancelled", "participated", "yes", "no", "not_counted", "invalid")
# precinct -> parent, counts (None: not reported yet)
PRECINCTS: dict[str, tuple[str, tuple[int, ...] | None]] = {
    "N-1": ("NORTH", (1200, 1220, 801, 419, 800, 600, 150, 20, 30)),
    "N-2": ("NORTH", (900, 915, 451, 464, 450, 300, 130, 8, 12)),
    "S-1": ("SOUTH", (1500, 1520, 1201, 319, 1200, 1000, 150, 20, 30)),
    "C-1": ("CITY", (2000, 2030, 701, 1329, 700, 351, 300, 19, 30)),
    "C-2": ("CITY", (1800, 1830, 0, 1830, 0, 0, 0, 0, 0)),
    "C-3": ("CITY", None),
    "A-1": ("ABR", (120, 125, 61, 64, 60, 45, 10, 2, 3)),
}
TOP = {
    "NORTH": (UnitKind.REGION, "North <Region>"),
    "SOUTH": (UnitKind.REGION, "South & Co"),
    "CITY": (UnitKind.REGION, "Capital city"),
    "ABR": (UnitKind.ABROAD, "Abroad"),
}


def _event() -> Referendum:
    texts = (
        QuestionText("ru", "Принимаете ли Вы изменения?", True, "https://example.org/ru"),
        QuestionText("en", 'Do you accept the "amendments"?', False, "translation"),
    )
    return Referendum(EventCode("demo"), "Demo referendum", dt.date(2022, 6, 5), "kz-constitutional",
                      (QuestionContest(Q1, texts),), {}, "Hand-built fixture.")  # fmt: skip


def _territory() -> Territory:
    units = [Unit(UnitCode("KZ"), UnitKind.COUNTRY, None, {"en": "Kazakhstan", "kk": "Қазақстан"})]
    units += [Unit(UnitCode(c), k, UnitCode("KZ"), {"en": n}) for c, (k, n) in TOP.items()]
    units += [Unit(UnitCode(p), UnitKind.PRECINCT, UnitCode(parent), {}, (c or (1800,))[0])
              for p, (parent, c) in PRECINCTS.items()]  # fmt: skip
    return Territory.build(units)


def _result(code: str, precincts: list[str]) -> UnitResult:
    done = [p for p in precincts if PRECINCTS[p][1] is not None]
    totals = {f: sum(PRECINCTS[p][1][i] for p in done) for i, f in enumerate(FIELDS)}  # type: ignore[index]
    missing = tuple(UnitCode(p) for p in precincts if p not in done)
    return UnitResult(UnitCode(code), len(precincts), len(done), missing, {Q1: totals})


def view(mode: Mode = Mode.LIVE) -> ResultsView:
    results = {UnitCode("KZ"): _result("KZ", list(PRECINCTS))}
    for top in TOP:
        results[UnitCode(top)] = _result(top, [p for p, (parent, _) in PRECINCTS.items() if parent == top])
    national = results[UnitCode("KZ")].totals[Q1]
    outcome = Outcome(
        question=Q1, preset="kz-constitutional", preset_version="2022", valid=True, adopted=True,
        turnout=Fraction(national["participated"], national["registered"]),
        yes_share=Fraction(national["yes"], national["participated"]), yes_share_base="participants",
        units_yes=Fraction(3), units_total=Fraction(3), units_required=Fraction(2),
        explanation=("Art. 31(2): turnout above one half: valid.", "Art. 31(3): Yes in 3 of 3 units: adopted."),
    )  # fmt: skip
    before = dict(zip(FIELDS, (1200, 1220, 801, 419, 800, 610, 140, 20, 30), strict=True))
    correction = Correction(UnitCode("N-1"), 2, "transposed <digits>", {Q1: before},
                            {Q1: dict(zip(FIELDS, PRECINCTS["N-1"][1] or (), strict=True))})  # fmt: skip
    warning = PrecinctWarning(UnitCode("S-1"), "high_turnout", "turnout 80.00% is above the usual range")
    return ResultsView(_event(), _territory(), Phase.PROVISIONAL, mode, "provisional", results, {Q1: outcome},
                       dt.datetime(2022, 6, 6, 8, 0, tzinfo=dt.UTC), (warning,), (correction,))  # fmt: skip


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SAYLAU_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.exists(), f"{path} missing: run with SAYLAU_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


def test_json_golden() -> None:
    doc = to_json(view())
    _golden("results.json", json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False) + "\n")
    national = doc["units"][0]
    assert national["code"] == "KZ"
    assert "missing" not in national
    assert doc["units"][3]["missing"] == ["C-3"]
    assert national["questions"]["q1"]["shares"]["yes"] == {"decimal": "0.7153", "fraction": "1148/1605"}


def test_half_even_rounding() -> None:
    assert decimal_str(Fraction(1, 20000), 4) == "0.0000"
    assert decimal_str(Fraction(3, 20000), 4) == "0.0002"
    assert decimal_str(Fraction(1), 4) == "1.0000"
    assert percent_str(Fraction(6163516, 7985769)) == "77.18"
    assert fraction_str(Fraction(2)) == "2/1"


def test_csv_golden() -> None:
    _golden("results.csv", to_csv(view()))


def test_html_golden_and_self_contained() -> None:
    html = render_html(view())
    _golden("results.html", html)
    # the only links: the report's own data files beside it, relative (cli.views.write_report writes them)
    assert re.findall(r'href="([^"]*)"', html) == ["results.json", "results.csv"]
    rest = re.sub(r'href="results\.(json|csv)"', "", html)
    assert not re.search(r"(src|href)\s*=|https?://(?!example\.org)|<script|@import|url\(", rest)
    assert "North &lt;Region&gt;" in html
    assert "transposed &lt;digits&gt;" in html
    assert "PROVISIONAL" in html
    assert "TRANSLATION" in html


def test_final_status_has_no_provisional_banner() -> None:
    html = render_html(dataclasses.replace(view(), status="final", phase=Phase.FINAL))
    assert "PROVISIONAL" not in html


@pytest.mark.parametrize("render", [to_json, to_csv, render_html])
def test_test_mode_is_refused(render: object) -> None:
    with pytest.raises(SaylauError) as info:
        render(view(Mode.TEST))  # type: ignore[operator]
    assert info.value.code == "test_not_publishable"


def test_terminal_shows_test_banner() -> None:
    out = io.StringIO()
    render_terminal(view(Mode.TEST), Console(file=out, width=160, color_system=None), level="all")
    text = out.getvalue()
    assert "T E S T   M O D E" in text
    assert "North <Region>" in text
    assert "ADOPTED" in text
    assert "Warnings: 1" in text
    live = io.StringIO()
    render_terminal(view(), Console(file=live, width=160, color_system=None))
    assert "T E S T" not in live.getvalue()
    assert "PROVISIONAL" in live.getvalue()
