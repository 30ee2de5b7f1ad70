"""FitTable (publish/terminal_layout.py): a name never wraps, a figure is never cut, at any usual width."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.text import Text

from saylau.publish.terminal_layout import Col, FitTable, Row

# The 2022 referendum's widest rows: a long region name and the national figures.
NAMES = ("Republic of Kazakhstan", "  North Kazakhstan Region", "  West Kazakhstan Region", "  Abroad")
FIGURES = ("11,734,642", "7,985,769", "68.05", "6,163,516\n77.18%", "1,490,470\n18.66%", "125,859\n1.58%",
           "205,924\n2.58%", "10,012/10,012")  # fmt: skip
HEADERS = ("On the list", "Took part", "Turnout %", "Yes", "No", "Not counted", "Invalid", "Precincts")


def _table() -> FitTable:
    table = FitTable("Question q1", "Unit", tuple(Col(h) for h in HEADERS))
    for name in NAMES:
        table.add(Row(Text(name), FIGURES))
    table.add(Row(Text("A label that may wrap when the terminal is narrow"), ("1",) * len(HEADERS), firm=False))
    return table


def _render(width: int) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None).print(_table())
    return out.getvalue().splitlines()


@pytest.mark.parametrize("width", [160, 120, 100, 80, 60])
def test_names_whole_figures_whole(width: int) -> None:
    lines = _render(width)
    assert all(len(line) <= width for line in lines)
    text = "\n".join(lines)
    assert "…" not in text
    for name in NAMES:
        assert any(name.strip() in line for line in lines), name
    for figure in FIGURES:
        for part in figure.splitlines():
            assert part in text, part
    tables = text.count("Question q1")
    if width >= 120:
        assert tables == 1
        assert "(1 of" not in text
    else:
        assert tables > 1
        assert f"(1 of {tables})" in text
        assert f"({tables} of {tables})" in text


def test_a_wide_terminal_keeps_whole_headers_and_labels() -> None:
    text = "\n".join(_render(200))
    assert "On the list" in text
    assert "Not counted" in text
    assert "A label that may wrap when the terminal is narrow" in text
