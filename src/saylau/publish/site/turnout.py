"""The public intraday turnout page: units x reporting hours, and a bar chart of the unit's turnout.

Pure: the event, its territory and the turnout reports in, plain strings out. The Kazakh commission
publishes turnout per unit at 10:00, 12:00, 14:00, 18:00 and 20:00 (shared/reference/kazakhstan.md §1.4);
the hours shown are the ones loaded by ``saylau turnout import``. A unit without its own report at an hour
shows the sum of its subdivisions' reports when every subdivision reported that hour (exact: the voters
over the registered, never an average of shares); otherwise no figure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

from saylau.model import Lang, NotFound, Referendum, Territory, UnitCode
from saylau.publish.figures import percent_str

__all__ = ["TurnoutReport", "turnout_page", "turnout_units"]

CHART_BAR = 56  # px per hour on the chart
CHART_TOP = 16
CHART_HEIGHT = 160  # px of the 0-100 % scale
CHART_LEFT = 40


class TurnoutReport(Protocol):
    """One unit's figures at one hour (services.paper.turnout.TurnoutFigure)."""

    @property
    def unit(self) -> str: ...
    @property
    def at(self) -> str: ...
    @property
    def registered(self) -> int: ...
    @property
    def voted(self) -> int: ...


@dataclass(frozen=True, slots=True)
class _Cell:
    registered: int
    voted: int
    summed: bool  # from the subdivisions' reports, not the unit's own

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.voted, self.registered) if self.registered else None


class _Figures:
    """Each unit's figure at each hour: its own report, else the sum of its subdivisions' when all have one."""

    def __init__(self, territory: Territory, reports: Sequence[TurnoutReport]):
        self.territory = territory
        self.own = {(r.unit, r.at): _Cell(r.registered, r.voted, False) for r in reports}
        self.hours = sorted({r.at for r in reports})
        self._memo: dict[tuple[str, str], _Cell | None] = {}
        # the units above a report: each has a turnout page of its own
        self.above = {a for r in reports if r.unit in territory for a in territory.ancestors(UnitCode(r.unit))}

    def at(self, unit: UnitCode, hour: str) -> _Cell | None:
        key = (str(unit), hour)
        if key not in self._memo:
            self._memo[key] = self.own.get(key) or self._summed(unit, hour)
        return self._memo[key]

    def _summed(self, unit: UnitCode, hour: str) -> _Cell | None:
        children = self.territory.children(unit)
        cells = [self.at(c, hour) for c in children]
        if not children or any(c is None for c in cells):
            return None
        done = [c for c in cells if c is not None]
        return _Cell(sum(c.registered for c in done), sum(c.voted for c in done), True)

    def any(self, unit: UnitCode) -> bool:
        return any(self.at(unit, h) is not None for h in self.hours)

    def has_page(self, unit: UnitCode) -> bool:
        """The country, and every unit with a report below it (a unit's own figures are a row of its
        parent's page)."""
        return unit == self.territory.root or unit in self.above


def turnout_units(territory: Territory, reports: Sequence[TurnoutReport]) -> list[UnitCode]:
    """The units with a turnout page of their own (on a static site: the pages written)."""
    figures = _Figures(territory, reports)
    return [u for u in territory.walk() if figures.has_page(u)]


def turnout_page(
    event: Referendum,
    territory: Territory,
    reports: Sequence[TurnoutReport],
    unit: str,
    lang: Lang,
    *,
    turnout_url: Callable[[str], str | None],
    results_url: str,
) -> dict[str, Any]:
    """Everything ``turnout.html.j2`` shows for ``unit``: the rows (the unit, then its subdivisions with a
    figure), the hours, and the chart of the unit's turnout. ``turnout_url(unit)`` links a row's unit to
    its own turnout page (None: no link)."""
    if unit not in territory:
        raise NotFound(
            f"no unit {unit!r} in the territory of event {event.code!r}",
            details={"event": str(event.code), "unit": unit},
        )
    code = UnitCode(unit)
    figures = _Figures(territory, reports)
    crumbs = [*reversed(territory.ancestors(code)), code]
    children = [c for c in territory.children(code) if figures.any(c)]
    return {
        "event": {"code": str(event.code), "title": event.title, "date": event.date.isoformat()},
        "unit": {"code": code, "name": territory[code].name(lang)},
        "national": code == territory.root,
        "results_url": results_url,
        "breadcrumbs": [{"name": territory[c].name(lang), "url": _link(figures, c, turnout_url)} for c in crumbs],
        "hours": figures.hours,
        "rows": [_row(figures, territory, code, lang, None)]
        + [_row(figures, territory, c, lang, _link(figures, c, turnout_url)) for c in children],
        "chart": _chart(figures, code),
        "summed": any(
            figures.at(u, h) is not None and figures.own.get((str(u), h)) is None
            for u in [code, *children]
            for h in figures.hours
        ),
    }


def _link(figures: _Figures, unit: UnitCode, url: Callable[[str], str | None]) -> str | None:
    return url(unit) if figures.has_page(unit) else None


def _row(figures: _Figures, territory: Territory, unit: UnitCode, lang: Lang, url: str | None) -> dict[str, Any]:
    cells: list[dict[str, Any] | None] = []
    for hour in figures.hours:
        cell = figures.at(unit, hour)
        if cell is None:
            cells.append(None)
            continue
        cells.append(
            {
                "pct": percent_str(cell.share),
                "voted": f"{cell.voted:,}",
                "registered": f"{cell.registered:,}",
                "summed": cell.summed,
            }
        )
    return {"code": unit, "name": territory[unit].name(lang), "url": url, "cells": cells}


def _chart(figures: _Figures, unit: UnitCode) -> dict[str, Any]:
    """Bars on a fixed 0-100 % scale (pages stay comparable), one per hour; an hour without a figure has none."""
    bars = []
    for i, hour in enumerate(figures.hours):
        cell = figures.at(unit, hour)
        share = cell.share if cell is not None else None
        h = round(share * CHART_HEIGHT) if share is not None else 0
        x = CHART_LEFT + i * CHART_BAR + 8
        bars.append(
            {
                "hour": hour,
                "pct": percent_str(share) if share is not None else "",
                "x": x,
                "y": CHART_TOP + CHART_HEIGHT - h,
                "width": CHART_BAR - 16,
                "height": h,
                "cx": x + (CHART_BAR - 16) // 2,
            }
        )
    grid = [{"label": str(p), "y": CHART_TOP + CHART_HEIGHT - CHART_HEIGHT * p // 100} for p in (0, 25, 50, 75, 100)]
    return {
        "width": CHART_LEFT + CHART_BAR * max(len(figures.hours), 1) + 8,
        "height": CHART_TOP + CHART_HEIGHT + 24,
        "base": CHART_TOP + CHART_HEIGHT,
        "left": CHART_LEFT,
        "label_y": CHART_TOP + CHART_HEIGHT + 16,
        "bars": bars,
        "grid": grid,
        "any": any(b["pct"] for b in bars),
    }
