"""Maps of the units for the public pages: a tile cartogram (shipped layouts) or a choropleth (a GeoJSON,
parsed at the edge by ``saylau.io.geojson``).

Pure: values in, a figure out (shapes with their fill, label and tooltip, a legend, and the rows of the
text alternative); ``_map.html.j2`` draws it as inline SVG. No public-domain boundaries of Kazakhstan's
admin-1 units were found in the package registries (and the 2022 units predate the three regions of
8 June 2022), so the Kazakh layouts are tile cartograms: one square per unit, roughly geographic.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from importlib import resources
from typing import Any, Literal

from saylau.model import InputError, Lang, Problem, QuestionContest, ResultsView, UnitCode
from saylau.model.geo import GeoMap
from saylau.publish.figures import percent_str, share

__all__ = [
    "LAYOUTS",
    "MapFigure",
    "Tile",
    "TileLayout",
    "choropleth",
    "layout_for",
    "load_layout",
    "national_maps",
    "tile_map",
]

LAYOUTS = ("kz-2022", "kz-2023")
TILE = 48  # px per grid cell; a tile is TILE - GAP wide
GAP = 4
BINS = 5
# A sequential scale (light to dark), readable on white and for the common colour-vision deficiencies.
PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#d9d9d9"
Metric = Literal["turnout", "yes"]


@dataclass(frozen=True, slots=True)
class Tile:
    code: str
    col: int
    row: int


@dataclass(frozen=True, slots=True)
class TileLayout:
    name: str
    tiles: tuple[Tile, ...]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(t.code for t in self.tiles)


@dataclass(frozen=True, slots=True)
class Shape:
    code: str
    name: str
    value: str  # "68.05" or "" when there is no figure
    fill: str
    d: str  # SVG path data (a tile is a closed square)
    label_x: int
    label_y: int
    label: str  # drawn on tiles only


@dataclass(frozen=True, slots=True)
class MapFigure:
    id: str
    title: str
    width: int
    height: int
    shapes: tuple[Shape, ...]
    legend: tuple[tuple[str, str], ...]  # (fill, "60.00–70.00")

    def context(self) -> dict[str, Any]:
        """What ``_map.html.j2`` needs: plain values only."""
        return {
            "id": self.id,
            "title": self.title,
            "width": self.width,
            "height": self.height,
            "shapes": [
                {
                    "code": s.code,
                    "name": s.name,
                    "value": s.value,
                    "fill": s.fill,
                    "d": s.d,
                    "lx": s.label_x,
                    "ly": s.label_y,
                    "label": s.label,
                }
                for s in self.shapes
            ],
            "legend": [{"fill": f, "label": label} for f, label in self.legend],
        }


def load_layout(name: str) -> TileLayout:
    """A shipped layout (``data/maps/<name>.json``): the grid position of every unit code."""
    if name not in LAYOUTS:
        raise InputError([Problem("unknown_layout", f"no tile layout {name!r}; layouts: {', '.join(LAYOUTS)}")])
    raw = json.loads((resources.files("saylau") / "data" / "maps" / f"{name}.json").read_text(encoding="utf-8"))
    tiles = tuple(Tile(str(t["code"]), int(t["col"]), int(t["row"])) for t in raw["tiles"])
    return TileLayout(name, tiles)


def layout_for(codes: Sequence[str]) -> TileLayout | None:
    """The first shipped layout with a tile for every one of ``codes``; None when none has."""
    wanted = set(codes)
    return next((lay for lay in map(load_layout, LAYOUTS) if wanted and wanted <= lay.codes), None)


def _scale(values: Sequence[Fraction]) -> tuple[Fraction, Fraction]:
    lo, hi = (min(values), max(values)) if values else (Fraction(0), Fraction(1))
    return (lo, hi) if hi > lo else (lo, lo + Fraction(1, 100))


def _fill(value: Fraction | None, lo: Fraction, hi: Fraction) -> str:
    if value is None:
        return NO_DATA
    step = int((value - lo) * BINS / (hi - lo))
    return PALETTE[min(max(step, 0), BINS - 1)]


def _legend(lo: Fraction, hi: Fraction) -> tuple[tuple[str, str], ...]:
    edges = [lo + (hi - lo) * i / BINS for i in range(BINS + 1)]
    return tuple((PALETTE[i], f"{percent_str(edges[i])}–{percent_str(edges[i + 1])}") for i in range(BINS))


def tile_map(
    fig_id: str, title: str, layout: TileLayout, values: Mapping[str, Fraction | None], names: Mapping[str, str]
) -> MapFigure:
    """One square per unit of ``values`` that has a tile (units without a tile are left out), coloured in
    five equal bins between the lowest and the highest value; a unit without a figure is grey."""
    lo, hi = _scale([v for v in values.values() if v is not None])
    shapes = []
    for t in layout.tiles:
        if t.code not in values:
            continue
        x, y, side = t.col * TILE, t.row * TILE, TILE - GAP
        v = values[t.code]
        d = f"M{x},{y}h{side}v{side}h-{side}Z"
        label_x, label_y = x + side // 2, y + side // 2 + 4
        shapes.append(
            Shape(t.code, names.get(t.code, t.code), percent_str(v), _fill(v, lo, hi), d, label_x, label_y, t.code)
        )
    cols = max((t.col for t in layout.tiles), default=0) + 1
    rows = max((t.row for t in layout.tiles), default=0) + 1
    return MapFigure(fig_id, title, cols * TILE, rows * TILE, tuple(shapes), _legend(lo, hi))


def choropleth(
    fig_id: str,
    title: str,
    geo: GeoMap,
    values: Mapping[str, Fraction | None],
    names: Mapping[str, str],
    *,
    width: int = 480,
    height: int = 320,
) -> MapFigure:
    """The units of ``values`` that have polygons, projected equirectangularly (x scaled by the cosine of
    the middle latitude) and fitted into ``width`` x ``height``, north up."""
    codes = [c for c in values if c in geo.polygons]
    points = [p for c in codes for poly in geo.polygons[c] for ring in poly for p in ring]
    if not points:
        return MapFigure(fig_id, title, width, height, (), _legend(*_scale([])))
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x, span_y = max((max(lons) - min(lons)) * k, 1e-9), max(max(lats) - min(lats), 1e-9)
    scale = min(width / span_x, height / span_y)

    def xy(p: tuple[float, float]) -> tuple[float, float]:
        return (p[0] - min(lons)) * k * scale, (max(lats) - p[1]) * scale

    lo, hi = _scale([v for v in values.values() if v is not None])
    shapes = []
    for c in codes:
        rings = [[xy(p) for p in ring] for poly in geo.polygons[c] for ring in poly]
        d = "".join("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in r) + "Z" for r in rings)
        outer = rings[0]
        cx, cy = sum(x for x, _ in outer) / len(outer), sum(y for _, y in outer) / len(outer)
        v = values[c]
        shapes.append(Shape(c, names.get(c, c), percent_str(v), _fill(v, lo, hi), d, round(cx), round(cy), ""))
    return MapFigure(fig_id, title, width, height, tuple(shapes), _legend(lo, hi))


# --- The national page --------------------------------------------------------------------------------


def _choropleth_of(
    geo: GeoMap, fig_id: str, title: str, values: Mapping[str, Fraction | None], names: Mapping[str, str]
) -> MapFigure:
    return choropleth(fig_id, title, geo, values, names)


def _tiles_of(
    layout: TileLayout, fig_id: str, title: str, values: Mapping[str, Fraction | None], names: Mapping[str, str]
) -> MapFigure:
    return tile_map(fig_id, title, layout, values, names)


def national_maps(
    view: ResultsView, unit: str, lang: Lang, titles: Mapping[Metric, str], *, geo: GeoMap | None = None
) -> list[dict[str, Any]]:
    """On the national page: a turnout map and, for a referendum question, a Yes-share map (of the first
    question); a choropleth of ``geo`` when it has a polygon for one of the top-level units, else a tile
    cartogram when a shipped layout has them all. Elsewhere: no map."""
    root = view.territory.root
    children = [c for c in view.territory.children(UnitCode(unit)) if c in view.results] if unit == root else []
    layout = layout_for(children)
    draw: Callable[[str, str, Mapping[str, Fraction | None], Mapping[str, str]], MapFigure]
    if geo is not None and any(c in geo.polygons for c in children):
        draw = functools.partial(_choropleth_of, geo)
    elif layout is not None:
        draw = functools.partial(_tiles_of, layout)
    else:
        return []
    question = next((q for q in view.event.contests if isinstance(q, QuestionContest)), None)
    first = question.code if question is not None else next(iter(view.event.contests)).code
    counts = {c: view.results[c].totals.get(first, {}) for c in children}
    names = {str(c): view.territory[c].name(lang) for c in children}
    turnout = {str(c): share(counts[c], "participated", "registered") for c in children}
    figures = [draw("map-turnout", titles["turnout"], turnout, names)]
    if question is not None:
        yes = {str(c): share(counts[c], "yes", "participated") for c in children}
        figures.append(draw("map-yes", titles["yes"], yes, names))
    return [f.context() for f in figures]
