"""Ballot intake by group commit (issue #5: ≥ 300 ballots/s sustained on PostgreSQL).

Many ballots arriving together share one write transaction, as a database shares a log flush between
the commits that arrive together. ``BallotIntake.submit`` does, in the caller's thread, everything that
needs no lock: the election (cached per election once voting is open: manifest, joint key, the
registered credentials, which are fixed from then on), the proofs and the credential's signature, the
ciphertext fingerprints and the ballot hash. One writer thread per intake then takes the verified
ballots queued (up to ``max_batch``, waiting at most ``max_wait`` seconds for more) and, per election, in
ONE write transaction with the election locked (``E2eTx.lock_election``): reads the head and the last
tracking code once, checks the phase, and hands the batch to the ballot box (``record.ballot_box.accept``,
through ``casting.write_casts``, the rule ``cast_ballot`` applies to its batch of one), which decides
each ballot in arrival order (ballot id, ciphertexts, the re-vote rule) against the database AND the
ballots before it in the batch and chains the tracking codes and heights; then writes all events, ballot
rows, fingerprints and audit rows with a few multi-row statements.

The record is exactly the one casting the same ballots one by one in the same arrival order would give
(tests/integration/test_e2e_intake.py compares them). A ballot refused inside a batch writes nothing but
its audited refusal; its future gets the ``E2eRejected``. Futures are resolved only after the commit (an
acknowledged ballot survives a crash). When the transaction fails, nothing of it is acknowledged and each
ballot of the batch is written again alone, in its own transaction, in arrival order: one ballot the
database refuses can never cost another voter theirs (the others get their receipts, it gets its error;
when the database itself is down every one gets the error). Two intakes (two processes) stay correct: the
election's row lock (PostgreSQL) or the write transaction (SQLite) serialises their batches.

Under re-vote ``last`` a credential casts at most ``max_casts`` ballots (default ``MAX_CASTS``), counted
in the locked write transaction together with the batch's earlier ballots (refused: ``too_many_ballots``).
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass

from saylau.crypto.ballot import EncryptedBallot
from saylau.crypto.group import Element
from saylau.io.ballot_body import parse_ballot
from saylau.model import LifecycleError, SaylauError
from saylau.record import ballot_box as box
from saylau.record import events as ev
from saylau.record.ballot_box import Accepted, Cast
from saylau.record.events import E2ePhase
from saylau.services.context import Context
from saylau.services.e2e.casting import (
    MAX_CASTS,
    CastReceipt,
    audit_refusal,
    receipt,
    rejected,
    require_verified,
    write_casts,
)
from saylau.services.e2e.state import E2eRejected, ElectionState, joint_key, load_state, require_phase
from saylau.store.e2e_repo import AuditRow, E2eTx

__all__ = ["MAX_CASTS", "BallotIntake", "IntakeClosed"]


class IntakeClosed(LifecycleError):
    """The intake was shut down: it takes no more ballots."""

    code = "intake_closed"


@dataclass(frozen=True, slots=True)
class _Election:
    """What verifying a ballot needs, read once while the election is open for voting."""

    state: ElectionState  # as read when cached: its head is read again, locked, by the writer
    key: Element
    credentials: frozenset[bytes]  # the registered public credentials (fixed once voting opened)


@dataclass(frozen=True, slots=True)
class _Verified:
    """A ballot whose proofs and signature verified, waiting for the writer."""

    code: str
    election: _Election
    cast: Cast  # its hash, fingerprints and canonical text, made here rather than by the single writer
    future: Future[CastReceipt]


_STOP = object()


class BallotIntake:
    """Group commit of cast ballots: ``submit`` verifies in the caller's thread and queues; one writer
    thread commits what is queued together. ``close`` drains the queue, then stops the writer."""

    def __init__(self, ctx: Context, *, max_batch: int = 256, max_wait: float = 0.005, max_casts: int = MAX_CASTS):
        if max_batch < 1 or max_wait < 0 or max_casts < 1:
            raise ValueError(
                f"need max_batch >= 1, max_wait >= 0 and max_casts >= 1 (got {max_batch}, {max_wait}, {max_casts})"
            )
        self._ctx = ctx
        self._max_batch = max_batch
        self._max_wait = max_wait
        self._max_casts = max_casts
        self._queue: queue.SimpleQueue[_Verified | object] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._loading = threading.Lock()
        self._elections: dict[str, _Election] = {}
        self._writer: threading.Thread | None = None
        self._closed = False
        self.transactions = 0  # write transactions committed by the writer (figures for the benchmarks)
        self.committed = 0  # ballots acknowledged by them

    # --- the callers' side ---------------------------------------------------------------------
    def submit(self, code: str, ballot: EncryptedBallot) -> Future[CastReceipt]:
        """Verify ``ballot`` now and queue it; the future resolves to its receipt once committed, or to the
        refusal (E2eRejected, audited; LifecycleError or NotFound, as ``cast_ballot`` raises them)."""
        future: Future[CastReceipt] = Future()
        if self._closed:  # checked again, under the lock, before queueing
            future.set_exception(IntakeClosed("the ballot intake is shut down: it takes no more ballots"))
            return future
        try:
            verified = self._verify(code, ballot, future)
        except E2eRejected as exc:
            future.set_exception(audit_refusal(self._ctx, code, "e2e.cast", exc))
            return future
        except SaylauError as exc:
            future.set_exception(exc)
            return future
        with self._lock:
            if self._closed:
                future.set_exception(IntakeClosed("the ballot intake is shut down: it takes no more ballots"))
                return future
            if self._writer is None:
                self._writer = threading.Thread(target=self._run, name="saylau-ballot-intake", daemon=True)
                self._writer.start()
            self._queue.put(verified)
        return future

    def submit_body(self, code: str, body: bytes) -> Future[CastReceipt]:
        """``submit`` of the ballot in a request's exact bytes, parsed strictly (``parse_ballot``, whose
        InputError is raised here) and bounded by the election's questions (when it is open for voting)."""
        try:
            questions = self._election(code).state.manifest.questions
        except SaylauError:  # no such election or not voting: submit refuses the ballot once parsed
            questions = None
        return self.submit(code, parse_ballot(body, questions))

    def cast(self, code: str, ballot: EncryptedBallot) -> CastReceipt:
        """``submit`` and wait: the receipt once committed, or the refusal raised."""
        return self.submit(code, ballot).result()

    def close(self, timeout: float | None = None) -> None:
        """Take no more ballots; commit every ballot already queued, then stop the writer (idempotent)."""
        with self._lock:
            self._closed = True
            writer = self._writer
            if writer is not None and writer.is_alive():
                self._queue.put(_STOP)
        if writer is not None:
            writer.join(timeout)

    def _election(self, code: str) -> _Election:
        cached = self._elections.get(code)
        if cached is not None:
            return cached
        with self._loading:  # one load, not one per waiting submitter (the first ballots arrive together)
            return self._elections.get(code) or self._load(code)

    def _load(self, code: str) -> _Election:
        with self._ctx.store.transaction() as tx:
            x = E2eTx(tx)
            state = load_state(x, code)  # NotFound names the elections there are
            require_phase(state, E2ePhase.VOTING)
            election = _Election(
                state, joint_key(x, state), frozenset(bytes.fromhex(c) for c in x.credentials(state.row.id))
            )
        self._elections[code] = election
        return election

    def _registered(self, code: str, election: _Election, credential: bytes) -> bool:
        if credential in election.credentials:
            return True
        # Not in the set loaded once: ask the database (never true once voting is open, as credentials
        # are recorded before it opens; asked so that a stale cache can never refuse a voter).
        with self._ctx.store.transaction() as tx:
            found = E2eTx(tx).has_credential(election.state.row.id, credential.hex())
        if found:
            self._elections.pop(code, None)
        return found

    def _verify(self, code: str, ballot: EncryptedBallot, future: Future[CastReceipt]) -> _Verified:
        """The checks of ``cast_ballot`` that need no lock, in its order (what the ballot box assumes)."""
        election = self._election(code)
        if not self._registered(code, election, ballot.credential.data):
            raise rejected(box.unregistered_credential())
        require_verified(ballot, election.state, election.key)
        return _Verified(code, election, box.cast_of(ballot, election.state.row.fingerprint), future)

    # --- the writer ----------------------------------------------------------------------------
    def _run(self) -> None:
        stop = False
        while not stop:
            item = self._queue.get()
            if item is _STOP:
                return
            batch = [item]
            deadline = time.monotonic() + self._max_wait
            while len(batch) < self._max_batch:
                try:
                    item = self._queue.get(timeout=max(deadline - time.monotonic(), 0.0))
                except queue.Empty:
                    break
                if item is _STOP:
                    stop = True  # what came before the stop is still written
                    break
                batch.append(item)
            by_election: dict[str, list[_Verified]] = {}
            for v in batch:
                assert isinstance(v, _Verified)
                by_election.setdefault(v.code, []).append(v)
            for code, group in by_election.items():
                self._commit(code, group)

    def _commit(self, code: str, group: Sequence[_Verified]) -> None:
        """One transaction for the group; the futures resolved only once it committed. If it fails, each
        ballot again alone (so a ballot the database refuses fails alone)."""
        try:
            outcomes = self._write(code, group)
        except Exception as exc:  # the transaction rolled back: nothing of the batch is acknowledged
            if len(group) == 1:
                group[0].future.set_exception(exc)
                return
            for v in group:  # in arrival order, each in its own transaction
                self._commit(code, (v,))
            return
        self.transactions += 1
        self.committed += sum(1 for o in outcomes if isinstance(o, CastReceipt))
        for v, outcome in zip(group, outcomes, strict=True):
            if isinstance(outcome, CastReceipt):
                v.future.set_result(outcome)
            else:
                v.future.set_exception(outcome)

    def _write(self, code: str, group: Sequence[_Verified]) -> list[CastReceipt | SaylauError]:
        ctx = self._ctx
        with ctx.store.transaction(write=True) as tx:
            x = E2eTx(tx)
            now = ctx.clock()
            x.lock_election(code)  # from here casts of this election (from any process) queue
            row, manifest = group[0].election.state.row, group[0].election.state.manifest
            head, last = x.head_and_last_cast(row.id)
            state = ElectionState(row, manifest, head, ev.phase_after(head.type))
            if state.phase is not E2ePhase.VOTING:
                # Voting closed while these were verified: each is refused (not audited, as cast_ballot
                # does), and the cache is dropped so that the next submit reads the phase again.
                self._elections.pop(code, None)
                return [_phase_refusal(state) for _ in group]
            casts = [v.cast for v in group]
            batch = write_casts(x, row, manifest, head, last, casts, self._max_casts)
            outcomes: list[CastReceipt | SaylauError] = [
                receipt(o) if isinstance(o, Accepted) else rejected(o) for o in batch.outcomes
            ]
            x.audit_many([_audit(code, ctx.actor, o, now) for o in outcomes])
        return outcomes


def _audit(code: str, actor: str, outcome: CastReceipt | SaylauError, now: dt.datetime) -> AuditRow:
    """The audit row ``cast_ballot`` writes for an accepted or a refused ballot (the same details)."""
    if isinstance(outcome, CastReceipt):
        details: dict[str, object] = {"height": outcome.height, "tracking": outcome.tracking.short}
        return AuditRow(code, actor, "e2e.cast", "ok", details, now)
    return AuditRow(code, actor, "e2e.cast", "refused", {"reason": outcome.code, **outcome.details}, now)


def _phase_refusal(state: ElectionState) -> LifecycleError:
    """The error ``require_phase`` raises for an election that is not voting (a new one each time)."""
    try:
        require_phase(state, E2ePhase.VOTING)
    except LifecycleError as exc:
        return exc
    raise AssertionError("the election is voting")  # pragma: no cover - callers check the phase first
