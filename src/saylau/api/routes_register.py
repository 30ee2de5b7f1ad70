"""The voter register's public routes (spec/register.md §8): a voter checks their own entry with their
identifier and birth date, as JSON or through a page with its form (a double-submit CSRF token, as the
observers' anonymous form), throttled per identifier and per address; the answer is the precinct and the
status, nothing of anyone else. The register itself is never served."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from saylau.api.auth import client_of, form_of, new_token, set_cookie
from saylau.model import LANGS, Lang, NotFound
from saylau.publish.site.register_check import REGISTER_CHECK_PATH, render_register_check
from saylau.services.access.accounts import AccessDenied, csrf_ok
from saylau.services.context import Context
from saylau.services.register import check_own_entry

__all__ = ["REGISTER_CSRF_COOKIE", "install_register", "register_router"]

REGISTER_CSRF_COOKIE = "saylau_register_csrf"
NO_STORE = {"Cache-Control": "no-store"}


def _lang(request: Request) -> Lang:
    value = request.query_params.get("lang")
    return next((lang for lang in LANGS if lang == value), "en")


class OwnEntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    identifier: str = Field(min_length=1, max_length=64, description="The voter's identifier (IIN)")
    birth_date: dt.date = Field(description="The voter's birth date, YYYY-MM-DD")


class OwnEntryOut(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    precinct: str
    status: str


def register_router(ctx: Context) -> APIRouter:
    router = APIRouter(tags=["register"])

    @router.post(
        "/api/register/check",
        response_model=OwnEntryOut,
        summary="A voter's check of their own register entry (identifier and birth date; rate limited)",
    )
    async def check(body: OwnEntryIn, request: Request) -> OwnEntryOut:
        client = client_of(ctx, request)
        entry = await run_in_threadpool(check_own_entry, ctx, body.identifier, body.birth_date, client)
        return OwnEntryOut(precinct=entry.precinct, status=entry.status.value)

    @router.get(REGISTER_CHECK_PATH, summary="The page where a voter checks their own register entry")
    def check_page(request: Request) -> Response:
        token = new_token()
        response = HTMLResponse(render_register_check(_lang(request), csrf=token), headers=NO_STORE)
        set_cookie(request, response, REGISTER_CSRF_COOKIE, token, 3600)
        return response

    @router.post(REGISTER_CHECK_PATH, summary="Check one's own register entry from the page's form (rate limited)")
    async def check_form(request: Request) -> Response:
        form = await form_of(request)
        cookie = request.cookies.get(REGISTER_CSRF_COOKIE, "")
        if not cookie or not csrf_ok(cookie, form.get("csrf")):
            raise AccessDenied("missing or wrong CSRF token (reload the form)", code="csrf")
        lang = _lang(request)
        try:
            born = dt.date.fromisoformat(form.get("born", ""))
        except ValueError:
            html = render_register_check(lang, csrf=cookie, problem="bad_date")
            return HTMLResponse(html, status_code=422, headers=NO_STORE)
        identifier = form.get("identifier", "").strip()[:64]
        try:
            entry = await run_in_threadpool(check_own_entry, ctx, identifier, born, client_of(ctx, request))
        except NotFound:
            html = render_register_check(lang, csrf=cookie, problem="not_found")
            return HTMLResponse(html, status_code=404, headers=NO_STORE)
        found = {"precinct": entry.precinct, "status": entry.status.value}
        return HTMLResponse(render_register_check(lang, csrf=cookie, found=found), headers=NO_STORE)

    return router


def install_register(app: FastAPI, ctx: Context) -> None:
    app.include_router(register_router(ctx))
