"""The ballot box (record.ballot_box) without a database: the order of a batch, duplicate ids, ciphertexts
and credentials within and across batches, the re-vote and spoil limits, the openings, and tracking codes
and events equal to what one-by-one casting made before the box (make_event of ballot_payload, C§9.1)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pytest
from tests.unit.test_crypto_support import ELECTION, Drbg, run_ceremony

from saylau.crypto.ballot import (
    EncryptedBallot,
    QuestionSpec,
    SpoiledOpening,
    check_opening,
    encrypt_ballot,
    open_spoiled,
)
from saylau.crypto.credentials import issue_credential, signing_key
from saylau.crypto.errors import FailureCode, Invalid
from saylau.crypto.tracking import genesis_code, tracking_chain
from saylau.record import ballot_box as box
from saylau.record.ballot_box import Accepted, Batch, Cast, Policy, Refused, Spoil, Taken
from saylau.record.errors import RecordError
from saylau.record.events import Event, EventType, ballot_payload, make_event, spoiled_payload

YES_NO = (QuestionSpec("q1", ("yes", "no"), 1, 1),)
KEY = run_ceremony(3, 2).public_key
HEAD = make_event(make_event(None, EventType.SETUP, {"a": 1}), EventType.CREDENTIALS, {"credentials": []})
LAST = Policy("last")
NOTHING = Taken()


def _voter(n: int):  # type: ignore[no-untyped-def]
    credential, _ = issue_credential(ELECTION, Drbg(f"voter-{n}"))
    return signing_key(credential, ELECTION)


VOTERS = [_voter(n) for n in range(3)]


def _encrypted(voter: int, ballot_id: str, seed: str | None = None) -> tuple[EncryptedBallot, SpoiledOpening]:
    """A real ballot; the same ``seed`` gives the same ciphertexts (nonces) whatever the id."""
    rng = Drbg(seed or f"{voter}-{ballot_id}")
    ballot, secrets_ = encrypt_ballot(YES_NO, [[1, 0]], KEY, ELECTION, ballot_id, VOTERS[voter], rng)
    return ballot, open_spoiled(ballot, secrets_)


def _cast(voter: int, ballot_id: str, seed: str | None = None) -> Cast:
    return box.cast_of(_encrypted(voter, ballot_id, seed)[0], ELECTION)


def _spoil(voter: int, ballot_id: str, *, bad: bool = False, seed: str | None = None) -> Spoil:
    ballot, opening = _encrypted(voter, ballot_id, seed)
    if bad:
        opening = dataclasses.replace(opening, choices=((0, 1),))
    return box.spoil_of(ballot, ELECTION, opening, check_opening(ballot, opening, YES_NO, KEY))


def _accept(
    items: Sequence[Cast | Spoil],
    taken: Taken = NOTHING,
    policy: Policy = LAST,
    *,
    head: Event = HEAD,
    last: str | None = None,
) -> Batch:
    return box.accept(ELECTION, head, last, taken, policy, items)


def _codes(batch: Batch) -> list[str]:
    return ["ok" if isinstance(o, Accepted) else o.code for o in batch.outcomes]


def test_a_batch_chains_heights_events_and_tracking_codes_as_one_by_one_casting_did() -> None:
    casts = [_cast(v, f"b-{v}") for v in range(3)]
    batch = _accept(casts)
    assert _codes(batch) == ["ok", "ok", "ok"]
    codes = tracking_chain(ELECTION, [c.digest for c in casts])
    previous = HEAD
    for cast, outcome, tracking in zip(casts, batch.outcomes, codes, strict=True):
        assert isinstance(outcome, Accepted)
        # What cast_ballot appended before the box: make_event(head, BALLOT, ballot_payload(...)).
        assert outcome.event == make_event(
            previous, EventType.BALLOT, ballot_payload(cast.ballot, cast.digest, tracking)
        )
        assert outcome.tracking == tracking
        assert outcome.entry == box.Entry(
            cast.ballot.ballot_id,
            cast.ballot.credential.hex(),
            cast.digest,
            "cast",
            tracking.full,
            previous.height + 1,
            cast.fingerprints,
        )
        previous = outcome.event
    assert batch.events == tuple(o.event for o in batch.outcomes if isinstance(o, Accepted))
    assert [e.height for e in batch.events] == [HEAD.height + 1, HEAD.height + 2, HEAD.height + 3]
    assert batch.head == batch.events[-1]


def test_the_chain_continues_from_the_last_tracking_code_and_an_empty_batch_changes_nothing() -> None:
    first = _accept([_cast(0, "b-0")])
    (one,) = first.outcomes
    assert isinstance(one, Accepted)
    assert one.tracking is not None
    assert one.tracking == tracking_chain(ELECTION, [one.entry.ballot_hash])[0]  # from code₀ of E
    second = _accept([_cast(1, "b-1")], head=first.head, last=one.tracking.full)
    (two,) = second.outcomes
    assert isinstance(two, Accepted)
    assert two.tracking is not None
    assert two.tracking == tracking_chain(ELECTION, [one.entry.ballot_hash, two.entry.ballot_hash])[1]
    assert two.event.parent == one.event.hash
    assert two.event.height == one.event.height + 1
    empty = _accept([])
    assert empty == Batch((), (), (), HEAD)
    assert genesis_code(ELECTION).full != one.tracking.full


def test_a_refused_ballot_takes_no_height_and_no_tracking_code() -> None:
    a, dup, b = _cast(0, "b-0"), _cast(1, "b-0"), _cast(2, "b-2")
    batch = _accept([a, dup, b])
    assert _codes(batch) == ["ok", "duplicate_ballot_id", "ok"]
    refused = batch.outcomes[1]
    assert refused == Refused("duplicate_ballot_id", "ballot id 'b-0' was already used")
    assert [e.height for e in batch.events] == [HEAD.height + 1, HEAD.height + 2]
    accepted = [o for o in batch.outcomes if isinstance(o, Accepted)]
    assert [o.tracking for o in accepted] == list(tracking_chain(ELECTION, [a.digest, b.digest]))
    assert [e.ballot_id for e in batch.entries] == ["b-0", "b-2"]


def test_duplicate_ids_across_batches_and_between_cast_and_spoiled_ballots() -> None:
    assert _codes(_accept([_cast(0, "b-0")], Taken(ids=frozenset({"b-0"})))) == ["duplicate_ballot_id"]
    assert _codes(_accept([_spoil(0, "b-0"), _cast(1, "b-0")])) == ["ok", "duplicate_ballot_id"]
    assert _codes(_accept([_cast(0, "b-0"), _spoil(1, "b-0")])) == ["ok", "duplicate_ballot_id"]


def test_duplicate_ciphertexts_within_a_ballot_a_batch_and_across_batches() -> None:
    message = "the ballot repeats a ciphertext already received"
    first = _cast(0, "b-0", seed="same")
    again = _cast(1, "b-1", seed="same")  # the same ciphertexts under another id and credential
    assert set(first.fingerprints) == set(again.fingerprints)
    assert first.ballot.ballot_id != again.ballot.ballot_id
    batch = _accept([first, again])
    assert _codes(batch) == ["ok", "duplicate_ciphertext"]
    assert batch.outcomes[1] == Refused("duplicate_ciphertext", message)
    across = Taken(ciphertexts=frozenset(first.fingerprints[:1]))
    assert _codes(_accept([again], across)) == ["duplicate_ciphertext"]
    own = dataclasses.replace(first, fingerprints=first.fingerprints * 2)  # repeats its own ciphertext
    assert _codes(_accept([own])) == ["duplicate_ciphertext"]
    # a spoiled ballot's ciphertexts are taken too
    assert _codes(_accept([_spoil(2, "s-0", seed="same"), first])) == ["ok", "duplicate_ciphertext"]


def test_refusal_order_id_then_ciphertext_then_the_credential_limit() -> None:
    cast = _cast(0, "b-0")
    everything = Taken(frozenset({"b-0"}), frozenset(cast.fingerprints), {cast.ballot.credential.hex(): 99})
    assert _codes(_accept([cast], everything)) == ["duplicate_ballot_id"]
    assert _codes(_accept([cast], dataclasses.replace(everything, ids=frozenset()))) == ["duplicate_ciphertext"]
    limited = Taken(casts={cast.ballot.credential.hex(): 99})
    assert _codes(_accept([cast], limited)) == ["too_many_ballots"]


def test_revote_refuse_allows_one_ballot_per_credential_within_and_across_batches() -> None:
    refuse = Policy("refuse", max_casts=5)  # "refuse" allows one whatever max_casts says
    batch = _accept([_cast(0, "b-0"), _cast(0, "b-1"), _cast(1, "b-2")], policy=refuse)
    assert _codes(batch) == ["ok", "revote_refused", "ok"]
    assert batch.outcomes[1] == Refused("revote_refused", "this credential has already voted")
    voted = Taken(casts={_cast(0, "b-0").ballot.credential.hex(): 1})
    assert _codes(_accept([_cast(0, "b-3")], voted, refuse)) == ["revote_refused"]


def test_revote_last_allows_max_casts_per_credential_within_and_across_batches() -> None:
    policy = Policy("last", max_casts=3)
    batch = _accept([_cast(0, f"b-{n}") for n in range(5)], policy=policy)
    assert _codes(batch) == ["ok", "ok", "ok", "too_many_ballots", "too_many_ballots"]
    assert batch.outcomes[3] == Refused(
        "too_many_ballots", "this credential has cast 3 ballots, the most one credential may cast", {"max_casts": 3}
    )
    credential = _cast(0, "x").ballot.credential.hex()
    assert _codes(_accept([_cast(0, "b-7"), _cast(1, "b-8")], Taken(casts={credential: 3}), policy)) == [
        "too_many_ballots",
        "ok",
    ]
    assert _codes(_accept([_cast(0, "b-7")], Taken(casts={credential: 2}), policy)) == ["ok"]
    assert Policy("last").casts == box.MAX_CASTS == 16
    # max_casts = 1 under "last" says what "refuse" says (as cast_ballot(max_casts=1) always did)
    assert _codes(_accept([_cast(0, "b-0"), _cast(0, "b-1")], policy=Policy("last", max_casts=1))) == [
        "ok",
        "revote_refused",
    ]


def test_spoiled_ballots_their_openings_and_their_limit() -> None:
    spoil = _spoil(0, "s-0")
    batch = _accept([spoil])
    (outcome,) = batch.outcomes
    assert isinstance(outcome, Accepted)
    assert outcome.tracking is None
    assert outcome.event == make_event(
        HEAD, EventType.SPOILED, spoiled_payload(spoil.ballot, spoil.digest, spoil.opening)
    )
    assert outcome.entry.kind == "spoiled"
    assert outcome.entry.tracking_code is None
    bad = _accept([_spoil(1, "s-1", bad=True)])
    assert bad.outcomes == (
        Refused("bad_opening", "the opening does not match the ballot at question[0].option[0]: mismatch"),
    )
    assert bad.events == ()
    assert bad.entries == ()
    # a duplicate is refused as a duplicate before its opening is looked at
    assert _codes(_accept([_spoil(1, "s-1", bad=True)], Taken(ids=frozenset({"s-1"})))) == ["duplicate_ballot_id"]
    limited = Policy("last", max_spoils=2)
    spoils = _accept([_spoil(0, f"s-{n}") for n in range(3)], policy=limited)
    assert _codes(spoils) == ["ok", "ok", "too_many_ballots"]
    assert spoils.outcomes[2] == Refused(
        "too_many_ballots",
        "this credential has spoiled 2 ballots, the most one credential may spoil",
        {"max_spoils": 2},
    )
    credential = spoil.ballot.credential.hex()
    assert _codes(_accept([_spoil(0, "s-9")], Taken(spoils={credential: 2}), limited)) == ["too_many_ballots"]


def test_spoiled_ballots_neither_count_as_casts_nor_take_a_tracking_code() -> None:
    refuse = Policy("refuse")
    first, second = _cast(0, "b-0"), _cast(1, "b-1")
    batch = _accept([_spoil(0, "s-0"), first, _spoil(0, "s-1"), second], Taken(spoils={}), refuse)
    assert _codes(batch) == ["ok", "ok", "ok", "ok"]
    accepted = [o for o in batch.outcomes if isinstance(o, Accepted)]
    assert [o.event.type for o in accepted] == [
        EventType.SPOILED,
        EventType.BALLOT,
        EventType.SPOILED,
        EventType.BALLOT,
    ]
    assert [accepted[1].tracking, accepted[3].tracking] == list(tracking_chain(ELECTION, [first.digest, second.digest]))
    assert [e.height for e in batch.events] == [HEAD.height + n for n in (1, 2, 3, 4)]


def test_what_the_box_assumes_is_refused_by_the_callers_with_its_texts() -> None:
    assert box.unregistered_credential() == Refused(
        "unknown_credential", "the ballot is signed by an unregistered credential"
    )
    assert box.invalid_ballot(Invalid(FailureCode.BAD_SIGNATURE, "signature")) == Refused(
        "invalid_ballot",
        "the ballot does not verify at signature: bad_signature",
        {"failure": "bad_signature", "where": "signature"},
    )


def test_no_ballot_after_a_non_voting_head_and_no_negative_limit() -> None:
    closed = make_event(HEAD, EventType.CLOSE, {"ballots": 0})
    with pytest.raises(RecordError) as err:
        _accept([_cast(0, "b-0")], head=closed)
    assert err.value.code == "record_not_voting"
    with pytest.raises(RecordError) as err:
        Policy("last", max_casts=-1)
    assert err.value.code == "record_bad_policy"
    assert _codes(_accept([_cast(0, "b-0")], policy=Policy("last", max_casts=0))) == ["too_many_ballots"]


def test_the_box_leaves_what_it_was_given_unchanged() -> None:
    credential = _cast(0, "x").ballot.credential.hex()
    counts = {credential: 1}
    taken = Taken(frozenset({"z"}), frozenset({"f"}), counts, {})
    _accept([_cast(0, "b-0"), _spoil(0, "s-0")], taken)
    assert taken == Taken(frozenset({"z"}), frozenset({"f"}), {credential: 1}, {})
    assert counts == {credential: 1}
