"""The polygons of a map's units (parsed from GeoJSON by ``saylau.io.geojson``, drawn by
``saylau.publish.site.map``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["GeoMap", "Ring"]

Ring = tuple[tuple[float, float], ...]  # (lon, lat) points of one closed ring


@dataclass(frozen=True, slots=True)
class GeoMap:
    """The polygons of each unit code, as parsed from a GeoJSON FeatureCollection (lon, lat); ``source``
    and ``features`` (each code's first feature index) name a feature in messages."""

    polygons: Mapping[str, tuple[tuple[Ring, ...], ...]]
    source: str = ""
    features: Mapping[str, int] = field(default_factory=dict)
    code_property: str = "code"
    sha256: str = ""  # of the file's bytes: a release records which map it drew
