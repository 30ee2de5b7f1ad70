"""The form of a copy of one precinct's protocol: its contests and fields by the event's protocol layout, and
the copy's figures parsed from the form's fields or from a protocol file holding the one precinct."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from saylau.count.layout import ProtocolLayout, event_rules, protocol_layout
from saylau.io import parse_protocols
from saylau.io.entry_form import parse_counts
from saylau.model import (
    InputError,
    NotFound,
    Problem,
    QuestionCode,
    Territory,
    Unit,
    UnitCode,
    UnitKind,
)
from saylau.services.access.accounts import Account
from saylau.services.audit.parallel.submitters import require_observer
from saylau.services.context import Context
from saylau.services.lookup import load_event, require_territory
from saylau.store import EventRow

__all__ = ["CopyForm", "copy_form", "layout", "parse_copy_file", "parse_copy_form", "precinct_of"]


def layout(ctx: Context, code: str) -> tuple[EventRow, Territory, ProtocolLayout]:
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        territory = require_territory(tx, row)
    return row, territory, protocol_layout(row.referendum, event_rules(row.referendum), territory)


def precinct_of(territory: Territory, code: str, precinct: str) -> UnitCode:
    p = UnitCode(precinct)
    if p not in territory or territory[p].kind is not UnitKind.PRECINCT:
        raise NotFound(f"no precinct {precinct!r} in event {code!r}", details={"event": code, "precinct": precinct})
    return p


@dataclass(frozen=True, slots=True)
class _FormContest:
    code: QuestionCode
    fields: tuple[str, ...]


def parse_copy_form(
    ctx: Context, code: str, precinct: str, raw: Mapping[str, str]
) -> dict[QuestionCode, dict[str, int]]:
    """Form fields ``<contest>.<field>`` of a copy as whole numbers (every bad field named)."""
    return parse_counts(raw, [_FormContest(q, f) for q, f in copy_form(ctx, code, precinct).contests])


def parse_copy_file(
    ctx: Context, code: str, precinct: str, data: bytes, source: str, fmt: Literal["csv", "json"]
) -> dict[QuestionCode, dict[str, int]]:
    """A copy as a protocol file (spec/formats.md §3) holding exactly the one precinct."""
    row, territory, ballot = layout(ctx, code)
    p = precinct_of(territory, code, precinct)
    questions = [q.code for q in row.referendum.contests]
    parsed = parse_protocols(data, source, fmt, questions, ballot.fields, contests_of=ballot.contests_of)
    if [x.protocol.precinct for x in parsed] != [p]:
        found = ", ".join(sorted(x.protocol.precinct for x in parsed)) or "none"
        message = f"a copy holds the protocol of precinct {p} only (the file has: {found})"
        raise InputError([Problem("copy_precinct", message, file=source, field="precinct")])
    return {q: dict(c) for q, c in parsed[0].protocol.counts.items()}


@dataclass(frozen=True, slots=True)
class CopyForm:
    """What the form of a copy of one precinct's protocol shows."""

    precinct: Unit
    contests: list[tuple[QuestionCode, tuple[str, ...]]]


def copy_form(ctx: Context, code: str, precinct: str, account: Account | None = None) -> CopyForm:
    """The precinct and the contests and fields of its protocol; with ``account``, only an observer's."""
    if account is not None:
        require_observer(account)
    _, territory, ballot = layout(ctx, code)
    p = precinct_of(territory, code, precinct)
    return CopyForm(territory[p], [(q, ballot.fields[q]) for q in ballot.contests_of(p)])
