"""The results embargo: no live result is public before the last polls close (spec/formats.md "Embargo").

An event's embargo is the list of its polls' closing times, each an instant with its UTC offset; results
become public at the latest of them. In Kazakhstan voting runs 07:00-20:00 local time
(shared/reference/kazakhstan.md §1.5); in 2022 the five western regions (Aktobe, Atyrau, West Kazakhstan,
Mangystau, Kyzylorda) were one hour behind Astana time and closed one hour later by Astana's clock (§1.3),
and the 65 precincts abroad close at 20:00 by their host countries' clocks, the last of them in the
Americas. The clock is the injected ``Context.clock``; the pure check is :func:`is_public_now`.

Seam for accounts: a commission member sees live results during the embargo. Callers pass the audience;
the public API, pages, static publication and export pass ``Audience.PUBLIC``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import assert_never

from saylau.model import InputError, LifecycleError, Problem
from saylau.model.canonical import canonical_json
from saylau.model.strict import JsonRefused, strict_json
from saylau.services.context import Context
from saylau.services.lookup import load_event
from saylau.services.paper.codes import PaperCode
from saylau.store import EventRow, Tx
from saylau.store.turnout_schema import TurnoutTx

__all__ = [
    "Audience",
    "Embargo",
    "EmbargoInForce",
    "PollsClose",
    "check_public",
    "embargo_of",
    "is_public_now",
    "kz_polls_close",
    "parse_embargo",
    "require_public",
    "set_embargo",
]


class Audience(StrEnum):
    PUBLIC = "public"
    COMMISSION = "commission"  # members of the commission (accounts, in progress): not embargoed


@dataclass(frozen=True, slots=True)
class PollsClose:
    zone: str  # who closes then, e.g. "12 regions on Astana time (UTC+6)"
    at: dt.datetime  # an aware instant

    def __post_init__(self) -> None:
        if self.at.utcoffset() is None:
            raise InputError([Problem("naive_time", f"closing time of {self.zone!r} has no UTC offset")])


@dataclass(frozen=True, slots=True)
class Embargo:
    closes: tuple[PollsClose, ...]

    def __post_init__(self) -> None:
        if not self.closes:
            raise InputError([Problem("no_closing_time", "an embargo names at least one closing time")])

    @property
    def until(self) -> dt.datetime:
        return max(c.at for c in self.closes)

    def to_json(self) -> str:
        """Canonical JSON (sorted keys, no spaces): ``{"polls_close": [{"at": ..., "zone": ...}, ...]}``."""
        closes = [{"zone": c.zone, "at": c.at.isoformat()} for c in self.closes]
        return canonical_json({"polls_close": closes})


class EmbargoInForce(LifecycleError):
    """Live results asked for publicly before the last polls close (problem+json code ``embargo``, 409)."""

    def __init__(self, event: str, until: dt.datetime):
        super().__init__(
            f"results of {event!r} are under embargo until the last polls close at {until.isoformat()}",
            code=PaperCode.EMBARGO,
            details={"event": event, "until": until.isoformat()},
        )


def is_public_now(embargo: Embargo | None, now: dt.datetime) -> bool:
    """Pure: may live results be shown to the public at ``now``? (No embargo: yes.)"""
    return embargo is None or now >= embargo.until


def kz_polls_close(date: dt.date, abroad: Sequence[tuple[str, dt.timezone]] = ()) -> Embargo:
    """Kazakhstan's closing times on ``date`` (20:00 local, reference §1.5): before 1 March 2024 two zones,
    UTC+6 and the five western regions on UTC+5 (§1.3); since then one zone, UTC+5. ``abroad``: the host
    countries' zones of the precincts abroad, each closing at 20:00 by its own clock."""

    def at(tz: dt.timezone) -> dt.datetime:
        return dt.datetime.combine(date, dt.time(20, 0), tz)

    plus5, plus6 = dt.timezone(dt.timedelta(hours=5)), dt.timezone(dt.timedelta(hours=6))
    if date < dt.date(2024, 3, 1):
        home = [
            PollsClose("12 regions on Astana time (UTC+6)", at(plus6)),
            PollsClose("5 western regions: Aktobe, Atyrau, West Kazakhstan, Mangystau, Kyzylorda (UTC+5)", at(plus5)),
        ]
    else:
        home = [PollsClose("Kazakhstan (UTC+5)", at(plus5))]
    return Embargo((*home, *(PollsClose(f"abroad: {name}", at(tz)) for name, tz in abroad)))


def parse_embargo(data: bytes, source: str) -> Embargo:
    """``{"polls_close": [{"zone": "...", "at": "2022-06-05T20:00:00+06:00"}, ...]}``, closed; every
    problem names its path."""
    problems: list[Problem] = []
    try:
        doc = strict_json(data.decode("utf-8-sig"))  # a key twice is refused: the last would silently win
    except (UnicodeDecodeError, JsonRefused) as exc:
        raise InputError([Problem("json", f"not JSON: {exc}", file=source)], summary="bad embargo file") from exc
    items = doc.get("polls_close") if isinstance(doc, dict) and set(doc) == {"polls_close"} else None
    if not isinstance(items, list) or not items:
        raise InputError([Problem("shape", 'expected exactly {"polls_close": [...]} (non-empty)', file=source)])
    closes = []
    for i, item in enumerate(items):
        path = f"polls_close[{i}]"
        if not isinstance(item, dict) or set(item) != {"zone", "at"} or not isinstance(item["zone"], str):
            problems.append(Problem("shape", 'expected {"zone": text, "at": time}', file=source, field=path))
            continue
        try:
            at = dt.datetime.fromisoformat(str(item["at"]))
        except ValueError:
            at = None
        if at is None or at.utcoffset() is None:
            msg = f"{item['at']!r} is not an ISO 8601 time with a UTC offset"
            problems.append(Problem("time", msg, file=source, field=f"{path}.at"))
            continue
        closes.append(PollsClose(item["zone"], at))
    if problems:
        raise InputError(problems, summary=f"{len(problems)} problem(s) in the embargo file {source}")
    return Embargo(tuple(closes))


def _load(tx: Tx, row: EventRow) -> Embargo | None:
    raw = TurnoutTx(tx).embargo(row.id)
    return None if raw is None else parse_embargo(raw.encode(), f"embargo of {row.referendum.code}")


def embargo_of(ctx: Context, code: str) -> Embargo | None:
    with ctx.store.transaction() as tx:
        return _load(tx, load_event(tx, code))


def set_embargo(ctx: Context, code: str, embargo: Embargo) -> None:
    now = ctx.clock()
    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        TurnoutTx(tx).append_embargo(row.id, embargo.to_json(), ctx.actor, now)
        tx.audit(code, ctx.actor, "embargo.set", "ok", {"until": embargo.until.isoformat()}, now)


def check_public(tx: Tx, row: EventRow, now: dt.datetime, audience: Audience = Audience.PUBLIC) -> None:
    """Inside a transaction: raise EmbargoInForce when ``audience`` may not see live results at ``now``."""
    match audience:
        case Audience.COMMISSION:
            return
        case Audience.PUBLIC:
            embargo = _load(tx, row)
            if embargo is not None and not is_public_now(embargo, now):
                raise EmbargoInForce(str(row.referendum.code), embargo.until)
        case _:
            assert_never(audience)


def require_public(ctx: Context, code: str, audience: Audience = Audience.PUBLIC) -> None:
    """What the public routes call before serving live results (the clock is ``ctx.clock``)."""
    with ctx.store.transaction() as tx:
        check_public(tx, load_event(tx, code), ctx.clock(), audience)
