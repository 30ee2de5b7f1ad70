"""Reads for the voting booth and the public bulletin board of an e2e election (spec/record.md §2, §5;
spec/booth.md). What a voter's device sends is parsed by ``saylau.io.ballot_body``.

The board lists what the record already publishes: every cast ballot's chained tracking code (C§9), ballot hash
and height, and every spoiled ballot with its opening (C§7.7). Casting and spoiling themselves are
:func:`saylau.services.e2e.casting.cast_ballot` and :func:`~saylau.services.e2e.casting.spoil_ballot`.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from saylau.crypto.hashing import short_code
from saylau.crypto.tracking import TrackingCode
from saylau.model import InputError, NotFound, Problem
from saylau.record.events import EventType
from saylau.record.figures import BallotFigures
from saylau.services.context import Context
from saylau.services.e2e.state import load_state
from saylau.store.e2e_board_repo import ballot_counts, ballot_page, cast_by_tracking, cast_by_tracking_prefix
from saylau.store.e2e_repo import BallotRow, E2eTx

__all__ = [
    "MAX_OFFSET",
    "MAX_PAGE",
    "BoardEntry",
    "BoardPage",
    "BoothInfo",
    "ballot_figures",
    "board_page",
    "booth_info",
    "find_tracking",
    "normalise_tracking",
]

MAX_PAGE = 500
MAX_OFFSET = 2**62  # a record never holds this many events; larger values would overflow the database's 64-bit integer
"""The largest page of the board one request returns."""

_FULL = re.compile(r"[0-9a-f]{64}")
_SHORT = re.compile(r"[A-Z2-7]{16}")


@dataclass(frozen=True, slots=True)
class BoothInfo:
    """What a voting device needs: the manifest, its fingerprint E, the joint key K (once keyed) and the phase."""

    election: str
    fingerprint: str
    phase: str
    manifest: dict[str, Any]
    joint_key: str | None


@dataclass(frozen=True, slots=True)
class BoardEntry:
    """One line of the board: a cast ballot (with its tracking code) or a spoiled one (with ballot and opening)."""

    kind: Literal["cast", "spoiled"]
    height: int
    ballot_id: str
    ballot_hash: str
    tracking: TrackingCode | None
    ballot: dict[str, Any] | None  # spoiled only: the ballot, so anyone can re-check the opening
    opening: dict[str, Any] | None  # spoiled only


@dataclass(frozen=True, slots=True)
class BoardPage:
    election: str
    fingerprint: str
    phase: str
    cast: int
    spoiled: int
    offset: int
    limit: int
    entries: tuple[BoardEntry, ...]


def booth_info(ctx: Context, code: str) -> BoothInfo:
    with ctx.store.transaction() as tx:
        x = E2eTx(tx)
        state = load_state(x, code)
        keyed = x.events(state.row.id, [EventType.JOINT_KEY])
    key = str(json.loads(keyed[0].payload)["joint_key"]) if keyed else None
    return BoothInfo(code, state.row.fingerprint, state.phase.value, state.manifest.plain(), key)


def _entries(x: E2eTx, election_id: int, rows: Sequence[BallotRow]) -> tuple[BoardEntry, ...]:
    """The board entries of these ballot rows; a spoiled one with its ballot and opening, from its event."""
    spoiled = [r.height for r in rows if r.kind == "spoiled"]
    events = {event.height: event for event in x.events_at(election_id, spoiled)}
    out: list[BoardEntry] = []
    for r in rows:
        if r.kind == "cast":
            out.append(BoardEntry("cast", r.height, r.ballot_id, r.ballot_hash, _tracking(r.tracking_code), None, None))
            continue
        payload = json.loads(events[r.height].payload)
        ballot, opening = payload["ballot"], payload["opening"]
        out.append(BoardEntry("spoiled", r.height, ballot["ballot_id"], payload["ballot_hash"], None, ballot, opening))
    return tuple(out)


def _tracking(full: str | None) -> TrackingCode | None:
    return None if full is None else TrackingCode(full, short_code(full))


def board_page(ctx: Context, code: str, offset: int = 0, limit: int = 100) -> BoardPage:
    """Cast and spoiled ballots in record order, ``limit`` (≤ MAX_PAGE) of them from ``offset``: a bounded,
    indexed read (store.e2e_board_repo), whatever the number of ballots."""
    if not 0 <= offset <= MAX_OFFSET or not 1 <= limit <= MAX_PAGE:
        raise InputError([Problem("page", f"0 ≤ offset ≤ 2**62 and 1 ≤ limit ≤ {MAX_PAGE}", field="limit")])
    with ctx.store.transaction() as tx:
        x = E2eTx(tx)
        state = load_state(x, code)
        counts = ballot_counts(x, state.row.id)
        page = _entries(x, state.row.id, ballot_page(x, state.row.id, offset, limit))
    cast, spoiled = counts["cast"], counts["spoiled"]
    return BoardPage(code, state.row.fingerprint, state.phase.value, cast, spoiled, offset, limit, page)


def ballot_figures(ctx: Context, code: str) -> BallotFigures:
    """The figures of the ballot summary (spec/record.md §10): cast and spoiled by two index probes, counted
    as the credentials among the cast ballots (each one's last ballot is what the tally adds up)."""
    with ctx.store.transaction() as tx:
        x = E2eTx(tx)
        state = load_state(x, code)
        counts = ballot_counts(x, state.row.id)
        counted = len({b.credential for b in x.cast_ballots(state.row.id)})
    return BallotFigures(cast=counts["cast"], spoiled=counts["spoiled"], counted=counted)


def normalise_tracking(text: str) -> str:
    """A full code (64 hex digits, any case) in lower case, or a short one (16 base32 letters, dashes and
    spaces ignored, any case) in its grouped upper-case form; anything else is an InputError."""
    compact = re.sub(r"[\s-]", "", text)
    if _FULL.fullmatch(compact.lower()):
        return compact.lower()
    if _SHORT.fullmatch(compact.upper()):
        upper = compact.upper()
        return "-".join(upper[i : i + 4] for i in range(0, 16, 4))
    raise InputError(
        [Problem("tracking_code", "a tracking code is 16 letters and digits (XXXX-XXXX-XXXX-XXXX) or 64 hex digits")],
        summary=f"{text[:80]!r} is not a tracking code",
    )


def find_tracking(ctx: Context, code: str, tracking: str) -> BoardEntry:
    """The cast ballot with this tracking code (full or short form); NotFound if there is none. One probe
    of the (election, tracking code) index; the short form is its 80-bit prefix (C§9.1)."""
    wanted = normalise_tracking(tracking)
    with ctx.store.transaction() as tx:
        x = E2eTx(tx)
        state = load_state(x, code)
        if len(wanted) == 64:
            row = cast_by_tracking(x, state.row.id, wanted)
        else:
            prefix = base64.b32decode(wanted.replace("-", "")).hex()
            row = cast_by_tracking_prefix(x, state.row.id, prefix)
    found = None if row is None else _tracking(row.tracking_code)
    if row is not None and found is not None and wanted in (found.full, found.short):
        return BoardEntry("cast", row.height, row.ballot_id, row.ballot_hash, found, None, None)
    raise NotFound(
        f"no ballot with tracking code {wanted} on the board of {code!r}",
        code="tracking_not_found",
        details={"election": code, "tracking": wanted},
    )
