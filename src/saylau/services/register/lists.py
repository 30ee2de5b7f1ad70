"""Per-precinct voter lists at a date, and the protocols' ``registered`` checked against them
(spec/register.md §7).

A person is on a precinct's list at an instant when the version of them in force then is active at that
precinct and they are of voting age on polling day: 18 in Kazakhstan (the right to elect: Constitution
Art. 33; the age: the Constitutional Law "On elections" and the referendum law; [UNCERTAIN] the article
numbers are not in our reference, shared/reference/kazakhstan.md), a setting, ``voting_age``. The
snapshot is taken at the close of the list (in 2022, 20 days before the vote: CEC act ID=6927,
shared/reference/kazakhstan.md §1.5).

A voter with an absentee certificate is struck off where it was issued (subtracted there) and is added to
the supplementary list where they vote, which the register cannot know: a protocol's ``registered``
(supplementary list included, model.protocol.STANDARD_FIELDS) may exceed the snapshot by those arrivals, so
the check lists every difference with its sign and the certificates struck, and leaves the judgement to
the commission.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from saylau.model.lifecycle import Mode
from saylau.services.context import Context
from saylau.services.lookup import load_event
from saylau.store.register_repo import RegisterTx

__all__ = [
    "VOTING_AGE",
    "ListsView",
    "RegisteredCheck",
    "born_by",
    "check_registered",
    "list_extract",
    "voter_lists",
]

VOTING_AGE = 18


@dataclass(frozen=True, slots=True)
class ListsView:
    at: dt.datetime  # the snapshot's instant (the close of the list)
    polling_day: dt.date  # the day the voting age is reached by
    counts: dict[str, int]  # precinct -> voters on its list (certificates struck off)
    struck: dict[str, int]  # precinct -> absentee certificates issued there (when an event is named)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class RegisteredCheck:
    precinct: str
    protocol: int  # the entered protocol's registered
    register: int  # the snapshot's count (certificates struck off)
    struck: int

    @property
    def difference(self) -> int:
        return self.protocol - self.register


def born_by(polling_day: dt.date, voting_age: int) -> dt.date:
    """The latest birth date of a voter of ``voting_age`` on ``polling_day`` (29 February: a person born
    then is of age on 1 March of a common year)."""
    try:
        return polling_day.replace(year=polling_day.year - voting_age)
    except ValueError:  # polling day is 29 February, the year of age is common
        return dt.date(polling_day.year - voting_age, 2, 28)


def voter_lists(
    ctx: Context,
    at: dt.datetime,
    *,
    polling_day: dt.date | None = None,
    event: str | None = None,
    voting_age: int = VOTING_AGE,
) -> ListsView:
    """The lists in force at ``at``; with an event, its date is polling day and its certificates are struck.
    A member's read: logged in the audit log (counts only are read)."""
    with ctx.store.transaction(write=True) as tx:
        reg = RegisterTx(tx)
        struck: dict[str, int] = {}
        day = polling_day or at.date()
        if event is not None:
            row = load_event(tx, event)
            day = polling_day or row.referendum.date
            struck = reg.certificates(row.id)
        counts = reg.counts(at, born_by(day, voting_age))
        tx.audit(
            event, ctx.actor, "register.lists", "ok", {"at": at.isoformat(), "precincts": len(counts)}, ctx.clock()
        )
    for precinct, n in struck.items():
        counts[precinct] = counts.get(precinct, 0) - n
    return ListsView(at, day, dict(sorted(counts.items())), struck)


def check_registered(
    ctx: Context, event: str, at: dt.datetime, *, voting_age: int = VOTING_AGE, mode: Mode = Mode.LIVE
) -> list[RegisteredCheck]:
    """Every precinct whose entered protocol's ``registered`` differs from the register's snapshot."""
    view = voter_lists(ctx, at, event=event, voting_age=voting_age)
    with ctx.store.transaction() as tx:
        row = load_event(tx, event)
        current = {v.precinct: v for v in tx.iter_versions(row.id, mode)}  # the last of each is current
    out = []
    for precinct, version in sorted(current.items()):
        figures = {int(counts["registered"]) for counts in version.counts.values() if "registered" in counts}
        if not figures:
            continue
        protocol = max(figures)
        register = view.counts.get(str(precinct), 0)
        if protocol != register:
            out.append(RegisteredCheck(str(precinct), protocol, register, view.struck.get(str(precinct), 0)))
    return out


def list_extract(
    ctx: Context,
    precinct: str,
    at: dt.datetime,
    *,
    polling_day: dt.date | None = None,
    event: str | None = None,
    voting_age: int = VOTING_AGE,
) -> tuple[int, bytes]:
    """A precinct's printable list at ``at`` (PDF, kk/ru): the number of voters and the PDF's bytes. With an
    event, its date is polling day and the voters struck off there by its certificates are left out."""
    from saylau.publish.pdf_register import list_extract_pdf  # noqa: PLC0415  # lazy: reportlab for the PDF only

    with ctx.store.transaction(write=True) as tx:
        event_id = None
        day = polling_day or at.date()
        if event is not None:
            row = load_event(tx, event)
            day, event_id = polling_day or row.referendum.date, row.id
        voters = RegisterTx(tx).on_list(precinct, at, born_by(day, voting_age), event_id)
        details = {"precinct": precinct, "at": at.isoformat(), "voters": len(voters)}
        tx.audit(event, ctx.actor, "register.extract", "ok", details, ctx.clock())
    return len(voters), list_extract_pdf(precinct, at, day, voters)
