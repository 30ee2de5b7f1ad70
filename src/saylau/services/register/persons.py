"""One person: their history (members), a voter's check of their own entry, absentee certificates
(spec/register.md §8, §9)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from saylau.model.errors import Conflict, NotFound
from saylau.register import PersonVersion, Status
from saylau.services.access.throttle import TooManyAttempts, register_check_keys, reserve, succeeded
from saylau.services.context import Context
from saylau.services.lookup import load_event
from saylau.services.register.codes import RegisterFlowCode
from saylau.store.register_repo import CertificateTaken, RegisterTx

__all__ = ["Certificate", "OwnEntry", "check_own_entry", "issue_certificate", "own_entry", "person_history"]


@dataclass(frozen=True, slots=True)
class OwnEntry:
    """What a voter learns of their own entry: where they vote and whether they are on the list."""

    precinct: str
    status: Status


@dataclass(frozen=True, slots=True)
class Certificate:
    event: str
    identifier: str
    precinct: str  # issued at, and struck off there
    issued_at: dt.datetime


def _not_found(identifier: str) -> NotFound:
    return NotFound(f"no person {identifier!r} in the register", code=RegisterFlowCode.PERSON_NOT_FOUND)


def person_history(ctx: Context, identifier: str) -> list[PersonVersion]:
    """Every version of a person, oldest first: a member's read, logged in the audit log with the person's
    internal number (not their identifier: the log is read by observers too)."""
    with ctx.store.transaction(write=True) as tx:
        found = RegisterTx(tx).history(identifier)
        outcome, details = ("ok", {"person": found[0]}) if found is not None else ("refused", {"reason": "not_found"})
        tx.audit(None, ctx.actor, "register.show", outcome, details, ctx.clock())
    if found is None:
        raise _not_found(identifier)
    return found[1]


def own_entry(ctx: Context, identifier: str, birth_date: dt.date) -> OwnEntry:
    """A voter's own entry, given their identifier and birth date; the same refusal whether the identifier
    is unknown or the birth date wrong, so that the check tells nothing of anyone else."""
    with ctx.store.transaction() as tx:
        found = RegisterTx(tx).history(identifier)
    if found is None or found[1][-1].entry.birth_date != birth_date:
        raise NotFound("no such entry for this identifier and birth date", code=RegisterFlowCode.PERSON_NOT_FOUND)
    latest = found[1][-1].entry
    return OwnEntry(latest.precinct, latest.status)


def check_own_entry(ctx: Context, identifier: str, birth_date: dt.date, client: str) -> OwnEntry:
    """``own_entry`` for the public page, throttled (services.access.throttle): the attempt is counted in a
    write transaction committed before the register is read, against the identifier and the client's
    address; a right answer forgives the identifier's count. Raises TooManyAttempts while a key waits."""
    keys = register_check_keys(identifier, client)
    with ctx.store.transaction(write=True) as tx:
        wait = reserve(tx, keys, ctx.clock())
    if wait is not None:
        raise TooManyAttempts("register checks", wait)
    entry = own_entry(ctx, identifier, birth_date)
    with ctx.store.transaction(write=True) as tx:
        succeeded(tx, keys)
    return entry


def issue_certificate(ctx: Context, event: str, identifier: str) -> Certificate:
    """An absentee certificate for the event, at the person's current precinct (struck off there). A second
    one for the same person and event is refused, inside the writing transaction (the UNIQUE holds it
    against a concurrent issue too). In 2022 they were issued from 20 May to 18:00 on 4 June (abai.kz,
    shared/reference/kazakhstan.md §1.5); the dates are the commission's to enforce."""
    now = ctx.clock()
    with ctx.store.transaction(write=True) as tx:
        row = load_event(tx, event)
        reg = RegisterTx(tx)
        found = reg.history(identifier)
        if found is None:
            raise _not_found(identifier)
        person_id, versions = found
        latest = versions[-1].entry
        if latest.status is not Status.ACTIVE:
            raise Conflict(
                f"person {identifier!r} is {latest.status.value} in the register: no certificate",
                code=RegisterFlowCode.PERSON_NOT_ACTIVE,
            )
        taken = reg.certificate(row.id, person_id)
        if taken is None:
            try:
                reg.add_certificate(row.id, person_id, latest.precinct, ctx.actor, now)
            except CertificateTaken:  # a concurrent issue won: its savepoint is gone, read what it wrote
                taken = reg.certificate(row.id, person_id) or "another precinct"
        if taken is not None:
            raise Conflict(
                f"person {identifier!r} already holds an absentee certificate for {event} (issued at {taken})",
                code=RegisterFlowCode.CERTIFICATE_TAKEN,
                details={"precinct": taken},
            )
        tx.audit(
            event, ctx.actor, "register.certificate", "ok", {"person": person_id, "precinct": latest.precinct}, now
        )
    return Certificate(event, identifier, latest.precinct, now)
