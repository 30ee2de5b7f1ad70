"""An e2e referendum through the services, on SQLite and PostgreSQL (spec/record.md)."""

from __future__ import annotations

import dataclasses
import json
import secrets
import threading
from pathlib import Path

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from tests.elections.e2e import E2eElection, Rng, open_e2e, seeded

from saylau.crypto.ballot import EncryptedBallot, encrypt_ballot, open_spoiled
from saylau.crypto.credentials import issue_credential, signing_key
from saylau.model import Conflict, LifecycleError
from saylau.record.chain import check_chain
from saylau.record.events import Revote
from saylau.services.context import Context
from saylau.services.e2e.casting import cast_ballot, spoil_ballot
from saylau.services.e2e.demo import YES_NO
from saylau.services.e2e.lifecycle import (
    close_election,
    export_record,
    publish_result,
    record_events,
)
from saylau.services.e2e.state import E2eRejected, load_state
from saylau.store import e2e_schema as e
from saylau.store.e2e_repo import E2eTx

RNG = secrets.token_bytes
CODE = "ref-1"


def _setup(ctx: Context, voters: int = 3, revote: Revote = "last") -> E2eElection:
    return open_e2e(ctx, CODE, voters=voters, revote=revote)


def _ballot(el: E2eElection, voter: int, yes: int, ballot_id: str, rng: Rng = RNG) -> EncryptedBallot:
    return el.ballot(voter, yes, ballot_id, rng)


def _decrypt(ctx: Context, el: E2eElection, guardians: tuple[int, ...]) -> None:
    el.decrypt(ctx, guardians, RNG)


def test_a_whole_election_with_a_revote_a_spoiled_ballot_and_a_missing_guardian(ctx: Context) -> None:
    el = _setup(ctx)
    cast_ballot(ctx, CODE, _ballot(el, 0, 1, "a1"))
    receipt = cast_ballot(ctx, CODE, _ballot(el, 0, 0, "a2"))  # re-vote: only this one counts
    key = signing_key(el.voters[1], el.fingerprint)
    challenged, device = encrypt_ballot(YES_NO, [[0, 1]], el.council.joint_key, el.fingerprint, "b0", key, RNG)
    spoil_ballot(ctx, CODE, challenged, open_spoiled(challenged, device))
    cast_ballot(ctx, CODE, _ballot(el, 1, 1, "b1"))
    cast_ballot(ctx, CODE, _ballot(el, 2, 0, "c1"))
    with pytest.raises(E2eRejected) as spoiled_again:
        cast_ballot(ctx, CODE, challenged)  # a spoiled ballot can never be cast
    assert spoiled_again.value.code == "duplicate_ballot_id"
    ballots, _head = close_election(ctx, CODE)
    assert ballots == 4
    assert len(receipt.tracking.short) == 19
    _decrypt(ctx, el, (1, 3))  # guardian 2 is absent
    with pytest.raises(LifecycleError):
        cast_ballot(ctx, CODE, _ballot(el, 2, 1, "late"))
    result = publish_result(ctx, CODE)
    assert result.counts == ((1, 2),)
    assert result.present == (1, 3)
    assert result.ballots == 3
    events = record_events(ctx, CODE)
    assert check_chain(events) == []
    assert [ev.type.value for ev in events][-4:] == ["tally", "decryption", "decryption", "result"]
    with ctx.store.transaction() as tx:
        actions = [(r["action"], r["outcome"]) for r in tx.audit_rows(CODE)]
    assert ("e2e.cast", "refused") in actions
    assert ("e2e.result", "ok") in actions


def test_quorum_is_needed(ctx: Context) -> None:
    el = _setup(ctx)
    cast_ballot(ctx, CODE, _ballot(el, 0, 1, "a1"))
    close_election(ctx, CODE)
    _decrypt(ctx, el, (2,))
    with pytest.raises(LifecycleError) as err:
        publish_result(ctx, CODE)
    assert err.value.code == "quorum_not_met"


def test_a_copied_ballot_under_a_new_id_is_refused(ctx: Context) -> None:
    el = _setup(ctx)
    ballot = _ballot(el, 0, 1, "a1")
    cast_ballot(ctx, CODE, ballot)
    with pytest.raises(E2eRejected) as err:
        cast_ballot(ctx, CODE, dataclasses.replace(ballot, ballot_id="a1-copy"))
    assert err.value.code == "invalid_ballot"
    with pytest.raises(E2eRejected) as again:
        cast_ballot(ctx, CODE, ballot)
    assert again.value.code == "duplicate_ballot_id"


_replaying_rng = seeded


def test_a_duplicate_ciphertext_is_refused(ctx: Context) -> None:
    """The voter's device re-proves the same ciphertexts (same nonces) under a fresh id: valid, but a copy."""
    el = _setup(ctx)
    cast_ballot(ctx, CODE, _ballot(el, 0, 1, "a1", _replaying_rng(b"same")))
    twin = _ballot(el, 0, 1, "a2", _replaying_rng(b"same"))
    with pytest.raises(E2eRejected) as err:
        cast_ballot(ctx, CODE, twin)
    assert err.value.code == "duplicate_ciphertext"


def test_a_ballot_signed_by_an_unregistered_credential_is_refused(ctx: Context) -> None:
    el = _setup(ctx)
    stranger, _ = issue_credential(el.fingerprint, RNG)
    el.voters.append(stranger)
    with pytest.raises(E2eRejected) as err:
        cast_ballot(ctx, CODE, _ballot(el, 3, 1, "x1"))
    assert err.value.code == "unknown_credential"
    with ctx.store.transaction() as tx:  # the database refuses it too (FK to the public credentials)
        election_id = tx.conn.execute(e.e2e_election.select()).first().id  # type: ignore[union-attr]
    row = {"election_id": election_id, "ballot_id": "x", "credential": "ab" * 32, "ballot_hash": "cd" * 32}
    with pytest.raises(IntegrityError), ctx.store.engine.begin() as conn:
        conn.execute(insert(e.e2e_ballot), {**row, "kind": "cast", "tracking_code": "ef" * 32, "height": 99})


def test_revote_refused_when_the_setting_says_so(ctx: Context) -> None:
    el = _setup(ctx, revote="refuse")
    cast_ballot(ctx, CODE, _ballot(el, 0, 1, "a1"))
    with pytest.raises(E2eRejected) as err:
        cast_ballot(ctx, CODE, _ballot(el, 0, 0, "a2"))
    assert err.value.code == "revote_refused"


def test_a_bad_opening_is_refused(ctx: Context) -> None:
    el = _setup(ctx)
    key = signing_key(el.voters[0], el.fingerprint)
    ballot, device = encrypt_ballot(YES_NO, [[1, 0]], el.council.joint_key, el.fingerprint, "s1", key, RNG)
    opening = open_spoiled(ballot, device)
    with pytest.raises(E2eRejected) as err:
        spoil_ballot(ctx, CODE, ballot, dataclasses.replace(opening, choices=((0, 1),)))
    assert err.value.code == "bad_opening"


def _secret_hexes(el: E2eElection, nonces: list[str]) -> list[str]:
    out = [c.code.hex() for c in el.voters]
    out += [signing_key(c, el.fingerprint).secret.hex() for c in el.voters]
    out += [k.secret.hex() for k in el.council.key_shares]
    out += [a.hex() for g in el.council.secrets for a in g.coefficients]
    out += [g.auth.secret.hex() for g in el.council.secrets]
    return out + nonces


def test_the_export_is_deterministic_and_holds_no_secret(ctx: Context, tmp_path: Path) -> None:
    el = _setup(ctx)
    nonces: list[str] = []
    for voter, yes in ((0, 1), (1, 0), (2, 1)):
        key = signing_key(el.voters[voter], el.fingerprint)
        ballot, device = encrypt_ballot(
            YES_NO, [[yes, 1 - yes]], el.council.joint_key, el.fingerprint, f"v{voter}", key, RNG
        )
        cast_ballot(ctx, CODE, ballot)
        nonces += [r.hex() for row in device.nonces for r in row]
    close_election(ctx, CODE)
    _decrypt(ctx, el, (1, 2))
    assert publish_result(ctx, CODE).counts == ((2, 1),)
    first, second = export_record(ctx, CODE, tmp_path / "a"), export_record(ctx, CODE, tmp_path / "b")
    assert sorted(p.name for p in first.iterdir()) == ["events.jsonl", "manifest.json"]
    for name in ("events.jsonl", "manifest.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    text = (first / "events.jsonl").read_text() + (first / "manifest.json").read_text()
    leaked = [h for h in _secret_hexes(el, nonces) if h in text]
    assert leaked == []
    manifest = json.loads((first / "manifest.json").read_text())
    assert manifest["events"] == len(text.splitlines()) - 1
    assert manifest["fingerprint"] == el.fingerprint
    with pytest.raises(Conflict):
        export_record(ctx, CODE, first)  # not empty


def test_ballots_cast_at_the_same_moment_extend_one_chain(ctx: Context) -> None:

    el = _setup(ctx, voters=3)
    ballots = [_ballot(el, v, 1, f"v{v}") for v in range(3)]
    barrier = threading.Barrier(len(ballots))
    errors: list[BaseException] = []

    def cast(ballot: EncryptedBallot) -> None:
        try:
            barrier.wait()
            cast_ballot(ctx, CODE, ballot)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=cast, args=(b,)) for b in ballots]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    with ctx.store.transaction() as tx:
        x = E2eTx(tx)
        state = load_state(x, CODE)
        assert len(x.cast_ballots(state.row.id)) == 3
