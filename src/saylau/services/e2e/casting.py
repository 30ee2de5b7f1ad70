"""Casting and spoiling (Benaloh) ballots of an e2e election (spec/record.md §5, V12–V18).

A ballot is verified in full before anything is written (proofs bound to its id and credential, the
credential's signature, a registered credential), then, in the write transaction, unique ballot id and
ciphertexts and the re-vote setting are enforced, the chained tracking code assigned and the event appended.

``cast_ballot`` is the hot path of intake (issue #5: ≥ 300 ballots/s on PostgreSQL): one transaction per
ballot, with the checks that need no lock (election, phase, joint key, registered credential: one query;
then the proofs and signature, pure CPU) done first and the election locked only for the short write
part. On SQLite the write transaction holds the database's write lock from BEGIN, as every SQLite
writer does. Every lookup is by a unique index, so the cost per ballot does not grow with the ballots.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from saylau.crypto.ballot import (
    EncryptedBallot,
    SpoiledOpening,
    ballot_hash,
    check_opening,
    ciphertext_fingerprints,
    verify_ballot,
)
from saylau.crypto.errors import Invalid
from saylau.crypto.group import Element
from saylau.crypto.hashing import short_code
from saylau.crypto.tracking import TrackingCode, genesis_code, next_tracking_code
from saylau.record import events as ev
from saylau.record.events import E2ePhase, EventType, Manifest
from saylau.services.context import Context
from saylau.services.e2e.state import (
    E2eRejected,
    ElectionState,
    append,
    appending,
    joint_key,
    load_state,
    require_phase,
)
from saylau.store.e2e_repo import E2eTx, IntakeRow, NewBallot

__all__ = ["MAX_CASTS", "CastReceipt", "audit_refusal", "cast_ballot", "casts_refusal", "spoil_ballot"]

MAX_CASTS = 16
"""Under re-vote "last" (R§4), the most ballots one credential may cast (a voter who changes their mind
re-votes a few times; a script re-voting forever would only fill the record). A deployment may set another
bound (``cast_ballot(max_casts=…)``, ``BallotIntake(max_casts=…)``); under "refuse" it is 1. A credential
spoils (challenges) at most as many ballots by default (``spoil_ballot(max_spoils=…)``)."""


@dataclass(frozen=True, slots=True)
class CastReceipt:
    ballot_id: str
    tracking: TrackingCode
    height: int


def casts_refusal(casts: int, max_casts: int) -> E2eRejected | None:
    """The refusal of one more cast ballot by a credential that has cast ``casts`` (None: it may cast)."""
    if casts < max_casts:
        return None
    if max_casts == 1:
        return E2eRejected("this credential has already voted", code="revote_refused")
    return E2eRejected(
        f"this credential has cast {casts} ballots, the most one credential may cast",
        code="too_many_ballots",
        details={"max_casts": max_casts},
    )


def audit_refusal(ctx: Context, code: str, action: str, exc: E2eRejected) -> E2eRejected:
    """Log the refusal (its own transaction) and hand the error back to be raised."""
    with ctx.store.transaction() as tx:
        tx.audit(code, ctx.actor, action, "refused", {"reason": exc.code, **exc.details}, ctx.clock())
    return exc


def _verify(x: E2eTx, state: ElectionState, ballot: EncryptedBallot) -> None:
    """Everything that needs no write lock: registered credential, proofs and signature."""
    credential = ballot.credential.hex()
    if not x.has_credential(state.row.id, credential):
        raise E2eRejected("the ballot is signed by an unregistered credential", code="unknown_credential")
    verdict = verify_ballot(ballot, state.manifest.questions, joint_key(x, state), state.row.fingerprint)
    if isinstance(verdict, Invalid):
        raise E2eRejected(
            f"the ballot does not verify at {verdict.where}: {verdict.code.value}",
            code="invalid_ballot",
            details={"failure": verdict.code.value, "where": verdict.where},
        )


def _check_unique(x: E2eTx, state: ElectionState, ballot: EncryptedBallot, fingerprints: tuple[str, ...]) -> None:
    if x.find_ballot(state.row.id, ballot.ballot_id) is not None:
        raise E2eRejected(f"ballot id {ballot.ballot_id!r} was already used", code="duplicate_ballot_id")
    if len(set(fingerprints)) != len(fingerprints) or x.taken_fingerprints(state.row.id, fingerprints):
        raise E2eRejected("the ballot repeats a ciphertext already received", code="duplicate_ciphertext")


def _prepare(ctx: Context, code: str, ballot: EncryptedBallot) -> None:
    with ctx.store.transaction() as tx:
        x = E2eTx(tx)
        state = load_state(x, code)
        require_phase(state, E2ePhase.VOTING)
        _verify(x, state, ballot)
        _check_unique(x, state, ballot, ciphertext_fingerprints(ballot))


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
        raise E2eRejected("the ballot is signed by an unregistered credential", code="unknown_credential")
    if found.joint_key is None:  # pragma: no cover - voting starts with the joint key event
        raise E2eRejected("the election has no joint key yet", code="e2e_no_joint_key")
    verdict = verify_ballot(ballot, state.manifest.questions, _joint_key(found.joint_key), election.fingerprint)
    if isinstance(verdict, Invalid):
        raise E2eRejected(
            f"the ballot does not verify at {verdict.where}: {verdict.code.value}",
            code="invalid_ballot",
            details={"failure": verdict.code.value, "where": verdict.where},
        )
    return state


def cast_ballot(ctx: Context, code: str, ballot: EncryptedBallot, *, max_casts: int = MAX_CASTS) -> CastReceipt:
    """Verify and record a ballot; returns its chained tracking code once committed. Refusals are audited
    (in their own transaction, after the refused one rolled back) and raised. Under re-vote "last" a
    credential casts at most ``max_casts`` ballots (counted with the election locked)."""
    fingerprints = ciphertext_fingerprints(ballot)
    credential = ballot.credential.hex()
    try:
        with ctx.store.transaction(write=True) as tx:
            x = E2eTx(tx)
            verified = _verified_state(x, code, ballot)
            now = ctx.clock()
            # From here the election is locked: casts of the same election queue, each sees the last head.
            x.lock_election(code)
            head = x.head(verified.row.id)
            assert head is not None  # the record never shrinks
            state = ElectionState(verified.row, verified.manifest, head, ev.phase_after(head.type))
            require_phase(state, E2ePhase.VOTING)  # it may have closed while the ballot was verified
            id_taken, ciphertext_taken = x.ballot_conflicts(state.row.id, ballot.ballot_id, fingerprints)
            if id_taken:
                raise E2eRejected(f"ballot id {ballot.ballot_id!r} was already used", code="duplicate_ballot_id")
            if ciphertext_taken or len(set(fingerprints)) != len(fingerprints):
                raise E2eRejected("the ballot repeats a ciphertext already received", code="duplicate_ciphertext")
            refused = casts_refusal(
                x.casts_by(state.row.id, credential), 1 if state.manifest.revote == "refuse" else max_casts
            )
            if refused is not None:
                raise refused
            last = x.last_cast(state.row.id)
            previous = (
                genesis_code(state.row.fingerprint)
                if last is None or last.tracking_code is None
                else TrackingCode(last.tracking_code, short_code(last.tracking_code))
            )
            digest = ballot_hash(ballot, state.row.fingerprint)
            tracking = next_tracking_code(state.row.fingerprint, previous, digest)
            event = append(x, state, state.head, EventType.BALLOT, ev.ballot_payload(ballot, digest, tracking))
            new = NewBallot(ballot.ballot_id, credential, digest, "cast", tracking.full, event.height, fingerprints)
            x.insert_ballot(state.row.id, new)
            tx.audit(code, ctx.actor, "e2e.cast", "ok", {"height": event.height, "tracking": tracking.short}, now)
    except E2eRejected as exc:
        raise audit_refusal(ctx, code, "e2e.cast", exc) from None
    return CastReceipt(ballot.ballot_id, tracking, event.height)


def spoil_ballot(
    ctx: Context, code: str, ballot: EncryptedBallot, opening: SpoiledOpening, *, max_spoils: int = MAX_CASTS
) -> int:
    """Record a challenged ballot with its opening (checked by re-encryption); it is never counted. A
    credential spoils at most ``max_spoils`` ballots (counted with the election locked)."""
    try:
        _prepare(ctx, code, ballot)
        now = ctx.clock()
        with appending(ctx, code) as (tx, x, state):
            require_phase(state, E2ePhase.VOTING)
            verdict = check_opening(ballot, opening, state.manifest.questions, joint_key(x, state))
            if isinstance(verdict, Invalid):
                raise E2eRejected(
                    f"the opening does not match the ballot at {verdict.where}: {verdict.code.value}",
                    code="bad_opening",
                )
            fingerprints = ciphertext_fingerprints(ballot)
            _check_unique(x, state, ballot, fingerprints)
            spoiled = x.casts_by(state.row.id, ballot.credential.hex(), "spoiled")
            if spoiled >= max_spoils:
                raise E2eRejected(
                    f"this credential has spoiled {spoiled} ballots, the most one credential may spoil",
                    code="too_many_ballots",
                    details={"max_spoils": max_spoils},
                )
            digest = ballot_hash(ballot, state.row.fingerprint)
            event = append(x, state, state.head, EventType.SPOILED, ev.spoiled_payload(ballot, digest, opening))
            new = NewBallot(
                ballot.ballot_id, ballot.credential.hex(), digest, "spoiled", None, event.height, fingerprints
            )
            x.insert_ballot(state.row.id, new)
            tx.audit(code, ctx.actor, "e2e.spoil", "ok", {"height": event.height}, now)
    except E2eRejected as exc:
        raise audit_refusal(ctx, code, "e2e.spoil", exc) from None
    return event.height
