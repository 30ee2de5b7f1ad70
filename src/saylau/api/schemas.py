"""Response shapes of the JSON API, for the OpenAPI document. The results document is publish.to_json's."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["EventSummary", "PrecinctStateOut", "Problem", "ProblemItem"]


class EventSummary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    title: str
    date: str
    preset: str
    phase: str
    contests: int


class PrecinctStateOut(BaseModel):
    """Where one precinct stands. Operators' names stay in the audit log: they are not published."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    precinct: str
    state: Literal["accepted", "awaiting_second", "mismatch", "missing"]
    version: int
    scan_sha256: str | None = None  # SHA-256 of the current version's scan (GET /events/{code}/precincts/{p}/scan)


class ProblemItem(BaseModel):
    rule: str
    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None


class Problem(BaseModel):
    """application/problem+json (RFC 9457) with saylau's stable error ``code``."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    details: dict[str, object] | None = None
    problems: list[ProblemItem] | None = None
