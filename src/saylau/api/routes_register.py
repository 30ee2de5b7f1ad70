"""The voter register's one public route (spec/register.md §8): a voter checks their own entry with their
identifier and birth date, throttled per identifier and per address; the answer is the precinct and the
status, nothing of anyone else. The register itself is never served."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, FastAPI, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from saylau.api.auth import client_of
from saylau.services.context import Context
from saylau.services.register import check_own_entry

__all__ = ["install_register", "register_router"]


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

    return router


def install_register(app: FastAPI, ctx: Context) -> None:
    app.include_router(register_router(ctx))
