"""The risk-limiting audit's pages (spec/audit.md §15): the commission's status page with its forms (plan,
manifest, seed, draw: central members; a drawn batch's hand count: counting members of its units), and
the public page, its JSON and the manifest's file. Each handler checks the session (and CSRF on POST) and
calls one use case of ``saylau.services.audit.desk`` or ``.reading``; the rules live there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from saylau.api.auth import current_session, form_of, form_with_file, guard, require_csrf, require_session
from saylau.api.problems import status_of
from saylau.api.security import attachment
from saylau.io.cvr import MAX_CVR_BYTES
from saylau.model import LANGS, InputError, Lang, NotFound, SaylauError
from saylau.publish.site.audit import render_audit_desk, render_audit_public
from saylau.publish.site.commission import with_lang
from saylau.services.access.accounts import SessionInfo
from saylau.services.audit import desk as d
from saylau.services.audit.reading import audit_view, manifest_file, public_json
from saylau.services.context import Context
from saylau.services.paper.events import list_events

__all__ = ["audit_router", "install_audit"]

LangQuery = Annotated[Lang, Query(description="Language of the page: kk, ru or en")]
DESK = "/commission/events/{code}/rla"


def _lang(request: Request) -> Lang:
    value = request.query_params.get("lang")
    return next((lang for lang in LANGS if lang == value), "en")


def _desk_page(
    request: Request, page: str, info: SessionInfo, code: str, status: int = 200, **values: Any
) -> HTMLResponse:
    html = render_audit_desk(
        page,
        lang=_lang(request),
        path=request.url.path,
        query=dict(request.query_params),
        user=info.account,
        csrf=info.csrf,
        code=code,
        **values,
    )
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


def _desk_url(request: Request, code: str) -> str:
    path = DESK.replace("{code}", quote(code, safe=""))
    return with_lang(path, _lang(request)) if "lang" in request.query_params else path


def _status_page(
    ctx: Context, request: Request, info: SessionInfo, code: str, status: int = 200, **extra: Any
) -> HTMLResponse:
    desk = guard(d.desk_view, ctx, info.account, code)
    values = {"audit": d.desk_json(desk), "refused": None, "problems": []} | extra
    return _desk_page(request, "commission_rla", info, code, status, **values)


def _shown(exc: SaylauError) -> bool:
    """A refusal of the audit's rules is shown on its page; refusals of access and unknown events are
    problems (403, 401, 404, 429) as everywhere."""
    return status_of(exc) in (400, 409)


def _desk_routes(router: APIRouter, ctx: Context) -> None:
    @router.get(DESK, summary="The risk-limiting audit of an event: its state and the forms a member may use")
    def desk(request: Request, code: str, lang: LangQuery = "en") -> Response:
        info = current_session(ctx, request)
        if info is None:
            return RedirectResponse("/login", status_code=303)
        return _status_page(ctx, request, info, code)

    def action(
        name: str, summary: str, run: Callable[[SessionInfo, str, dict[str, str], bytes | None], object], file: str = ""
    ) -> None:
        async def handler(request: Request, code: str) -> Response:
            info = await run_in_threadpool(require_session, ctx, request)
            if file:  # a form with one file (multipart/form-data)
                form, data = await form_with_file(request, file, MAX_CVR_BYTES)
            else:
                form, data = await form_of(request), None
            require_csrf(info, request, form)
            try:
                await run_in_threadpool(guard, run, info, code, form, data)
            except InputError as exc:
                return await run_in_threadpool(_status_page, ctx, request, info, code, 422, problems=list(exc.problems))
            except SaylauError as exc:
                if not _shown(exc):
                    raise
                return await run_in_threadpool(
                    _status_page, ctx, request, info, code, status_of(exc), refused=exc.message
                )
            return RedirectResponse(_desk_url(request, code), status_code=303)

        router.add_api_route(DESK + "/" + name, handler, methods=["POST"], summary=summary, name=f"audit_{name}")

    action(
        "plan",
        "Plan the audit (central, CSRF, one-time code): risk limit, method, and a question or an election contest",
        lambda info, code, f, _: d.desk_plan(
            ctx,
            info.account,
            code,
            f.get("risk_limit", "0.05"),
            f.get("method", "macro"),
            f.get("totp", ""),
            f.get("contest", ""),
        ),
    )
    action(
        "manifest",
        "Publish the manifest (central, one-time code)",
        lambda info, code, f, _: d.desk_manifest(ctx, info.account, code, f.get("totp", "")),
    )
    action(
        "cvr",
        "One precinct's cast-vote records for a comparison audit, before the manifest (central, one-time code; "
        'multipart field `cvr`: the file of spec/formats.md "Cast-vote records")',
        lambda info, code, f, data: d.desk_cvr(ctx, info.account, code, f.get("unit", ""), data, f.get("totp", "")),
        file="cvr",
    )
    action(
        "seed",
        "One central member's entry of the 20-digit seed (one-time code); a second member's must agree",
        lambda info, code, f, _: d.desk_seed(ctx, info.account, code, f.get("digits", ""), f.get("totp", "")),
    )
    action(
        "draw",
        "Draw the next round (central, one-time code)",
        lambda info, code, f, _: d.desk_draw(ctx, info.account, code, f.get("totp", "")),
    )

    batch_path = DESK + "/batches/{batch}"

    @router.get(batch_path, summary="The hand-count form of a drawn batch (never shows another entry's figures)")
    def batch(request: Request, code: str, batch: str, lang: LangQuery = "en") -> Response:
        info = current_session(ctx, request)
        if info is None:
            return RedirectResponse("/login", status_code=303)
        return _batch_page(request, info, code, batch)

    def _batch_page(
        request: Request, info: SessionInfo, code: str, batch: str, status: int = 200, **extra: Any
    ) -> HTMLResponse:
        form = guard(d.desk_batch, ctx, info.account, code, batch)
        values = {"form": d.batch_form_json(form), "kept": False, "refused": None, "problems": []} | extra
        return _desk_page(request, "commission_rla_batch", info, code, status, **values)

    @router.post(batch_path, summary="One operator's hand count of a drawn batch (counting member, one-time code)")
    async def enter(request: Request, code: str, batch: str) -> Response:
        info = await run_in_threadpool(require_session, ctx, request)
        form = await form_of(request)
        require_csrf(info, request, form)
        try:
            await run_in_threadpool(guard, d.desk_enter, ctx, info.account, code, batch, form, form.get("totp", ""))
        except InputError as exc:
            return await run_in_threadpool(_batch_page, request, info, code, batch, 422, problems=list(exc.problems))
        except SaylauError as exc:
            if not _shown(exc):
                raise
            return await run_in_threadpool(_batch_page, request, info, code, batch, status_of(exc), refused=exc.message)
        return await run_in_threadpool(_batch_page, request, info, code, batch, kept=True)


def _public_routes(router: APIRouter, ctx: Context, demo: bool) -> None:
    @router.get("/events/{code}/audit", summary="The risk-limiting audit of an event: plan, manifest, seed, rounds")
    def page(request: Request, code: str, lang: LangQuery = "en") -> HTMLResponse:
        try:
            facts: dict[str, Any] | None = public_json(audit_view(ctx, code))
        except NotFound as exc:
            if exc.code != "no_audit":
                raise
            facts = None
        events = [(str(r.referendum.code), r.referendum.title) for r in list_events(ctx)]
        return HTMLResponse(render_audit_public(facts, code, lang, path=request.url.path, demo=demo, events=events))

    @router.get(
        "/events/{code}/audit.json",
        tags=["results"],
        summary="The risk-limiting audit as JSON: the same facts as its page (spec/audit.md §15)",
        response_class=JSONResponse,
    )
    def as_json(code: str) -> JSONResponse:
        return JSONResponse(public_json(audit_view(ctx, code)), headers={"Cache-Control": "no-cache"})

    @router.get(
        "/events/{code}/audit/manifest.json",
        tags=["results"],
        summary="The audit's manifest, its exact bytes (their SHA-256 is in the audit record)",
        response_class=Response,
    )
    def manifest(code: str) -> Response:
        text, digest = manifest_file(ctx, code)
        headers = {"Content-Disposition": attachment(f"{code}-audit-manifest.json"), "X-Content-SHA256": digest}
        return Response(text.encode("utf-8"), media_type="application/json", headers=headers)


def audit_router(ctx: Context, demo: bool = False) -> APIRouter:
    router = APIRouter(tags=["audit"], default_response_class=HTMLResponse)
    _desk_routes(router, ctx)
    _public_routes(router, ctx, demo)
    return router


def install_audit(app: FastAPI, ctx: Context, demo: bool = False) -> None:
    app.include_router(audit_router(ctx, demo))
