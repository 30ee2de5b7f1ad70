"""`saylau publish --static DIR`: the whole public site as static files, as the next numbered release."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.common import DemoDbOpt, JsonOpt, console, handle_errors, only_event, open_or_demo, print_json
from saylau.cli.map_opts import GeoJsonKeyOpt, GeoJsonOpt, region_map

__all__ = ["publish_command"]


@handle_errors
def publish_command(
    static: Annotated[
        Path,
        typer.Option(
            "--static",
            metavar="DIR",
            help="Folder to write the site into: empty, or an earlier release (format: spec/formats.md §9).",
        ),
    ],
    event: Annotated[
        str | None, typer.Option("--event", metavar="EVENT", help="Event code (needed when there are several).")
    ] = None,
    db: DemoDbOpt = None,
    as_json: JsonOpt = False,
    geojson: GeoJsonOpt = None,
    geojson_key: GeoJsonKeyOpt = None,
) -> None:
    """Write the site (pages per unit in kk/ru/en, JSON, CSV, NIST) as the next hash-chained release.

    The release is provisional, final or certified as the results are; a certified one adds protocol.pdf.
    Unchanged results re-write the last release as it was. With no --db, no SAYLAU_DATABASE_URL and no
    ./saylau.db, the kz-2022 demo is published under a DEMO banner. With --geojson the region map is drawn
    from the file (and map.json records which one); the intraday turnout reports get pages of their own, and
    a risk-limiting audit, once planned, its page, audit.json and its manifest."""
    # lazy: only `publish` loads the site writer (jinja2, reportlab)
    from saylau.services.audit.release import published_audit  # noqa: PLC0415
    from saylau.services.paper.publication import publish_release  # noqa: PLC0415

    with open_or_demo(db, "publisher") as (ctx, demo):
        code = event or only_event(ctx)
        geo = region_map(ctx, geojson, geojson_key, [code])
        release = publish_release(ctx, code, static, demo=demo, geo=geo, audit=published_audit(ctx, code))
    if as_json:
        print_json(
            {
                "event": release.event,
                "number": release.number,
                "kind": release.kind,
                "hash": release.hash,
                "previous": release.previous,
                "created": release.created,
                "files": release.files,
                "demo": demo,
            }
        )
        return
    what = "release" if release.created else "unchanged results: release"
    console.print(
        f"{what} {release.number} ({release.kind}) of {release.event}{' — DEMO' if demo else ''}: "
        f"{release.files:,} files in {static}",
        highlight=False,
    )
    console.print(f"sha256 {release.hash}", highlight=False)
