"""`--geojson FILE [--geojson-key PROP]` of `serve` and `publish --static`: the user's region map."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from saylau.cli.common import err_console
from saylau.model import SaylauError

if TYPE_CHECKING:
    from saylau.model.geo import GeoMap
    from saylau.services.context import Context

__all__ = ["DEFAULT_KEY", "GeoJsonKeyOpt", "GeoJsonOpt", "region_map"]

DEFAULT_KEY = "code"
GeoJsonOpt = Annotated[
    Path | None,
    typer.Option(
        "--geojson",
        metavar="FILE",
        help="GeoJSON FeatureCollection of the top-level units (Polygon/MultiPolygon): the region map is a "
        "choropleth of it instead of the tile cartogram (format: spec/formats.md, GeoJSON input).",
    ),
]
GeoJsonKeyOpt = Annotated[
    str | None,
    typer.Option(
        "--geojson-key", metavar="PROP", help=f"The feature property holding the unit code (default: {DEFAULT_KEY})."
    ),
]


def region_map(ctx: Context, path: Path | None, key: str | None, events: Sequence[str] | None) -> GeoMap | None:
    """The parsed and matched map, its warnings (units without a feature) printed on stderr; None without
    --geojson. Every feature must name a top-level unit of ``events`` (None: of every event)."""
    if path is None:
        if key is not None:
            raise SaylauError(
                "--geojson-key is the property of the --geojson file: give --geojson FILE too", code="usage"
            )
        return None
    from saylau.services.paper.maps import load_region_map  # noqa: PLC0415  # lazy: only with --geojson

    found = load_region_map(ctx, path, key or DEFAULT_KEY, events)
    for warning in found.warnings():
        err_console.print(f"[bold yellow]warning[/]: {warning}", highlight=False)
    shown = ", ".join(sorted(found.geo.polygons))
    err_console.print(f"Region map from {path}: {len(found.geo.polygons)} unit(s) ({shown})", highlight=False)
    return found.geo
