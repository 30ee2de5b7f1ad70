"""The GeoJSON parser at the edge: a FeatureCollection of polygons in, each unit's polygons out; every
problem named with its file and feature path, all at once."""

from __future__ import annotations

import json

import pytest

from saylau.io.geojson import match_units, parse_geojson
from saylau.model import InputError

SQUARES = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"iso": "A"},
            "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]},
        },
        {
            "type": "Feature",
            "properties": {"iso": "B"},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [
                    [[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]],
                    [[[3, 0], [4, 0], [4, 1], [3, 1], [3, 0]], [[3.2, 0.2], [3.8, 0.2], [3.8, 0.8], [3.2, 0.2]]],
                ],
            },
        },
    ],
}


def test_geojson_problems_are_all_named_with_their_path() -> None:
    bad = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": SQUARES["features"][0]["geometry"]},  # type: ignore[index]
            {"type": "Feature", "properties": {"iso": "X"}, "geometry": {"type": "Point", "coordinates": [0, 0]}},
            {"type": "Feature", "properties": {"iso": "Y"}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0]]]}},
        ],
    }
    with pytest.raises(InputError) as err:
        parse_geojson(json.dumps(bad).encode(), "bad.geojson", "iso")
    fields = [p.field for p in err.value.problems]
    assert fields == ["features[0].properties.iso", "features[1].geometry.type", "features[2].geometry.coordinates[0]"]
    with pytest.raises(InputError):
        parse_geojson(b'{"type": "Feature"}', "f.geojson", "iso")
    with pytest.raises(InputError):
        parse_geojson(b"{", "f.geojson", "iso")


def test_features_must_name_a_unit_on_the_map_units_without_one_are_returned() -> None:
    geo = parse_geojson(json.dumps(SQUARES).encode(), "squares.geojson", "iso")
    assert geo.source == "squares.geojson"
    assert geo.features == {"A": 0, "B": 1}
    assert len(geo.sha256) == 64
    assert match_units(geo, ["A", "B", "C"]) == ["C"]  # C has no feature: the caller warns
    with pytest.raises(InputError) as err:
        match_units(geo, ["A", "C"])
    (problem,) = err.value.problems
    assert (problem.file, problem.field, problem.rule) == (
        "squares.geojson",
        "features[1].properties.iso",
        "unknown_unit",
    )
    assert "'B'" in problem.message
    with pytest.raises(InputError):
        parse_geojson(b'{"type": "FeatureCollection", "features": []}', "empty.geojson", "iso")
