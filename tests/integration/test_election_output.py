"""How an election's results read (issue 17 item 9): the terminal view of the mini election at 120 and 80
columns, and the report folder's page, with the files it links beside it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import itertools
import json
import re
from pathlib import Path

import pytest
from rich.console import Console
from tests.elections import MINI, load

from saylau.cli.views import write_report
from saylau.model import ResultsView, Territory
from saylau.publish import render_terminal
from saylau.services.context import Context
from saylau.services.paper.results import results

ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


def _view(ctx: Context) -> ResultsView:
    load(ctx, MINI, operators=("alice", "bob"), source="p.csv")
    view = results(ctx, "mini-election")
    return dataclasses.replace(view, generated_at=dt.datetime(2023, 3, 20, 6, 1, 2, 345678, tzinfo=dt.UTC))


def _terminal(view: ResultsView, width: int) -> str:
    out = io.StringIO()
    render_terminal(view, Console(file=out, width=width, color_system=None))
    return out.getvalue()


def _doubled(line: str) -> bool:
    """'Party lists list': two words one space apart the same but for a plural s (table columns are
    further apart: two "Votes" headers are not a title)."""
    for run in re.findall(r"[A-Za-z]+(?: [A-Za-z]+)+", line):
        words = [w.lower().removesuffix("s") for w in run.split(" ")]
        if any(a == b for a, b in itertools.pairwise(words)):
            return True
    return False


@pytest.mark.parametrize("width", [120, 80])
def test_terminal_titles_figures_and_names(ctx: Context, width: int) -> None:
    view = _view(ctx)
    text = _terminal(view, width)
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines)
    assert "Party lists" in text
    assert not [line for line in lines if _doubled(line)], "a title repeats the contest's code or kind"
    national = view.results[view.territory.root].totals["list"]
    for field in ("registered", "participated", "amanat"):
        assert national[field] >= 1000
        assert f"{national[field]:,}" in text, field  # every count with its thousands separator
        assert not re.search(rf"(?<![\d,]){national[field]}(?![\d,])", text), field
    for code in view.territory.top_units():
        name = view.territory[code].name("en")
        assert any(name in line for line in lines), f"{name} wrapped or cut"
    assert "Generated: 2023-03-20 06:01 UTC" in text
    assert not ISO_TIME.search(text)


def test_terminal_long_names_do_not_wrap_at_120(ctx: Context) -> None:
    """Names as long as the 2023 Mazhilis demo's stay on one line at 120 columns, every figure whole."""
    view = _view(ctx)
    long = {
        "R1": "North Kazakhstan Region",
        "E1": "Single-member district No. 24",
        "E2": "Single-member district No. 25",
    }
    units = [dataclasses.replace(u, names={"en": long.get(u.code, u.name("en"))}) for u in view.territory.units()]
    view = dataclasses.replace(view, territory=Territory.build(units))
    text = _terminal(view, 120)
    lines = text.splitlines()
    assert any("North Kazakhstan Region" in line for line in lines)
    assert "Single-member district No." in text  # said once, as the districts' header ...
    assert re.search(r"^ +24 {2,}Candidate One", text, re.MULTILINE)  # ... each district by the rest of its name
    assert "(1 of 2)" not in text  # the districts fit in one table at 120 columns
    assert "…" not in text.replace("… and", "")


def test_report_links_the_files_beside_it(ctx: Context, tmp_path: Path) -> None:
    view = _view(ctx)
    index = write_report(view, tmp_path / "report")
    html = index.read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]*)"', html)
    assert links == ["results.json", "results.csv", "options.csv"]
    for link in links:
        assert (index.parent / link).is_file(), link
    assert "generated 2023-03-20 06:01 UTC" in html
    assert "19 March 2023" in html
    assert not ISO_TIME.search(html)  # no raw ISO time, with or without microseconds
    assert "345678" not in html
    doc = json.loads((index.parent / "results.json").read_text(encoding="utf-8"))
    assert doc["generated_at"] == "2023-03-20T06:01:02.345678+00:00"  # the JSON keeps ISO 8601
