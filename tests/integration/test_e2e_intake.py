"""Ballot intake by group commit (services.e2e_intake) on SQLite and PostgreSQL: concurrent submitters,
refusals inside a batch, equality with one-by-one casting, a failed commit, draining on shutdown."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from tests.conftest import FixedClock
from tests.elections import context
from tests.elections.e2e import E2eElection, Rng, open_e2e, seeded
from tests.pgschema import temporary_schema

from saylau.api import create_app
from saylau.crypto import codec
from saylau.crypto.ballot import EncryptedBallot, encrypt_ballot, open_spoiled
from saylau.crypto.credentials import signing_key
from saylau.model import LifecycleError, SaylauError
from saylau.record.chain import check_chain
from saylau.record.events import EventType, Revote
from saylau.services.context import Context
from saylau.services.e2e.casting import CastReceipt, cast_ballot, spoil_ballot
from saylau.services.e2e.demo import YES_NO
from saylau.services.e2e.intake import BallotIntake, IntakeClosed
from saylau.services.e2e.lifecycle import (
    close_election,
    export_record,
    publish_result,
    record_events,
)
from saylau.services.e2e.state import E2eRejected, load_state
from saylau.store.e2e_repo import E2eTx

CODE = "ref-intake"
VERIFY = Path(__file__).resolve().parents[2] / "verifier" / ".venv" / "bin" / "saylau-verify"
if not VERIFY.exists() and os.environ.get("CI"):  # in CI the verifier must be there: never a silent skip
    raise RuntimeError(f"the verifier is not installed at {VERIFY}: .ci/run installs it before the tests")


_seeded = seeded
Election = E2eElection  # the name the board and intake-fault tests import


def _setup(ctx: Context, voters: int, revote: Revote = "last", seed: bytes = b"intake") -> E2eElection:
    """The same seed gives the same election (fingerprint, guardians, credentials) in any database."""
    return open_e2e(ctx, CODE, voters=voters, revote=revote, seed=seed)


@pytest.fixture
def other_ctx(db_url: str, tmp_path: Path) -> Iterator[Context]:
    """A second, empty database of the same kind as ``ctx``'s."""
    if db_url.startswith("sqlite"):
        with context(f"sqlite:///{tmp_path / 'other.db'}", FixedClock()) as other:
            yield other
        return
    with temporary_schema("t") as url, context(url, FixedClock()) as other:
        yield other


def _outcome(future: Future[CastReceipt]) -> CastReceipt | SaylauError:
    try:
        return future.result(timeout=120)
    except SaylauError as exc:
        return exc


def _code(outcome: CastReceipt | SaylauError) -> str:
    return "ok" if isinstance(outcome, CastReceipt) else outcome.code


def _mixed_ballots(el: Election, rng: Rng) -> list[EncryptedBallot]:
    """Votes, re-votes, replays (the same ballot again), copied ciphertexts under a new id, an unknown
    credential and a ballot whose proofs do not verify, in one arrival order."""
    out: list[EncryptedBallot] = []
    for n in range(len(el.voters) * 2):
        voter = n % len(el.voters)
        out.append(el.ballot(voter, (n // 3) % 2, f"v{n}", rng))
        if n % 5 == 1:
            out.append(out[-1])  # replay: duplicate_ballot_id
        if n % 7 == 3:
            seed = f"twin{n}".encode()
            out.append(el.ballot(voter, 1, f"t{n}a", _seeded(seed)))
            out.append(el.ballot(voter, 1, f"t{n}b", _seeded(seed)))  # same ciphertexts: duplicate_ciphertext
    out.append(el.ballot(-1, 1, "stranger", rng))  # unknown_credential
    out.append(dataclasses.replace(out[0], ballot_id="v0-copy"))  # proofs bound to "v0": invalid_ballot
    return out


def _verify_record(ctx: Context, el: Election, out: Path) -> None:
    el.decrypt(ctx, (1, 3), _rng())
    publish_result(ctx, CODE)
    export_record(ctx, CODE, out)
    if not VERIFY.exists():
        pytest.skip("the verifier's virtualenv is not installed")
    done = subprocess.run(
        [str(VERIFY), str(out), "--jobs", "1"], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _rng() -> Rng:
    return os.urandom


def test_concurrent_submitters_through_two_intakes(ctx: Context, tmp_path: Path) -> None:
    """8 threads, two intakes (as two server processes would have): every accepted ballot is in the record
    exactly once, each refusal names its reason, and the record verifies independently."""
    el = _setup(ctx, voters=6)
    ballots = _mixed_ballots(el, _rng())
    intakes = [BallotIntake(ctx, max_batch=8, max_wait=0.002), BallotIntake(ctx, max_batch=8, max_wait=0.002)]
    outcomes: list[tuple[EncryptedBallot, CastReceipt | SaylauError]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def client(k: int) -> None:
        barrier.wait()
        for ballot in ballots[k::8]:
            outcome = _outcome(intakes[k % 2].submit(CODE, ballot))
            with lock:
                outcomes.append((ballot, outcome))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    for intake in intakes:
        intake.close()
    assert len(outcomes) == len(ballots)
    by_id: dict[str, list[str]] = {}
    for ballot, outcome in outcomes:
        by_id.setdefault(ballot.ballot_id, []).append(_code(outcome))
    for ballot_id, codes in by_id.items():
        if ballot_id == "stranger":
            assert codes == ["unknown_credential"]
        elif ballot_id == "v0-copy":
            assert codes == ["invalid_ballot"]
        elif len(codes) == 2:  # a replay: one of the two is recorded, whichever arrived first
            assert sorted(codes) == ["duplicate_ballot_id", "ok"], (ballot_id, codes)
        elif ballot_id.startswith("t"):
            twin = ballot_id[:-1] + ("b" if ballot_id.endswith("a") else "a")
            assert sorted(codes + by_id[twin]) == ["duplicate_ciphertext", "ok"], (ballot_id, codes)
        else:
            assert codes == ["ok"], (ballot_id, codes)
    receipts = {r.ballot_id: r for _, r in outcomes if isinstance(r, CastReceipt)}
    events = record_events(ctx, CODE)
    assert check_chain(events) == []
    cast = [e for e in events if e.type is EventType.BALLOT]
    assert sorted(r.height for r in receipts.values()) == [e.height for e in cast]
    with ctx.store.transaction() as tx:
        x = E2eTx(tx)
        rows = x.cast_ballots(load_state(x, CODE).row.id)
        audit = [(r["action"], r["outcome"]) for r in tx.audit_rows(CODE)]
    assert sorted(b.ballot_id for b in rows) == sorted(receipts)  # each accepted ballot exactly once
    for b in rows:
        assert (b.height, b.tracking_code) == (receipts[b.ballot_id].height, receipts[b.ballot_id].tracking.full)
    refusals = sum(1 for _, r in outcomes if isinstance(r, E2eRejected))
    assert audit.count(("e2e.cast", "ok")) == len(receipts)
    assert audit.count(("e2e.cast", "refused")) == refusals
    assert close_election(ctx, CODE)[0] == len(receipts)
    _verify_record(ctx, el, tmp_path / "record")


def _submit_all(intake: BallotIntake, ballots: list[EncryptedBallot]) -> list[CastReceipt | SaylauError]:
    futures = [intake.submit(CODE, b) for b in ballots]  # arrival order: this order
    return [_outcome(f) for f in futures]


def test_refusals_inside_one_batch(ctx: Context) -> None:
    """Queued together (one batch): a replay, copied ciphertexts and a re-vote are refused against the
    ballots before them in the batch, and nothing of theirs is written."""
    el = _setup(ctx, voters=3, revote="refuse")
    rng = _rng()
    first = el.ballot(0, 1, "a1", rng)
    ballots = [
        first,
        first,
        el.ballot(1, 1, "b1", _seeded(b"same")),
        el.ballot(2, 1, "c1", _seeded(b"same")),  # voter 2, voter 1's ciphertexts: duplicate_ciphertext
        el.ballot(0, 0, "a2", rng),  # voter 0 again: revote_refused
        el.ballot(2, 1, "c2", rng),
    ]
    intake = BallotIntake(ctx, max_batch=len(ballots), max_wait=30.0)  # one batch, written once full
    try:
        outcomes = _submit_all(intake, ballots)
    finally:
        intake.close()
    assert [_code(o) for o in outcomes] == [
        "ok",
        "duplicate_ballot_id",
        "ok",
        "duplicate_ciphertext",
        "revote_refused",
        "ok",
    ]
    receipts = [o for o in outcomes if isinstance(o, CastReceipt)]
    heights = [r.height for r in receipts]
    assert heights == list(range(heights[0], heights[0] + 3))  # consecutive: nothing else was written
    events = record_events(ctx, CODE)
    assert [e.height for e in events if e.type is EventType.BALLOT] == heights
    assert check_chain(events) == []


def test_the_record_equals_one_by_one_casting(ctx: Context, other_ctx: Context) -> None:
    """The same election in two databases, the same ballots in the same order: cast_ballot one by one in
    one, the intake (several batches, refusals among them) in the other: the same record, event by event."""
    one, grouped = _setup(ctx, voters=5), _setup(other_ctx, voters=5)
    assert one.fingerprint == grouped.fingerprint
    ballots = _mixed_ballots(one, _rng())
    spoiler = signing_key(one.voters[4], one.fingerprint)
    challenged, device = encrypt_ballot(YES_NO, [[0, 1]], one.council.joint_key, one.fingerprint, "s0", spoiler, _rng())
    ballots.insert(3, challenged)  # spoiled in both before the casts (its id then refused as a cast)
    serial: list[str] = []
    spoil_ballot(ctx, CODE, challenged, open_spoiled(challenged, device))
    spoil_ballot(other_ctx, CODE, challenged, open_spoiled(challenged, device))
    for ballot in ballots:
        try:
            cast_ballot(ctx, CODE, ballot)
            serial.append("ok")
        except SaylauError as exc:
            serial.append(exc.code)
    intake = BallotIntake(other_ctx, max_batch=5, max_wait=1.0)
    try:
        grouped_codes = [_code(o) for o in _submit_all(intake, ballots)]
    finally:
        intake.close()
    assert grouped_codes == serial
    assert {"duplicate_ballot_id", "duplicate_ciphertext", "unknown_credential", "invalid_ballot"} <= set(serial)
    assert record_events(other_ctx, CODE) == record_events(ctx, CODE)
    assert close_election(other_ctx, CODE) == close_election(ctx, CODE)


def test_a_failed_commit_acknowledges_nothing(ctx: Context) -> None:
    el = _setup(ctx, voters=4)
    ballots = [el.ballot(v, 1, f"v{v}", _rng()) for v in range(4)]
    before = record_events(ctx, CODE)

    def fail_commit(conn: object) -> None:
        if threading.current_thread().name == "saylau-ballot-intake":
            raise OSError("injected: the disk is full")

    event.listen(ctx.store.engine, "commit", fail_commit)
    intake = BallotIntake(ctx, max_batch=len(ballots), max_wait=30.0)  # one batch, written once full
    try:
        futures = [intake.submit(CODE, b) for b in ballots]
        for f in futures:
            with pytest.raises(OSError, match="injected"):
                f.result(timeout=120)
    finally:
        event.remove(ctx.store.engine, "commit", fail_commit)
    assert record_events(ctx, CODE) == before
    with ctx.store.transaction() as tx:
        assert ("e2e.cast", "ok") not in [(r["action"], r["outcome"]) for r in tx.audit_rows(CODE)]
    # the writer goes on, and the same ballots are taken once the database is back: nothing of them stayed
    try:
        assert [_code(o) for o in _submit_all(intake, ballots)] == ["ok"] * 4
    finally:
        intake.close()
    assert len(record_events(ctx, CODE)) == len(before) + 4


def test_close_drains_the_queue_then_refuses(ctx: Context) -> None:
    el = _setup(ctx, voters=6)
    ballots = [el.ballot(v, v % 2, f"v{v}", _rng()) for v in range(6)]
    intake = BallotIntake(ctx, max_batch=2, max_wait=0.5)
    futures = [intake.submit(CODE, b) for b in ballots]
    intake.close()  # returns once everything queued is committed
    assert all(f.done() for f in futures)
    assert [f.result().ballot_id for f in futures] == [f"v{v}" for v in range(6)]
    assert sum(1 for e in record_events(ctx, CODE) if e.type is EventType.BALLOT) == 6
    with pytest.raises(IntakeClosed):
        intake.cast(CODE, el.ballot(0, 1, "late", _rng()))


def test_voting_closed_after_the_election_was_cached(ctx: Context) -> None:
    el = _setup(ctx, voters=2)
    intake = BallotIntake(ctx, max_wait=0.0)
    try:
        intake.cast(CODE, el.ballot(0, 1, "a1", _rng()))  # the election is cached as voting
        close_election(ctx, CODE)
        for ballot_id in ("b1", "b2"):  # refused by the writer, then before queueing (phase read again)
            with pytest.raises(LifecycleError) as err:
                intake.cast(CODE, el.ballot(1, 1, ballot_id, _rng()))
            assert err.value.code == "e2e_wrong_phase"
    finally:
        intake.close()
    assert [e.type for e in record_events(ctx, CODE)][-2:] == [EventType.BALLOT, EventType.CLOSE]


def test_the_api_casts_through_the_intake_and_drains_it_on_shutdown(ctx: Context) -> None:

    el = _setup(ctx, voters=2)
    app = create_app(ctx)
    intake: BallotIntake = app.state.ballot_intake
    with TestClient(app) as client:
        answer = client.post(f"/api/e2e/{CODE}/ballots", content=codec.dumps(el.ballot(0, 1, "h1", _rng())))
        assert answer.status_code == 201, answer.text
        assert answer.json()["height"] == record_events(ctx, CODE)[-1].height
        assert intake.committed == 1
        again = client.post(f"/api/e2e/{CODE}/ballots", content=codec.dumps(el.ballot(-1, 1, "h2", _rng())))
        assert again.status_code == 400
        assert again.json()["code"] == "unknown_credential"
    with pytest.raises(IntakeClosed):  # the application's shutdown closed it
        intake.cast(CODE, el.ballot(1, 1, "h3", _rng()))
