"""Casting and spoiling (Benaloh) ballots of an e2e election (spec/record.md §5, V12–V18).

A ballot is verified in full before anything is written (proofs bound to its id and credential, the
credential's signature, a registered credential); then, in the write transaction with the election
locked, the ballot box (``record.ballot_box``: unique ballot id and ciphertexts, the re-vote setting, the
chained tracking code, the event) decides it, and its event and row are written.

``cast_ballot`` casts one ballot in its own transaction (the CLI, the demo, the tests; the HTTP route
casts through ``services.e2e.intake.BallotIntake``, which commits the ballots arriving together in one
transaction, with the same rule: ``write_casts`` here): the checks that need no lock (election, phase,
joint key, registered credential: one query; then the proofs and signature, pure CPU) done first and the
election locked only for the short write part. On SQLite the write transaction holds the database's
write lock from BEGIN, as every SQLite writer does. Every lookup is by a unique index, so the cost per
ballot does not grow with the ballots.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import assert_never

from saylau.crypto.ballot import EncryptedBallot, SpoiledOpening, check_opening, verify_ballot
from saylau.crypto.errors import Invalid
from saylau.crypto.group import Element
from saylau.crypto.tracking import TrackingCode
from saylau.record import ballot_box as box
from saylau.record import events as ev
from saylau.record.ballot_box import MAX_CASTS, Accepted, Batch, Cast, Entry, Policy, Refused, Taken
from saylau.record.events import E2ePhase, Event, Manifest
from saylau.services.context import Context
from saylau.services.e2e.state import (
    E2eRejected,
    ElectionState,
    appending,
    joint_key,
    load_state,
    require_phase,
)
from saylau.store.e2e_repo import E2eTx, ElectionRow, IntakeRow, NewBallot

__all__ = [
    "MAX_CASTS",
    "CastReceipt",
    "audit_refusal",
    "cast_ballot",
    "receipt",
    "rejected",
    "require_verified",
    "spoil_ballot",
    "write_casts",
]


@dataclass(frozen=True, slots=True)
class CastReceipt:
    ballot_id: str
    tracking: TrackingCode
    height: int


def rejected(refused: Refused) -> E2eRejected:
    """The ballot box's refusal as the error raised (and audited) for it."""
    return E2eRejected(refused.message, code=refused.code, details=refused.details)


def receipt(accepted: Accepted) -> CastReceipt:
    """The voter's receipt of an accepted cast ballot."""
    if accepted.tracking is None:  # pragma: no cover - a cast ballot always has its tracking code
        raise E2eRejected("a spoiled ballot has no receipt", code="e2e_no_receipt")
    return CastReceipt(accepted.entry.ballot_id, accepted.tracking, accepted.event.height)


def audit_refusal(ctx: Context, code: str, action: str, exc: E2eRejected) -> E2eRejected:
    """Log the refusal (its own transaction) and hand the error back to be raised."""
    with ctx.store.transaction() as tx:
        tx.audit(code, ctx.actor, action, "refused", {"reason": exc.code, **exc.details}, ctx.clock())
    return exc


def _new_ballot(entry: Entry) -> NewBallot:
    return NewBallot(
        entry.ballot_id,
        entry.credential,
        entry.ballot_hash,
        entry.kind,
        entry.tracking_code,
        entry.height,
        entry.fingerprints,
    )


def _store(x: E2eTx, row: ElectionRow, batch: Batch) -> None:
    """Append the box's events and store its rows (a few multi-row statements)."""
    x.append_many(row.id, batch.events)
    x.insert_ballots(row.id, [_new_ballot(entry) for entry in batch.entries])


def write_casts(
    x: E2eTx, row: ElectionRow, manifest: Manifest, head: Event, last: str | None, casts: Sequence[Cast], max_casts: int
) -> Batch:
    """With the election locked and voting (``head``, ``last``: as read then): what the database holds of
    the casts' ids, ciphertexts and credentials in one statement, the box's decision, its events and rows
    written. The caller audits the outcomes."""
    ids, ciphertexts, counts = x.batch_conflicts(
        row.id,
        [c.ballot.ballot_id for c in casts],
        [f for c in casts for f in c.fingerprints],
        [c.ballot.credential.hex() for c in casts],
    )
    taken = Taken(frozenset(ids), frozenset(ciphertexts), counts)
    batch = box.accept(row.fingerprint, head, last, taken, Policy(manifest.revote, max_casts), casts)
    _store(x, row, batch)
    return batch


def require_verified(ballot: EncryptedBallot, state: ElectionState, key: Element) -> None:
    """V12 (the proofs and the credential's signature), the costly check made before the lock (what the
    ballot box assumes), refused with the box's text."""
    verdict = verify_ballot(ballot, state.manifest.questions, key, state.row.fingerprint)
    if isinstance(verdict, Invalid):
        raise rejected(box.invalid_ballot(verdict))


@functools.lru_cache(maxsize=64)
def _manifest(text: str) -> Manifest:
    """The manifest of its stored canonical JSON (parsed once per text: it never changes)."""
    return Manifest.from_plain(json.loads(text))


@functools.lru_cache(maxsize=64)
def _joint_key(payload: str) -> Element:
    """The joint key K of the ``joint_key`` event's payload (decoded once per payload)."""
    return Element.decode(bytes.fromhex(json.loads(payload)["joint_key"]))


def _verified_state(x: E2eTx, code: str, ballot: EncryptedBallot) -> ElectionState:
    """Before any lock: the election is voting, the credential registered, the proofs and signature
    verify. The state returned is the one read before the lock: its head is read again once locked."""
    found: IntakeRow | None = x.intake_row(code, ballot.credential.hex())
    if found is None:
        load_state(x, code)  # raises NotFound naming the elections there are
        raise AssertionError("unreachable")  # pragma: no cover
    election = found.election
    state = ElectionState(election, _manifest(election.manifest), found.head, ev.phase_after(found.head.type))
    require_phase(state, E2ePhase.VOTING)
    if not found.registered:
        raise rejected(box.unregistered_credential())
    if found.joint_key is None:  # pragma: no cover - voting starts with the joint key event
        raise E2eRejected("the election has no joint key yet", code="e2e_no_joint_key")
    require_verified(ballot, state, _joint_key(found.joint_key))
    return state


def cast_ballot(ctx: Context, code: str, ballot: EncryptedBallot, *, max_casts: int = MAX_CASTS) -> CastReceipt:
    """Verify and record a ballot (the ballot box's batch of one); returns its chained tracking code once
    committed. Refusals are audited (in their own transaction, after the refused one rolled back) and
    raised. Under re-vote "last" a credential casts at most ``max_casts`` ballots (counted with the
    election locked)."""
    try:
        with ctx.store.transaction(write=True) as tx:
            x = E2eTx(tx)
            verified = _verified_state(x, code, ballot)
            cast = box.cast_of(ballot, verified.row.fingerprint)
            now = ctx.clock()
            # From here the election is locked: casts of the same election queue, each sees the last head.
            x.lock_election(code)
            head, last = x.head_and_last_cast(verified.row.id)
            state = ElectionState(verified.row, verified.manifest, head, ev.phase_after(head.type))
            require_phase(state, E2ePhase.VOTING)  # it may have closed while the ballot was verified
            (outcome,) = write_casts(x, state.row, state.manifest, head, last, [cast], max_casts).outcomes
            match outcome:
                case Refused():
                    raise rejected(outcome)
                case Accepted():
                    done = receipt(outcome)
                case _:
                    assert_never(outcome)
            tx.audit(code, ctx.actor, "e2e.cast", "ok", {"height": done.height, "tracking": done.tracking.short}, now)
    except E2eRejected as exc:
        raise audit_refusal(ctx, code, "e2e.cast", exc) from None
    return done


def _prepare_spoil(ctx: Context, code: str, ballot: EncryptedBallot, opening: SpoiledOpening) -> box.Spoil:
    """Before any lock: voting, a registered credential, the ballot verifies; the opening checked (C§7.7)."""
    with ctx.store.transaction() as tx:
        x = E2eTx(tx)
        state = load_state(x, code)
        require_phase(state, E2ePhase.VOTING)
        if not x.has_credential(state.row.id, ballot.credential.hex()):
            raise rejected(box.unregistered_credential())
        key = joint_key(x, state)
        require_verified(ballot, state, key)
        verdict = check_opening(ballot, opening, state.manifest.questions, key)
        return box.spoil_of(ballot, state.row.fingerprint, opening, verdict)


def _spoils_taken(x: E2eTx, state: ElectionState, spoil: box.Spoil) -> Taken:
    ballot_id, credential = spoil.ballot.ballot_id, spoil.ballot.credential.hex()
    return Taken(
        ids=frozenset({ballot_id}) if x.find_ballot(state.row.id, ballot_id) is not None else frozenset(),
        ciphertexts=frozenset(x.taken_fingerprints(state.row.id, spoil.fingerprints)),
        spoils={credential: x.casts_by(state.row.id, credential, "spoiled")},
    )


def spoil_ballot(
    ctx: Context, code: str, ballot: EncryptedBallot, opening: SpoiledOpening, *, max_spoils: int = MAX_CASTS
) -> int:
    """Record a challenged ballot with its opening (checked by re-encryption); it is never counted. A
    credential spoils at most ``max_spoils`` ballots (counted with the election locked)."""
    try:
        spoil = _prepare_spoil(ctx, code, ballot, opening)
        now = ctx.clock()
        with appending(ctx, code) as (tx, x, state):
            require_phase(state, E2ePhase.VOTING)
            head, last = x.head_and_last_cast(state.row.id)
            policy = Policy(state.manifest.revote, max_spoils=max_spoils)
            batch = box.accept(state.row.fingerprint, head, last, _spoils_taken(x, state, spoil), policy, [spoil])
            (outcome,) = batch.outcomes
            if isinstance(outcome, Refused):
                raise rejected(outcome)
            _store(x, state.row, batch)
            tx.audit(code, ctx.actor, "e2e.spoil", "ok", {"height": outcome.event.height}, now)
    except E2eRejected as exc:
        raise audit_refusal(ctx, code, "e2e.spoil", exc) from None
    return outcome.event.height
