"""The petitions' pages (spec/petitions.md §12): a petition's public page and its JSON (counts only), the
commission's list of petitions (any signed-in account) with the verification form (central members, CSRF,
one-time code). Each handler checks the session (and CSRF on POST) and calls one use case of
``saylau.services.petitions.desk``; the rules live there."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from saylau.api.auth import client_of, current_session, form_of, guard, require_csrf, require_session
from saylau.api.problems import PROBLEM_JSON, status_of
from saylau.api.schemas import Problem
from saylau.model import LANGS, InputError, Lang, SaylauError
from saylau.petitions import Statement
from saylau.petitions.model import MAX_FIELD
from saylau.publish.site.commission import with_lang
from saylau.publish.site.petitions import render_petition_desk, render_petition_public
from saylau.services.access.accounts import SessionInfo
from saylau.services.context import Context
from saylau.services.paper.events import list_events
from saylau.services.petitions.desk import desk_list, desk_verify, public_facts
from saylau.services.petitions.intake import sign_online_public

__all__ = ["install_petitions", "petitions_router"]

LangQuery = Annotated[Lang, Query(description="Language of the page: kk, ru or en")]
DESK = "/commission/petitions"
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "No such petition"},
    422: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "Invalid request"},
    503: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "Database unavailable"},
}


class StatementIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    petition: str = Field(min_length=1, max_length=64)
    identifier: str = Field(min_length=1, max_length=MAX_FIELD)
    name: str = Field(min_length=1, max_length=MAX_FIELD)
    birth_date: dt.date
    signed_on: dt.date


class SignatureIn(BaseModel):
    """An online signature as the browser sends it (spec/petitions.md §3): the statement it signed (its
    canonical JSON bytes are rebuilt by the server), the algorithm, the raw public key and the signature
    (WebCrypto's raw r‖s for ECDSA), both hex."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    statement: StatementIn
    algorithm: Literal["ed25519", "ecdsa-p256"]
    public_key: str = Field(pattern="^[0-9a-f]{64}$|^[0-9a-f]{130}$", description="Raw public key, hex")
    signature: str = Field(pattern="^[0-9a-f]{128}$", description="The 64-byte signature, hex")


class SignatureOut(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    signature: str


def _lang(request: Request) -> Lang:
    value = request.query_params.get("lang")
    return next((lang for lang in LANGS if lang == value), "en")


def _desk_page(ctx: Context, request: Request, info: SessionInfo, status: int = 200, **extra: Any) -> HTMLResponse:
    desk = guard(desk_list, ctx, info.account)
    html = render_petition_desk(
        desk, lang=_lang(request), path=DESK, query=dict(request.query_params), user=info.account, csrf=info.csrf,
        **extra,
    )  # fmt: skip
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


def petitions_router(ctx: Context, demo: bool = False) -> APIRouter:
    router = APIRouter(tags=["petitions"], default_response_class=HTMLResponse)

    @router.get("/petitions/{petition}", summary="A petition: its counts against the threshold, dates, rule")
    def page(request: Request, petition: str, lang: LangQuery = "en") -> HTMLResponse:
        facts = public_facts(ctx, petition)
        events = [(str(r.referendum.code), r.referendum.title) for r in list_events(ctx)]
        return HTMLResponse(render_petition_public(facts, lang, path=request.url.path, demo=demo, events=events))

    @router.get(
        "/api/petitions/{petition}",
        summary="A petition's public facts as JSON: counts only (spec/petitions.md §12)",
        response_class=JSONResponse,
        responses=_ERRORS,
    )
    def as_json(petition: str) -> JSONResponse:
        return JSONResponse(public_facts(ctx, petition), headers={"Cache-Control": "no-cache"})

    @router.post(
        "/api/petitions/{petition}/signatures",
        summary="Sign a petition online (the statement, signed in the browser; verified now; throttled)",
        response_model=SignatureOut,
        response_class=JSONResponse,
        status_code=201,
    )
    async def sign(petition: str, body: SignatureIn, request: Request) -> SignatureOut:
        st = body.statement
        statement = Statement(st.petition, st.identifier, st.name, st.birth_date, st.signed_on)
        client = client_of(ctx, request)
        key, sig = bytes.fromhex(body.public_key), bytes.fromhex(body.signature)
        sid = await run_in_threadpool(sign_online_public, ctx, petition, statement, body.algorithm, key, sig, client)
        return SignatureOut(signature=sid)

    @router.get(DESK, summary="The petitions, their counts and outcome, and the verification form")
    def desk(request: Request, lang: LangQuery = "en") -> Response:
        info = current_session(ctx, request)
        if info is None:
            return RedirectResponse("/login", status_code=303)
        return _desk_page(ctx, request, info)

    @router.post(DESK + "/{petition}/verify", summary="Verify a petition (central, CSRF, one-time code)")
    async def verify(request: Request, petition: str) -> Response:
        info = await run_in_threadpool(require_session, ctx, request)
        form = await form_of(request)
        require_csrf(info, request, form)
        try:
            await run_in_threadpool(
                guard, desk_verify, ctx, info.account, petition, form.get("seed", ""), form.get("totp", "")
            )
        except InputError as exc:
            return await run_in_threadpool(_desk_page, ctx, request, info, 422, problems=list(exc.problems))
        except SaylauError as exc:
            if status_of(exc) not in (400, 409):
                raise
            return await run_in_threadpool(_desk_page, ctx, request, info, status_of(exc), refused=exc.message)
        path = DESK + "#" + quote(petition, safe="")
        return RedirectResponse(with_lang(DESK, _lang(request)) if "lang" in request.query_params else path, 303)

    return router


def install_petitions(app: FastAPI, ctx: Context, demo: bool = False) -> None:
    app.include_router(petitions_router(ctx, demo))
