"""A user's GeoJSON of the units (``serve``/``publish --geojson``; spec/formats.md, "Tile maps", GeoJSON
input): bytes in, the polygons of each unit code out (STYLE.md habit 2: parsed at the edge, once).

A FeatureCollection of Polygon / MultiPolygon features, each naming its unit in a string property
(``code`` by default). Every problem names the file and the feature's path
(``features[3].properties.code``); all of a file's problems are reported at once. Drawing the map is the
presentation's (``saylau.publish.site.map``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from saylau.model import InputError, Problem
from saylau.model.geo import GeoMap, Ring
from saylau.model.strict import JsonRefused, strict_json

__all__ = ["match_units", "parse_geojson"]

_Bad = Callable[[str, str, str], None]  # (rule, message, field path)


def parse_geojson(data: bytes, source: str, code_property: str) -> GeoMap:
    """A FeatureCollection of Polygon / MultiPolygon features, each naming its unit in ``code_property``.
    Every problem is reported with the feature's path (``features[3].properties.code``)."""
    problems: list[Problem] = []

    def bad(rule: str, msg: str, path: str) -> None:
        problems.append(Problem(rule, msg, file=source, field=path))

    try:
        doc = strict_json(data.decode("utf-8-sig"), floats=True)  # coordinates are decimals; a key twice is refused
    except (UnicodeDecodeError, JsonRefused) as exc:
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


def _polygons(geometry: object, path: str, bad: _Bad) -> list[tuple[Ring, ...]]:
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
