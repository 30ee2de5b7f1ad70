"""Use case: a user's GeoJSON for the region map of the public pages (``serve``/``publish --geojson``).

The file is read and parsed once (``io.geojson.parse_geojson``: every problem named with its feature's path),
then matched against the top-level units of the events it will draw: a feature that names no unit is an
error naming the file and the feature; a unit without a feature is only a warning (it is not drawn).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from saylau.io.geojson import match_units, parse_geojson
from saylau.model import InputError, Problem, SaylauError
from saylau.model.geo import GeoMap
from saylau.services.context import Context
from saylau.services.lookup import load_event, require_territory

__all__ = ["RegionMap", "load_region_map"]


@dataclass(frozen=True, slots=True)
class RegionMap:
    geo: GeoMap
    missing: tuple[tuple[str, tuple[str, ...]], ...]  # (event, its top-level units without a feature)

    def warnings(self) -> list[str]:
        return [
            f"{self.geo.source}: no feature for {len(units)} unit(s) of {event}, not drawn: {', '.join(units)}"
            for event, units in self.missing
            if units
        ]


def load_region_map(ctx: Context, path: Path, code_property: str, events: Sequence[str] | None = None) -> RegionMap:
    """Read ``path`` and match its features (by the property ``code_property``) to the top-level units of
    ``events`` (None: every event of the database with a territory): every feature must name a unit of
    one of them."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SaylauError(f"cannot read the GeoJSON {path}: {exc.strerror}", code="unreadable_file") from exc
    geo = parse_geojson(data, str(path), code_property)
    tops: list[tuple[str, tuple[str, ...]]] = []
    with ctx.store.transaction() as tx:
        if events is None:
            every = [load_event(tx, c) for c in tx.event_codes()]
            rows = [r for r in every if tx.territory(r.id) is not None]
        else:
            rows = [load_event(tx, code) for code in events]
        for row in rows:
            territory = require_territory(tx, row)
            tops.append((str(row.referendum.code), tuple(str(u) for u in territory.children(territory.root))))
    if not tops:
        raise InputError([Problem("no_event", "no event in this database to draw a map of", file=str(path))])
    units = [u for _, top in tops for u in top]
    match_units(geo, list(dict.fromkeys(units)))  # a feature matching no unit of any event: an error
    missing = tuple((code, tuple(u for u in units if u not in geo.polygons)) for code, units in tops)
    return RegionMap(geo, missing)
