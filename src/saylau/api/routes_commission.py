"""The commission pages: log in, completeness board, protocol entry (blind double entry) with the scan of
the signed protocol, corrections, CSV batches, phase changes, the audit log and the administrator's
accounts page, in kk, ru or en (``?lang=``). Each handler checks the session (and CSRF on POST) and calls
one use case; the rules live in ``saylau.services``. Refusals of access are problems ``forbidden`` (403)
and ``not_authenticated`` (401).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

import pyotp
from fastapi import APIRouter, FastAPI, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from saylau.api.auth import (
    LOGIN_CSRF_COOKIE,
    clear_session_cookie,
    client_of,
    current_session,
    form_of,
    form_with_file,
    guard,
    new_token,
    require_csrf,
    require_session,
    set_cookie,
    set_session_cookie,
)
from saylau.api.routes_scans import scan_response, scans_router
from saylau.model import LANGS, TRANSITIONS, InputError, Lang, Phase
from saylau.publish.site.commission import render_commission, with_lang
from saylau.services.access.accounts import AccessDenied, NotAuthenticated, SessionInfo, csrf_ok, login, logout
from saylau.services.access.admin import AccountAction, account_overview, admin_action
from saylau.services.context import Context
from saylau.services.paper import commission as c
from saylau.services.paper.events import list_events

__all__ = ["commission_router", "install_commission"]


LangQuery = Annotated[Lang, Query(description="Language of the page: kk, ru or en")]


def _lang(request: Request) -> Lang:
    """The page's language from ``?lang=`` (English when absent or unknown, as a POST's target may be)."""
    value = request.query_params.get("lang")
    return next((lang for lang in LANGS if lang == value), "en")


def _page(request: Request, page: str, info: SessionInfo | None, status: int = 200, **values: Any) -> HTMLResponse:
    user = info.account if info else None
    html = render_commission(
        page,
        lang=_lang(request),
        path=request.url.path,
        query=dict(request.query_params),
        user=user,
        csrf=info.csrf if info else "",
        **values,
    )
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


def _to(request: Request, path: str) -> RedirectResponse:
    """A redirect to ``path``, in the language asked for (none asked: the plain path)."""
    asked = "lang" in request.query_params
    return RedirectResponse(with_lang(path, _lang(request)) if asked else path, status_code=303)


def _to_login(request: Request) -> RedirectResponse:
    return _to(request, "/login")


def _login_routes(router: APIRouter, ctx: Context) -> None:
    @router.get("/login", summary="The commission's log-in form")
    def login_form(request: Request, lang: LangQuery = "en") -> Response:
        token = new_token()
        response = _page(request, "login", None, login_csrf=token, error=None)
        set_cookie(request, response, LOGIN_CSRF_COOKIE, token, 3600)
        return response

    @router.post("/login", summary="Log in: password (argon2), then a session cookie")
    async def do_login(request: Request) -> Response:
        form = await form_of(request)
        if not csrf_ok(request.cookies.get(LOGIN_CSRF_COOKIE, ""), form.get("csrf")) or not form.get("csrf"):
            raise AccessDenied("missing or wrong CSRF token (reload the log-in page)", code="csrf")
        name, client = form.get("name", ""), client_of(ctx, request)
        token = new_token()
        try:  # throttled (429 with Retry-After) by the service, in the database every worker shares
            await run_in_threadpool(login, ctx, name, form.get("password", ""), token, new_token(), client)
        except NotAuthenticated:
            retry = new_token()
            refused: Response = _page(request, "login", None, 401, login_csrf=retry, error=True)
            set_cookie(request, refused, LOGIN_CSRF_COOKIE, retry, 3600)
            return refused
        response = _to(request, "/commission")
        set_session_cookie(request, response, token)
        response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
        return response

    @router.post("/logout", summary="Log out: the session is deleted")
    async def do_logout(request: Request) -> Response:
        info = await run_in_threadpool(require_session, ctx, request)
        require_csrf(info, request, await form_of(request))
        await run_in_threadpool(logout, ctx, request.cookies.get("saylau_session", ""), info.account.name)
        response = _to_login(request)
        clear_session_cookie(response)
        return response


def _board_routes(router: APIRouter, ctx: Context) -> None:
    @router.get("/commission", summary="The events a member works on")
    def events(request: Request, lang: LangQuery = "en") -> Response:
        info = current_session(ctx, request)
        if info is None:
            return _to_login(request)
        rows = [{"code": r.referendum.code, "title": r.referendum.title, "phase": r.phase} for r in list_events(ctx)]
        return _page(request, "commission_events", info, events_list=rows)

    @router.get("/commission/events/{code}", summary="Completeness board of a unit")
    def board(
        request: Request, code: str, unit: Annotated[str | None, Query()] = None, lang: LangQuery = "en"
    ) -> Response:
        info = current_session(ctx, request)
        if info is None:
            return _to_login(request)
        b = guard(c.board, ctx, info.account, code, unit)
        return _page(request, "commission_board", info, board=b, next_phases=sorted(TRANSITIONS[b.phase]))

    @router.post("/commission/events/{code}/phase", summary="Move the phase (central, one-time code)")
    async def phase(request: Request, code: str) -> Response:
        info = await run_in_threadpool(require_session, ctx, request)
        form = await form_of(request)
        require_csrf(info, request, form)
        target = _phase(form.get("target", ""))
        await run_in_threadpool(guard, c.change_phase, ctx, info.account, code, target, form.get("totp", ""))
        return _to(request, f"/commission/events/{quote(code, safe='')}")

    @router.get("/commission/events/{code}/audit", summary="The audit log of an event (observers included)")
    def audit(request: Request, code: str, lang: LangQuery = "en") -> Response:
        info = current_session(ctx, request)
        if info is None:
            return _to_login(request)
        rows = guard(c.audit_log, ctx, info.account, code)
        return _page(request, "commission_audit", info, event=code, rows=rows)

    @router.get("/commission/audit", summary="The log of accounts and sessions")
    def audit_accounts(request: Request, lang: LangQuery = "en") -> Response:
        info = current_session(ctx, request)
        if info is None:
            return _to_login(request)
        rows = guard(c.audit_log, ctx, info.account, None)
        return _page(request, "commission_audit", info, event=None, rows=rows)


def _phase(value: str) -> Phase:
    try:
        return Phase(value)
    except ValueError as exc:
        raise HTTPException(422, f"no phase {value!r}") from exc


def _entry_routes(router: APIRouter, ctx: Context) -> None:
    base = "/commission/events/{code}/precincts/{precinct}"

    @router.get(base, summary="Protocol entry of a precinct (never shows an earlier entry to who may key)")
    def entry(request: Request, code: str, precinct: str, lang: LangQuery = "en") -> Response:
        info = current_session(ctx, request)
        if info is None:
            return _to_login(request)
        form = guard(c.entry_form, ctx, info.account, code, precinct)
        return _page(request, "commission_entry", info, form=form, result=None)

    @router.post(
        base,
        summary="Key one entry, with the scan of the signed protocol (multipart field `scan`: PDF, PNG or JPEG); "
        "a correction needs a reason; accepting needs a one-time code",
    )
    async def submit(request: Request, code: str, precinct: str) -> Response:
        info = await run_in_threadpool(require_session, ctx, request)
        raw, scan = await form_with_file(request, "scan", ctx.settings.scans.max_bytes)
        require_csrf(info, request, raw)
        reason, totp = raw.get("reason", ""), raw.get("totp", "")
        result = await run_in_threadpool(
            guard, c.submit_entry, ctx, info.account, code, precinct, raw, reason, totp, scan
        )
        form = await run_in_threadpool(guard, c.entry_form, ctx, info.account, code, precinct)
        return _page(request, "commission_entry", info, form=form, result=result)

    @router.get(base + "/scan", summary="The scan of an accepted version (default: the current one)")
    def scan(
        request: Request, code: str, precinct: str, version: Annotated[int | None, Query(ge=1)] = None
    ) -> Response:
        info = current_session(ctx, request)
        if info is None:
            return _to_login(request)
        found, data = guard(c.entry_scan, ctx, info.account, code, precinct, version)
        return scan_response(found, data, code, request)

    @router.post(base + "/check", summary="Control relations of the values typed so far (nothing stored)")
    async def check(request: Request, code: str, precinct: str) -> JSONResponse:
        info = await run_in_threadpool(require_session, ctx, request)
        raw = await form_of(request)
        require_csrf(info, request, None)
        return JSONResponse(await run_in_threadpool(guard, c.check_entry, ctx, info.account, code, precinct, raw))


def _upload_routes(router: APIRouter, ctx: Context) -> None:
    @router.get("/commission/events/{code}/upload", summary="Upload a CSV batch")
    def upload_form(request: Request, code: str, lang: LangQuery = "en") -> Response:
        info = current_session(ctx, request)
        if info is None:
            return _to_login(request)
        return _page(request, "commission_upload", info, event=code, rows=[], problems=[], fields=[])

    @router.post("/commission/events/{code}/upload", summary="Enter a CSV batch; a per-row report")
    async def upload(request: Request, code: str) -> Response:
        info = await run_in_threadpool(require_session, ctx, request)
        form = await form_of(request)
        require_csrf(info, request, form)
        data, totp = form.get("csv", "").encode("utf-8"), form.get("totp", "")
        try:
            rows = await run_in_threadpool(guard, c.upload_batch, ctx, info.account, code, data, "upload.csv", totp)
        except InputError as exc:
            return _page(request, "commission_upload", info, 422, event=code, rows=[], problems=exc.problems, fields=[])
        return _page(request, "commission_upload", info, event=code, rows=rows, problems=[], fields=[])


def _accounts_routes(router: APIRouter, ctx: Context) -> None:
    """The accounts page: administrators only (the rule is ``services.account_admin``)."""

    @router.get("/commission/accounts", summary="Accounts: disable, enable, reset password or TOTP, end sessions")
    def accounts(request: Request, lang: LangQuery = "en") -> Response:
        info = current_session(ctx, request)
        if info is None:
            return _to_login(request)
        rows = guard(account_overview, ctx, info.account)
        return _page(request, "commission_accounts", info, accounts=rows, done=None, problems=[])

    def act(action: AccountAction) -> None:
        async def handler(request: Request) -> Response:
            info = await run_in_threadpool(require_session, ctx, request)
            form = await form_of(request)
            require_csrf(info, request, form)
            name, totp, password = form.get("account", ""), form.get("totp", ""), form.get("password", "")
            secret = pyotp.random_base32() if action is AccountAction.RESET_TOTP else ""
            problems: list[Any] = []
            try:
                done = await run_in_threadpool(
                    guard, admin_action, ctx, info.account, action, name, totp, password=password, totp_secret=secret
                )
            except InputError as exc:
                done, problems = None, list(exc.problems)
            rows = await run_in_threadpool(guard, account_overview, ctx, info.account)
            status = 422 if problems else 200
            return _page(request, "commission_accounts", info, status, accounts=rows, done=done, problems=problems)

        router.add_api_route(
            f"/commission/accounts/{action.value}",
            handler,
            methods=["POST"],
            summary=f"Account action {action.value!r} (admin, CSRF, the admin's one-time code; ends the "
            "account's sessions; logged)",
            name=f"account_{action.value.replace('-', '_')}",
        )

    for action in AccountAction:
        act(action)


def commission_router(ctx: Context) -> APIRouter:
    router = APIRouter(tags=["commission"], default_response_class=HTMLResponse)
    _login_routes(router, ctx)
    _board_routes(router, ctx)
    _entry_routes(router, ctx)
    _upload_routes(router, ctx)
    _accounts_routes(router, ctx)
    return router


def install_commission(app: FastAPI, ctx: Context) -> None:
    """The commission router (api.security keeps its pages out of frames and caches)."""
    app.include_router(commission_router(ctx))
    app.include_router(scans_router(ctx))  # the public scans of the protocols the commission accepted
