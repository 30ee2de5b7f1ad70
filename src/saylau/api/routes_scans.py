"""The public scans of the signed paper protocols: ``GET /events/{code}/precincts/{precinct}/scan``.

Live data only, and not before the embargo ends (problem ``embargo``, 409), like the other public routes.
The bytes are served as stored, with their media type and their SHA-256 as the ETag and in
``X-Content-SHA256``, as a download (``Content-Disposition: attachment``) under ``Content-Security-Policy:
sandbox``; ``?version=N`` gives the scan of an earlier accepted version (a corrected protocol).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request, Response

from saylau.api.security import SANDBOX, attachment
from saylau.services.context import Context
from saylau.services.paper.scans import ScanInfo, scan_links, scan_of_version

__all__ = ["precinct_scans", "scan_response", "scans_router"]


def precinct_scans(ctx: Context, code: str, unit: str | None) -> list[dict[str, Any]]:
    """The links of a precinct page to the scans of its accepted versions (none for other units)."""
    base = f"/events/{quote(code, safe='')}/precincts/{quote(unit or '', safe='')}/scan"
    return [
        {
            "url": f"{base}?version={s.version}",
            "version": s.version,
            "sha256": s.sha256,
            "media_type": s.media_type,
            "extension": s.extension,
        }
        for s in (scan_links(ctx, code, unit) if unit else [])
    ]


def scan_response(info: ScanInfo, data: bytes, event: str, request: Request | None = None) -> Response:
    etag = f'"{info.sha256}"'
    headers = {
        "ETag": etag,
        "X-Content-SHA256": info.sha256,
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
        # an upload is downloaded, never shown as a page of this origin (and, if shown, sandboxed)
        "Content-Disposition": attachment(f"{event}-{info.precinct}-v{info.version}.{info.extension}"),
        "Content-Security-Policy": SANDBOX,
    }
    if request is not None and request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(content=data, media_type=info.media_type, headers=headers)


def scans_router(ctx: Context) -> APIRouter:
    router = APIRouter(tags=["results"])

    @router.get(
        "/events/{code}/precincts/{precinct}/scan",
        summary="The scan of a precinct's signed paper protocol (PDF, PNG or JPEG), as published",
        response_class=Response,
        responses={
            200: {
                "content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}},
                "description": "The scan's exact bytes; its SHA-256 is the ETag",
            }
        },
    )
    def scan(
        request: Request,
        code: Annotated[str, Path(description="The event's code")],
        precinct: Annotated[str, Path(description="A precinct's code")],
        version: Annotated[
            int | None, Query(ge=1, description="An accepted version (default: the current one)")
        ] = None,
    ) -> Response:
        info, data = scan_of_version(ctx, code, precinct, version)
        return scan_response(info, data, code, request)

    return router
