"""The observers' parallel check on the web (spec/formats.md §16): the public page of a unit's copies, a
copy's photo, the anonymous form of a copy and the observer's form on the commission pages.

The anonymous form's CSRF is a double-submit token, as the log-in form's: the GET sets the cookie
``saylau_copy_csrf`` (HttpOnly, SameSite=Strict) and puts the same value in the form; a POST whose field
differs from its cookie is refused (``csrf``, 403). The observer's form carries the session's token, as
every commission form does. The rules (who, bounds, throttle) live in ``saylau.services.audit.parallel``.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from saylau.api.auth import (
    client_of,
    current_session,
    form_with_file,
    guard,
    new_token,
    require_csrf,
    require_session,
    set_cookie,
)
from saylau.api.security import SANDBOX, attachment
from saylau.model import LANGS, InputError, Lang, UnitKind
from saylau.publish.site.commission import render_commission, with_lang
from saylau.publish.site.copies import copy_form_values, render_copies, render_copy_form
from saylau.publish.site.i18n_copies import copy_strings
from saylau.services.access.accounts import AccessDenied, Account, csrf_ok
from saylau.services.audit import parallel as pc
from saylau.services.context import Context
from saylau.services.paper.events import list_events
from saylau.services.paper.scans import current_scans

__all__ = ["COPY_CSRF_COOKIE", "install_observe", "observe_router"]

COPY_CSRF_COOKIE = "saylau_copy_csrf"
LangQuery = Annotated[Lang, Query(description="Language of the page: kk, ru or en")]
NO_STORE = {"Cache-Control": "no-store"}


def _lang(request: Request) -> Lang:
    value = request.query_params.get("lang")
    return next((lang for lang in LANGS if lang == value), "en")


def _public_routes(router: APIRouter, ctx: Context) -> None:
    @router.get("/events/{code}/units/{unit}/copies", summary="Observers' copies of a unit's protocols, compared")
    def copies(code: str, unit: str, lang: LangQuery = "en") -> HTMLResponse:
        found = pc.list_copies(ctx, code, unit)  # after the embargo, like the official figures
        base = f"/events/{quote(code, safe='')}/precincts"
        scans = {
            str(p): f"{base}/{quote(p, safe='')}/scan?version={s.version}" for p, s in current_scans(ctx, code).items()
        }
        unit_row = found.territory[found.unit]
        listed = [pc.comparison_json(c) for c in found.copies]
        names = {str(c.copy.precinct): found.territory[c.copy.precinct].name(lang) for c in found.copies}
        events = [(str(r.referendum.code), r.referendum.title) for r in list_events(ctx)]
        html = render_copies(
            code,
            found.unit,
            unit_row.name(lang),
            listed,
            found.total,
            lang,
            is_precinct=unit_row.kind is UnitKind.PRECINCT,
            scans=scans,
            names=names,
            events=events,
        )
        return HTMLResponse(html)

    @router.get(
        "/events/{code}/copies/{copy_id}/photo",
        summary="The photo of an observer's copy (PNG or JPEG), as submitted",
        response_class=Response,
        responses={200: {"content": {"image/png": {}, "image/jpeg": {}}, "description": "The photo's bytes"}},
    )
    def photo(
        request: Request,
        code: Annotated[str, Path(description="The event's code")],
        copy_id: Annotated[int, Path(ge=1, le=2**62, description="The copy's number")],
    ) -> Response:
        found, data = pc.copy_photo(ctx, code, copy_id)
        etag = f'"{found.photo_sha256}"'
        extension = "png" if found.photo_media_type == "image/png" else "jpg"
        headers = {
            "ETag": etag,
            "X-Content-SHA256": found.photo_sha256,
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": SANDBOX,
            "Content-Disposition": attachment(f"{code}-copy-{found.id}.{extension}"),
        }
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return Response(content=data, media_type=found.photo_media_type, headers=headers)

    form_path = "/events/{code}/precincts/{precinct}/copy"

    @router.get(form_path, summary="The form of a copy of a precinct's protocol (anyone, no account)")
    def anonymous_form(request: Request, code: str, precinct: str, lang: LangQuery = "en") -> Response:
        form = pc.copy_form(ctx, code, precinct)
        token = new_token()
        html = render_copy_form(
            code,
            form.precinct.code,
            form.precinct.name(lang),
            form.contests,
            lang,
            csrf=token,
            photo_max_bytes=ctx.settings.scans.max_bytes,
        )
        response = HTMLResponse(html, headers=NO_STORE)
        set_cookie(request, response, COPY_CSRF_COOKIE, token, 3600)
        return response

    @router.post(
        form_path,
        summary="Submit a copy without an account: a label, the figures and a photo (multipart field `photo`); "
        "throttled by address",
    )
    async def anonymous_submit(request: Request, code: str, precinct: str) -> Response:
        raw, photo = await form_with_file(request, "photo", ctx.settings.scans.max_bytes)
        cookie = request.cookies.get(COPY_CSRF_COOKIE, "")
        if not cookie or not csrf_ok(cookie, raw.get("csrf")):
            raise AccessDenied("missing or wrong CSRF token (reload the form)", code="csrf")
        lang = _lang(request)
        form = await run_in_threadpool(pc.copy_form, ctx, code, precinct)
        who = pc.Anonymous(raw.get("label", ""), client_of(ctx, request))
        kept, problems, status = await _submit(ctx, code, precinct, raw, photo, who)
        html = render_copy_form(
            code,
            form.precinct.code,
            form.precinct.name(lang),
            form.contests,
            lang,
            csrf=cookie,
            photo_max_bytes=ctx.settings.scans.max_bytes,
            kept=kept,
            problems=problems,
        )
        return HTMLResponse(html, status_code=status, headers=NO_STORE)


async def _submit(
    ctx: Context, code: str, precinct: str, raw: dict[str, str], photo: bytes | None, who: pc.Submitter
) -> tuple[dict[str, Any] | None, list[Any], int]:
    """Parse and submit; a refused input is shown on the form (422), any other refusal is a problem."""
    try:
        figures = await run_in_threadpool(pc.parse_copy_form, ctx, code, precinct, raw)
        compared = await run_in_threadpool(pc.submit_copy, ctx, code, precinct, figures, photo or b"", who)
    except InputError as exc:
        return None, list(exc.problems), 422
    return pc.comparison_json(compared), [], 200


def _observer_routes(router: APIRouter, ctx: Context) -> None:
    path = "/commission/events/{code}/precincts/{precinct}/copy"

    def page(request: Request, info: Any, code: str, form: pc.CopyForm, status: int = 200, **values: Any) -> Response:
        lang = _lang(request)
        html = render_commission(
            "commission_copy",
            lang=lang,
            path=request.url.path,
            query=dict(request.query_params),
            user=info.account,
            csrf=info.csrf,
            c=copy_strings(lang),
            form=copy_form_values(
                code,
                form.precinct.code,
                form.precinct.name(lang),
                form.contests,
                lang,
                ctx.settings.scans.max_bytes,
                commission=True,
            ),
            **values,
        )
        return HTMLResponse(html, status_code=status, headers=NO_STORE)

    @router.get(path, summary="An observer's form of a copy of a precinct's protocol")
    def observer_form(request: Request, code: str, precinct: str, lang: LangQuery = "en") -> Response:
        info = current_session(ctx, request)
        if info is None:
            return _to_login(request)
        form = guard(pc.copy_form, ctx, code, precinct, info.account)
        return page(request, info, code, form, kept=None, problems=[])

    @router.post(path, summary="An observer submits a copy: the figures and a photo (multipart field `photo`)")
    async def observer_submit(request: Request, code: str, precinct: str) -> Response:
        info = await run_in_threadpool(require_session, ctx, request)
        raw, photo = await form_with_file(request, "photo", ctx.settings.scans.max_bytes)
        require_csrf(info, request, raw)
        account: Account = info.account
        form = await run_in_threadpool(guard, pc.copy_form, ctx, code, precinct, account)
        kept, problems, status = await _submit(ctx, code, precinct, raw, photo, account)
        return page(request, info, code, form, status, kept=kept, problems=problems)


def _to_login(request: Request) -> Response:
    asked = "lang" in request.query_params
    return RedirectResponse(with_lang("/login", _lang(request)) if asked else "/login", status_code=303)


def observe_router(ctx: Context) -> APIRouter:
    router = APIRouter(tags=["observers"], default_response_class=HTMLResponse)
    _public_routes(router, ctx)
    _observer_routes(router, ctx)
    return router


def install_observe(app: FastAPI, ctx: Context) -> None:
    app.include_router(observe_router(ctx))
