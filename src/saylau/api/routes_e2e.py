"""The voting booth and bulletin board of an e2e election: a JSON API and two pages (spec/booth.md).

No logic here: every route calls a service (``saylau.services.e2e.board`` for reads, the parser
``saylau.io.ballot_body`` for what a device sends, ``saylau.services.e2e.intake`` for casting (group commit),
``saylau.services.e2e.casting`` for spoiling) and
renders its answer; refusals are SaylauErrors that the one problem+json handler maps (invalid_ballot,
duplicate_ballot_id, duplicate_ciphertext, unknown_credential, revote_refused, too_many_ballots, bad_opening: 400;
e2e_wrong_phase: 409; an unknown election: 404; malformed JSON: 422, a malformed ballot id: 422 bad_ballot_id).

No CSRF protection applies to the two POST routes, on purpose: they use no session and no cookie. A ballot is
authenticated by the Schnorr signature of the voter's credential key over its whole content (C§6.2, §7.3),
which a cross-site request cannot forge; a replayed ballot is refused as a duplicate (C§7.5).
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from saylau.api.problems import PROBLEM_JSON
from saylau.api.schemas import Problem
from saylau.io.ballot_body import parse_spoiled
from saylau.model import InputError, NotFound
from saylau.publish.site.e2e import E2ePage, render_e2e
from saylau.services.context import Context
from saylau.services.e2e.board import (
    MAX_OFFSET,
    MAX_PAGE,
    BoardEntry,
    BoardPage,
    board_page,
    booth_info,
    find_tracking,
)
from saylau.services.e2e.casting import spoil_ballot
from saylau.services.e2e.intake import BallotIntake

__all__ = ["BoardEntryOut", "BoardOut", "CastOut", "DeviceInfo", "SpoiledOut", "e2e_router", "install_e2e"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DeviceInfo(_Out):
    """What a voting device needs (spec/booth.md §1)."""

    election: str
    fingerprint: str = Field(description="E, the election fingerprint (spec/record.md §4)")
    phase: str
    manifest: dict[str, Any] = Field(description="The election manifest M (spec/record.md §4)")
    joint_key: str | None = Field(description="K as 64 hex digits; null before the key ceremony")


class TrackingOut(_Out):
    full: str = Field(description="64 hex digits (spec/crypto.md §9.1)")
    short: str = Field(description="XXXX-XXXX-XXXX-XXXX, base32 of the first 10 bytes")


class CastOut(_Out):
    ballot_id: str
    tracking_code: TrackingOut
    height: int = Field(description="The ballot event's height in the record")
    board: str = Field(description="The board page showing this ballot")


class SpoiledOut(_Out):
    ballot_id: str
    height: int


class BoardEntryOut(_Out):
    """A cast ballot (with its tracking code) or a spoiled one (with the ballot and its opening)."""

    kind: Literal["cast", "spoiled"]
    height: int
    ballot_id: str
    ballot_hash: str
    tracking_code: TrackingOut | None = None
    ballot: dict[str, Any] | None = None
    opening: dict[str, Any] | None = None


class BoardOut(_Out):
    election: str
    fingerprint: str
    phase: str
    cast: int
    spoiled: int
    offset: int
    limit: int
    entries: list[BoardEntryOut]


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "Ballot refused (see `code`)"},
    404: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "No such election or tracking code"},
    409: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "Not possible in the election's phase"},
    422: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "Malformed request"},
}
ElectionPath = Annotated[str, Path(description="The e2e election's id, as in its manifest")]
_BALLOT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An EncryptedBallot as canonical JSON (spec/record.md §2)",
    "required": ["ballot_id", "credential", "questions", "signature"],
}
_SPOILED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A challenged ballot and its opening (spec/record.md §2 EncryptedBallot, SpoiledOpening)",
    "required": ["ballot", "opening"],
    "properties": {
        "ballot": _BALLOT_SCHEMA,
        "opening": {"type": "object", "required": ["ballot_id", "choices", "nonces"]},
    },
}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def _entry(entry: BoardEntry) -> dict[str, Any]:
    tracking = None if entry.tracking is None else {"full": entry.tracking.full, "short": entry.tracking.short}
    out: dict[str, Any] = {
        "kind": entry.kind,
        "height": entry.height,
        "ballot_id": entry.ballot_id,
        "ballot_hash": entry.ballot_hash,
        "tracking_code": tracking,
    }
    if entry.kind == "spoiled":
        out |= {"ballot": entry.ballot, "opening": entry.opening}
    return out


def _board(page: BoardPage) -> dict[str, Any]:
    return {
        "election": page.election,
        "fingerprint": page.fingerprint,
        "phase": page.phase,
        "cast": page.cast,
        "spoiled": page.spoiled,
        "offset": page.offset,
        "limit": page.limit,
        "entries": [_entry(e) for e in page.entries],
    }


def _urls(election: str) -> dict[str, str]:
    code = quote(election, safe="")
    return {"api": f"/api/e2e/{code}", "booth": f"/e2e/{code}/booth", "board": f"/e2e/{code}/board"}


def _render(page: E2ePage, demo: bool, **values: Any) -> HTMLResponse:
    return HTMLResponse(render_e2e(page, demo=demo, **values))


def e2e_router(ctx: Context, demo: bool, intake: BallotIntake) -> APIRouter:
    """The routes; ``intake`` takes the cast ballots (group commit), ``spoil_ballot`` the spoiled ones."""
    router = APIRouter(tags=["e2e"], responses=_ERRORS)

    @router.get(
        "/api/e2e/{election}",
        response_model=DeviceInfo,
        summary="What a voting device needs: manifest, fingerprint, joint key, phase",
    )
    def election(election: ElectionPath) -> dict[str, Any]:
        info = booth_info(ctx, election)
        return {
            "election": info.election,
            "fingerprint": info.fingerprint,
            "phase": info.phase,
            "manifest": info.manifest,
            "joint_key": info.joint_key,
        }

    @router.post(
        "/api/e2e/{election}/ballots",
        status_code=201,
        response_model=CastOut,
        summary="Cast an encrypted ballot; answers its tracking code (no session: the credential signs the ballot)",
        openapi_extra=_body(_BALLOT_SCHEMA),
    )
    async def cast(election: ElectionPath, request: Request) -> JSONResponse:
        body = await request.body()
        # parsed and verified in a worker thread; the commit shared with the ballots arriving together
        receipt = await asyncio.wrap_future(await run_in_threadpool(intake.submit_body, election, body))
        out = {
            "ballot_id": receipt.ballot_id,
            "tracking_code": {"full": receipt.tracking.full, "short": receipt.tracking.short},
            "height": receipt.height,
            "board": f"{_urls(election)['board']}?tracking={receipt.tracking.full}",
        }
        # Built here to the shape of CastOut (documented by response_model): the hot path of intake skips
        # FastAPI's re-validation of its own output.
        return JSONResponse(out, status_code=201)

    @router.post(
        "/api/e2e/{election}/spoiled",
        status_code=201,
        response_model=SpoiledOut,
        summary="Record a challenged (Benaloh) ballot with its opening; it is never counted",
        openapi_extra=_body(_SPOILED_SCHEMA),
    )
    async def spoil(election: ElectionPath, request: Request) -> dict[str, Any]:
        ballot, opening = parse_spoiled(await request.body())
        height = await run_in_threadpool(spoil_ballot, ctx, election, ballot, opening)
        return {"ballot_id": ballot.ballot_id, "height": height}

    @router.get(
        "/api/e2e/{election}/board",
        response_model=BoardOut,
        response_model_exclude_none=True,
        summary="The bulletin board: cast and spoiled ballots in record order",
    )
    def board(
        election: ElectionPath,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Entries to skip")] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Entries to return")] = 100,
    ) -> dict[str, Any]:
        return _board(board_page(ctx, election, offset, limit))

    @router.get(
        "/api/e2e/{election}/board/{tracking}",
        response_model=BoardEntryOut,
        response_model_exclude_none=True,
        summary="Find a cast ballot by its tracking code",
    )
    def lookup(
        election: ElectionPath,
        tracking: Annotated[str, Path(description="Short (XXXX-XXXX-XXXX-XXXX) or full (64 hex) tracking code")],
    ) -> dict[str, Any]:
        return _entry(find_tracking(ctx, election, tracking))

    @router.get("/e2e/{election}/booth", tags=["pages"], response_class=HTMLResponse, summary="The voting booth")
    def booth_page(election: ElectionPath) -> HTMLResponse:
        info = booth_info(ctx, election)
        return _render("booth", demo, info=info, urls=_urls(election))

    @router.get("/e2e/{election}/board", tags=["pages"], response_class=HTMLResponse, summary="The bulletin board")
    def board_html(
        election: ElectionPath,
        tracking: Annotated[str | None, Query(description="A tracking code to look up")] = None,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    ) -> HTMLResponse:
        page = board_page(ctx, election, offset, 100)
        search: dict[str, Any] | None = None
        if tracking:
            try:
                search = {"query": tracking, "entry": _entry(find_tracking(ctx, election, tracking)), "error": None}
            except (NotFound, InputError) as exc:
                search = {"query": tracking, "entry": None, "error": exc.message.splitlines()[0]}
        return _render("board", demo, board=_board(page), search=search, urls=_urls(election))

    return router


def install_e2e(app: FastAPI, ctx: Context) -> None:
    """Mount the booth and board routes (the DEMO banner follows ``app.state.demo``). Cast ballots go
    through the application's ``BallotIntake`` (``app.state.ballot_intake``; its writer thread starts with
    the first ballot), which is drained and stopped when the application shuts down."""
    intake = BallotIntake(ctx)
    app.state.ballot_intake = intake

    async def drain_intake() -> None:
        await run_in_threadpool(intake.close)

    app.router.add_event_handler("shutdown", drain_intake)
    app.include_router(e2e_router(ctx, bool(getattr(app.state, "demo", False)), intake))
