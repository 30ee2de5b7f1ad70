"""Issue 9 (High 2, Low): one voter can never make the intake drop other voters' ballots, on SQLite and
PostgreSQL. A malformed ballot id is refused before queueing (and over HTTP as 422 problem+json); a batch
whose commit fails is written again ballot by ballot; re-vote ``last`` is capped per credential."""

from __future__ import annotations

import json
from collections.abc import Sequence
from concurrent.futures import Future

import pytest
from fastapi.testclient import TestClient
from tests.integration.test_e2e_intake import CODE, Election, _code, _outcome, _rng, _setup

from saylau.api import create_app
from saylau.crypto import codec
from saylau.crypto.ballot import EncryptedBallot, encrypt_ballot, open_spoiled
from saylau.crypto.credentials import signing_key
from saylau.io.ballot_body import BadBallotId
from saylau.model import SaylauError
from saylau.record.chain import check_chain
from saylau.record.events import EventType
from saylau.services.context import Context
from saylau.services.e2e.casting import CastReceipt, cast_ballot, spoil_ballot
from saylau.services.e2e.demo import YES_NO
from saylau.services.e2e.intake import BallotIntake
from saylau.services.e2e.lifecycle import record_events
from saylau.services.e2e.state import E2eRejected, load_state
from saylau.store.e2e_repo import E2eTx, NewBallot

MALFORMED = {"empty": "", "129 chars": "a" * 129, "NUL": "a\x00b", "non-ASCII": "bülletin", "upper case": "ABC"}


def _signed_with(monkeypatch: pytest.MonkeyPatch, el: Election, voter: int, ballot_id: str) -> str:
    """A ballot properly signed under a malformed id (the check switched off while it is made), as JSON:
    what an attacker's own device can send."""
    with monkeypatch.context() as m:
        m.setattr("saylau.crypto.ballot.check_ballot_id", lambda *_a, **_k: None, raising=False)
        ballot = el.ballot(voter, 1, ballot_id, _rng())
        plain = codec.to_plain(ballot)
    return json.dumps(plain)


def _recorded_ids(ctx: Context) -> list[str]:
    with ctx.store.transaction() as tx:
        x = E2eTx(tx)
        return [b.ballot_id for b in x.cast_ballots(load_state(x, CODE).row.id)]


def test_a_poisoned_ballot_fails_alone(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """One ballot whose insert the database refuses, queued in one batch with four honest ones: the four
    are recorded and acknowledged, the poisoned one gets the error and nothing of it is written."""
    el = _setup(ctx, voters=5)
    ballots = [el.ballot(v, v % 2, "poison" if v == 2 else f"v{v}", _rng()) for v in range(5)]
    real = E2eTx.insert_ballots

    def refusing(self: E2eTx, election_id: int, rows: Sequence[NewBallot]) -> None:
        if any(r.ballot_id == "poison" for r in rows):
            raise OSError("injected: the database refuses this ballot")
        real(self, election_id, rows)

    monkeypatch.setattr(E2eTx, "insert_ballots", refusing)
    intake = BallotIntake(ctx, max_batch=len(ballots), max_wait=30.0)  # all five in one batch, written once full
    try:
        outcomes = [_result(f) for f in [intake.submit(CODE, b) for b in ballots]]
    finally:
        intake.close()
    assert [o if isinstance(o, str) else _code(o) for o in outcomes] == ["ok", "ok", "OSError", "ok", "ok"]
    assert _recorded_ids(ctx) == ["v0", "v1", "v3", "v4"]
    receipts = [o for o in outcomes if not isinstance(o, str)]
    events = record_events(ctx, CODE)
    assert check_chain(events) == []
    assert [r.height for r in receipts] == [e.height for e in events if e.type is EventType.BALLOT]
    with ctx.store.transaction() as tx:
        audit = [(r["action"], r["outcome"]) for r in tx.audit_rows(CODE)]
    assert audit.count(("e2e.cast", "ok")) == 4


def _result(future: Future[CastReceipt]) -> CastReceipt | SaylauError | str:
    """The outcome, or the name of the (database) error that is no refusal."""
    try:
        return _outcome(future)
    except OSError as exc:
        return type(exc).__name__


@pytest.mark.parametrize("what", sorted(MALFORMED))
def test_malformed_ids_are_refused_before_queueing(ctx: Context, monkeypatch: pytest.MonkeyPatch, what: str) -> None:
    el = _setup(ctx, voters=2)
    body = _signed_with(monkeypatch, el, 0, MALFORMED[what]).encode()
    intake = BallotIntake(ctx, max_batch=64, max_wait=0.0)
    try:
        with pytest.raises(BadBallotId) as err:
            intake.submit_body(CODE, body)
        assert err.value.code == "bad_ballot_id"
        assert intake.committed == 0  # nothing was queued
        assert intake.transactions == 0
        assert _code(intake.cast(CODE, el.ballot(1, 1, "honest", _rng()))) == "ok"
    finally:
        intake.close()
    assert _recorded_ids(ctx) == ["honest"]


def test_malformed_ids_over_http_are_422_and_honest_ballots_pass(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    el = _setup(ctx, voters=3)
    url = f"/api/e2e/{CODE}/ballots"
    bodies = [_signed_with(monkeypatch, el, 0, bad) for bad in MALFORMED.values()]
    surrogate = json.loads(codec.dumps(el.ballot(0, 1, "x", _rng())))
    # a lone surrogate (cannot be signed): the strict JSON reader refuses it anywhere, before the id is read
    bodies.append(json.dumps(surrogate | {"ballot_id": "\ud800"}))
    codes = ["bad_ballot_id"] * len(MALFORMED) + ["bad_input"]
    with TestClient(create_app(ctx)) as client:
        for body, expected in zip(bodies, codes, strict=True):
            answer = client.post(url, content=body)
            assert answer.status_code == 422, answer.text
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert answer.json()["code"] == expected
        for body in bodies:  # a replay is refused again the same way: never recorded, never a 500
            assert client.post(url, content=body).status_code == 422
        honest = client.post(url, content=codec.dumps(el.ballot(1, 1, "h1", _rng())))
        assert honest.status_code == 201, honest.text
    assert _recorded_ids(ctx) == ["h1"]


def _ballots(el: Election, voter: int, n: int, prefix: str) -> list[EncryptedBallot]:
    return [el.ballot(voter, k % 2, f"{prefix}{k}", _rng()) for k in range(n)]


def test_revote_last_is_capped_per_credential_in_the_batch(ctx: Context) -> None:
    el = _setup(ctx, voters=2)
    intake = BallotIntake(ctx, max_batch=5, max_wait=30.0, max_casts=3)  # the five in one batch, written once full
    try:
        first = [_code(_outcome(f)) for f in [intake.submit(CODE, b) for b in _ballots(el, 0, 5, "a")]]
    finally:
        intake.close()
    intake = BallotIntake(ctx, max_wait=0.0, max_casts=3)  # then one batch each
    try:
        later = _code(_outcome(intake.submit(CODE, el.ballot(0, 1, "late", _rng()))))
        other = _code(_outcome(intake.submit(CODE, el.ballot(1, 1, "b0", _rng()))))
    finally:
        intake.close()
    assert first == ["ok", "ok", "ok", "too_many_ballots", "too_many_ballots"]
    assert (later, other) == ("too_many_ballots", "ok")
    assert _recorded_ids(ctx) == ["a0", "a1", "a2", "b0"]
    with ctx.store.transaction() as tx:
        refused = [r for r in tx.audit_rows(CODE) if r["outcome"] == "refused"]
    assert len(refused) == 3


def test_revote_last_is_capped_one_by_one_and_by_default(ctx: Context) -> None:
    el = _setup(ctx, voters=2)
    codes = []
    for ballot in _ballots(el, 0, 3, "a"):
        try:
            cast_ballot(ctx, CODE, ballot, max_casts=2)
            codes.append("ok")
        except Exception as exc:
            codes.append(getattr(exc, "code", type(exc).__name__))
    assert codes == ["ok", "ok", "too_many_ballots"]
    intake = BallotIntake(ctx, max_batch=17, max_wait=30.0)  # one batch, written once full; the default bound: 16
    try:
        outcomes = [_code(_outcome(f)) for f in [intake.submit(CODE, b) for b in _ballots(el, 1, 17, "b")]]
    finally:
        intake.close()
    assert outcomes == ["ok"] * 16 + ["too_many_ballots"]


def test_malformed_ids_of_a_spoiled_ballot_are_422(ctx: Context) -> None:
    el = _setup(ctx, voters=2)
    url = f"/api/e2e/{CODE}/spoiled"
    with TestClient(create_app(ctx)) as client:
        for bad in [*MALFORMED.values(), "\ud800"]:
            ballot = json.loads(codec.dumps(el.ballot(0, 1, "fine", _rng())))
            opening = {"ballot_id": bad, "choices": [[1, 0]], "nonces": [["00" * 32]]}
            for body in (
                {"ballot": ballot | {"ballot_id": bad}, "opening": opening},
                {"ballot": ballot, "opening": opening},
            ):
                answer = client.post(url, content=json.dumps(body))
                assert answer.status_code == 422, answer.text
                # a lone surrogate is refused by the strict JSON reader before any id is read
                assert answer.json()["code"] == ("bad_input" if bad == "\ud800" else "bad_ballot_id")
    assert _recorded_ids(ctx) == []


def test_spoiled_ballots_are_capped_per_credential(ctx: Context) -> None:
    el = _setup(ctx, voters=2)
    key = signing_key(el.voters[0], el.fingerprint)
    codes = []
    for k in range(3):
        ballot, device = encrypt_ballot(YES_NO, [[1, 0]], el.council.joint_key, el.fingerprint, f"s{k}", key, _rng())
        try:
            spoil_ballot(ctx, CODE, ballot, open_spoiled(ballot, device), max_spoils=2)
            codes.append("ok")
        except E2eRejected as exc:
            codes.append(exc.code)
    assert codes == ["ok", "ok", "too_many_ballots"]
    assert sum(1 for e in record_events(ctx, CODE) if e.type is EventType.SPOILED) == 2
