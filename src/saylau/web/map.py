"""Maps of the units for the public pages: a tile cartogram (shipped layouts) or a choropleth (a GeoJSON).

Pure: values in, a figure out (shapes with their fill, label and tooltip, a legend, and the rows of the
text alternative); ``_map.html.j2`` draws it as inline SVG. No public-domain boundaries of Kazakhstan's
admin-1 units were found in the package registries (and the 2022 units predate the three regions of
8 June 2022), so the Kazakh layouts are tile cartograms: one square per unit, roughly geographic.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from importlib import resources
from typing import Any, Literal

from saylau.model import InputError, Lang, Problem, QuestionContest, ResultsView, UnitCode
from saylau.model.strict import strict_json_loads
from saylau.publish.figures import percent_str, share

__all__ = [
    "LAYOUTS",
    "GeoMap",
    "MapFigure",
    "Tile",
    "TileLayout",
    "choropleth",
    "layout_for",
    "load_layout",
    "match_units",
    "national_maps",
    "parse_geojson",
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


# --- GeoJSON --------------------------------------------------------------------------------------------

Ring = tuple[tuple[float, float], ...]


@dataclass(frozen=True, slots=True)
class GeoMap:
    """The polygons of each unit code, as parsed from a GeoJSON FeatureCollection (lon, lat); ``source``
    and ``features`` (each code's first feature index) name a feature in messages."""

    polygons: Mapping[str, tuple[tuple[Ring, ...], ...]]
    source: str = ""
    features: Mapping[str, int] = field(default_factory=dict)
    code_property: str = "code"
    sha256: str = ""  # of the file's bytes: a release records which map it drew


def parse_geojson(data: bytes, source: str, code_property: str) -> GeoMap:
    """A FeatureCollection of Polygon / MultiPolygon features, each naming its unit in ``code_property``.
    Every problem is reported with the feature's path (``features[3].properties.code``)."""
    problems: list[Problem] = []

    def bad(rule: str, msg: str, path: str) -> None:
        problems.append(Problem(rule, msg, file=source, field=path))

    try:
        doc = strict_json_loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError([Problem("json", f"not JSON: {exc}", file=source)], summary="bad GeoJSON") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise InputError([Problem("geojson", "expected a FeatureCollection", file=source, field="type")])
    polygons: dict[str, list[tuple[Ring, ...]]] = {}
    first: dict[str, int] = {}
    for i, feature in enumerate(doc["features"]):
        path = f"features[{i}]"
        props = feature.get("properties") if isinstance(feature, dict) else None
        code = props.get(code_property) if isinstance(props, dict) else None
        if not isinstance(code, str) or not code:
            bad("unit_code", f"no string property {code_property!r}", f"{path}.properties.{code_property}")
            continue
        geometry = feature.get("geometry")
        parts = _polygons(geometry, f"{path}.geometry", bad)
        polygons.setdefault(code, []).extend(parts)
        first.setdefault(code, i)
    if problems:
        raise InputError(problems, summary=f"{len(problems)} problem(s) in the GeoJSON {source}")
    if not polygons:
        raise InputError([Problem("geojson", "the FeatureCollection has no features", file=source, field="features")])
    digest = hashlib.sha256(data).hexdigest()
    return GeoMap({code: tuple(parts) for code, parts in polygons.items()}, source, first, code_property, digest)


def match_units(geo: GeoMap, units: Sequence[str]) -> list[str]:
    """Every feature must name one of ``units`` (the top-level units the map shows): a feature that names
    none is an error naming the file, the feature and its code. Returns the units without a feature
    (drawn nowhere: the caller warns)."""
    wanted = set(units)
    problems = [
        Problem(
            "unknown_unit",
            f"feature {geo.features.get(code, '?')} has {geo.code_property} {code!r}, which matches no unit on the map"
            f" (units: {', '.join(sorted(wanted)) or 'none'})",
            file=geo.source,
            field=f"features[{geo.features.get(code, '?')}].properties.{geo.code_property}",
        )
        for code in sorted(geo.polygons, key=lambda c: geo.features.get(c, 0))
        if code not in wanted
    ]
    if problems:
        raise InputError(problems, summary=f"{len(problems)} feature(s) of the GeoJSON {geo.source} match no unit")
    return [u for u in units if u not in geo.polygons]


def _polygons(geometry: object, path: str, bad: Any) -> list[tuple[Ring, ...]]:
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        bad("geometry", "expected a Polygon or MultiPolygon geometry", f"{path}.type")
        return []
    coords = geometry.get("coordinates")
    polys = [coords] if geometry["type"] == "Polygon" else coords
    if not isinstance(polys, list):
        bad("coordinates", "coordinates must be an array", f"{path}.coordinates")
        return []
    out = []
    for j, poly in enumerate(polys):
        rings = [_ring(r) for r in poly] if isinstance(poly, list) else [None]
        if not rings or any(r is None for r in rings):
            bad("coordinates", "a polygon is arrays of [lon, lat] positions, 4 or more", f"{path}.coordinates[{j}]")
            continue
        out.append(tuple(r for r in rings if r is not None))
    return out


def _ring(raw: object) -> Ring | None:
    if not isinstance(raw, list) or len(raw) < 4:
        return None
    ring = []
    for p in raw:
        if not (isinstance(p, list) and len(p) >= 2 and all(isinstance(c, int | float) for c in p[:2])):
            return None
        ring.append((float(p[0]), float(p[1])))
    return tuple(ring)


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
