"""Laws of the ballot box (record.ballot_box, Hypothesis, no database).

- Its BALLOT event shortcut (the payload text put together from the ballot's canonical text) is byte-equal
  to ``make_event(head, BALLOT, ballot_payload(...))`` (spec/record.md §2, §5) for generated ballots:
  any ballot id of C§7.9, question ids in any Unicode (surrogates, quotes, control characters), scalars
  and elements of any size, heights up to 2**62.
- Whatever it accepts is a record V15–V17 pass: a chain of canonical events after the head, ballot ids
  and ciphertexts unique and new, tracking codes chained from the last one, the limits per credential
  kept; and it refuses a ballot only for the first rule it breaks, given what came before it.
- A batch decides as its parts do one after another (what lets ``cast_ballot``, a batch of one, and the
  group commit of ``BallotIntake`` write the same record).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.crypto import codec
from saylau.crypto.ballot import EncryptedBallot, EncryptedQuestion, EncryptedSelection, SpoiledOpening
from saylau.crypto.credentials import Signature
from saylau.crypto.elgamal import Ciphertext
from saylau.crypto.errors import VALID, FailureCode, Invalid
from saylau.crypto.group import GROUP_ORDER, Scalar, base_mul
from saylau.crypto.hashing import short_code
from saylau.crypto.proofs import RangeProof
from saylau.crypto.tracking import TrackingCode, genesis_code, next_tracking_code
from saylau.record import ballot_box as box
from saylau.record.ballot_box import Batch, Cast, Policy, Refused, Spoil, Taken
from saylau.record.encoding import canon
from saylau.record.events import Event, EventType, ballot_payload, make_event, spoiled_payload

ELECTION = "e1" * 32
HEX64 = st.binary(min_size=32, max_size=32).map(bytes.hex)
SCALARS = st.integers(0, GROUP_ORDER - 1).map(Scalar)
ELEMENTS = st.integers(1, GROUP_ORDER - 1).map(lambda n: base_mul(Scalar(n)))
PROOFS = st.builds(RangeProof, st.lists(SCALARS, max_size=3).map(tuple), st.lists(SCALARS, max_size=3).map(tuple))
SELECTIONS = st.builds(EncryptedSelection, st.builds(Ciphertext, ELEMENTS, ELEMENTS), PROOFS)
QUESTIONS = st.builds(
    EncryptedQuestion,
    st.text(st.characters(exclude_categories=()), max_size=12),  # any code point, lone surrogates too
    st.lists(SELECTIONS, max_size=3).map(tuple),
    PROOFS,
)
BALLOT_IDS = st.from_regex(r"[0-9a-z-]{1,64}", fullmatch=True)
BALLOTS = st.builds(
    EncryptedBallot,
    BALLOT_IDS,
    ELEMENTS,
    st.lists(QUESTIONS, max_size=3).map(tuple),
    st.builds(Signature, SCALARS, SCALARS),
)
VOTING = st.sampled_from([EventType.CREDENTIALS, EventType.BALLOT, EventType.SPOILED])
HEADS = st.builds(
    lambda height, parent, kind, digest, h: Event(height, parent, kind, "{}", digest, h),
    st.integers(0, 2**62),
    HEX64,
    VOTING,
    HEX64,
    HEX64,
)
TRACKING = HEX64.map(lambda full: TrackingCode(full, short_code(full)))


@settings(max_examples=60, deadline=None)
@given(BALLOTS, HEX64, HEADS, TRACKING)
def test_the_ballot_event_shortcut_is_the_canonical_event(
    ballot: EncryptedBallot, election: str, head: Event, tracking: TrackingCode
) -> None:
    try:
        text = canon(codec.to_plain(ballot))
    except UnicodeEncodeError:  # a lone surrogate: no canonical text (nor a ballot the parser takes): refused alike
        with pytest.raises(UnicodeEncodeError):
            box.cast_of(ballot, election)
        return
    cast = box.cast_of(ballot, election)
    assert cast.text == text
    expected = make_event(head, EventType.BALLOT, ballot_payload(ballot, cast.digest, tracking))
    assert box.ballot_event(head, cast, tracking) == expected


# --- batches of stand-in ballots (the box verifies nothing: the ids, credentials and ciphertexts matter) ---
IDS = [f"b-{n}" for n in range(6)]
CREDENTIALS = [base_mul(Scalar(n)) for n in range(1, 4)]
FINGERPRINTS = [f"fp{n}" for n in range(10)]
HEAD = make_event(make_event(None, EventType.SETUP, {"a": 1}), EventType.CREDENTIALS, {"credentials": []})
NO_SIGNATURE = Signature(Scalar(0), Scalar(0))


@st.composite
def _item(draw: st.DrawFn, n: int) -> Cast | Spoil:
    ballot = EncryptedBallot(draw(st.sampled_from(IDS)), draw(st.sampled_from(CREDENTIALS)), (), NO_SIGNATURE)
    fingerprints = tuple(draw(st.lists(st.sampled_from(FINGERPRINTS), min_size=1, max_size=3)))
    digest = hashlib.sha256(n.to_bytes(4, "big")).hexdigest()
    if draw(st.integers(0, 3)) > 0:
        return Cast(ballot, digest, fingerprints, canon(codec.to_plain(ballot)))
    verdict = draw(st.sampled_from([VALID, VALID, Invalid(FailureCode.MISMATCH, "question[0]")]))
    return Spoil(ballot, digest, fingerprints, SpoiledOpening(ballot.ballot_id, (), ()), verdict)


@st.composite
def _case(draw: st.DrawFn) -> tuple[Taken, Policy, str | None, list[Cast | Spoil]]:
    counts = st.dictionaries(st.sampled_from([c.hex() for c in CREDENTIALS]), st.integers(1, 3), max_size=3)
    taken = Taken(
        frozenset(draw(st.sets(st.sampled_from(IDS), max_size=2))),
        frozenset(draw(st.sets(st.sampled_from(FINGERPRINTS), max_size=3))),
        draw(counts),
        draw(counts),
    )
    policy = Policy(draw(st.sampled_from(["last", "refuse"])), draw(st.integers(0, 4)), draw(st.integers(0, 3)))
    last = draw(st.none() | HEX64)
    size = draw(st.integers(0, 10))
    return taken, policy, last, [draw(_item(n)) for n in range(size)]


def _expected_refusal(
    item: Cast | Spoil, ids: set[str], fps: set[str], casts: Counter[str], spoils: Counter[str], policy: Policy
) -> str | None:
    """The first rule of the box's docstring the item breaks, given what is taken before it (an oracle)."""
    credential = item.ballot.credential.hex()
    if item.ballot.ballot_id in ids:
        return "duplicate_ballot_id"
    if len(set(item.fingerprints)) != len(item.fingerprints) or fps & set(item.fingerprints):
        return "duplicate_ciphertext"
    if isinstance(item, Spoil):
        if isinstance(item.verdict, Invalid):
            return "bad_opening"
        return "too_many_ballots" if spoils[credential] >= policy.max_spoils else None
    if casts[credential] >= policy.casts:
        return "revote_refused" if policy.casts == 1 else "too_many_ballots"
    return None


@settings(max_examples=300, deadline=None)
@given(_case())
def test_what_the_box_accepts_passes_v15_to_v17_and_it_refuses_only_for_the_first_rule_broken(
    case: tuple[Taken, Policy, str | None, list[Cast | Spoil]],
) -> None:
    taken, policy, last, items = case
    batch = box.accept(ELECTION, HEAD, last, taken, policy, items)
    assert len(batch.outcomes) == len(items)
    ids, fps = set(taken.ids), set(taken.ciphertexts)
    casts, spoils = Counter(taken.casts), Counter(taken.spoils)
    previous, tracking = HEAD, genesis_code(ELECTION) if last is None else TrackingCode(last, short_code(last))
    events = []
    for item, outcome in zip(items, batch.outcomes, strict=True):
        expected = _expected_refusal(item, ids, fps, casts, spoils, policy)
        if isinstance(outcome, Refused):
            assert outcome.code == expected
            continue
        assert expected is None
        credential = item.ballot.credential.hex()
        if isinstance(item, Cast):  # V16: the chain continues from the last code
            tracking = next_tracking_code(ELECTION, tracking, item.digest)
            assert outcome.tracking == tracking
            payload = ballot_payload(item.ballot, item.digest, tracking)
            assert outcome.event == make_event(previous, EventType.BALLOT, payload)
            casts[credential] += 1
        else:
            assert outcome.tracking is None
            payload = spoiled_payload(item.ballot, item.digest, item.opening)
            assert outcome.event == make_event(previous, EventType.SPOILED, payload)
            spoils[credential] += 1
        assert outcome.entry.height == outcome.event.height
        ids.add(item.ballot.ballot_id)
        fps.update(item.fingerprints)
        previous = outcome.event
        events.append(outcome.event)
    assert batch.events == tuple(events)
    assert batch.head == previous
    # V15 and V17 over what the batch wrote
    new_ids = [e.ballot_id for e in batch.entries]
    new_fps = [f for e in batch.entries for f in e.fingerprints]
    assert len(set(new_ids)) == len(new_ids)
    assert not set(new_ids) & taken.ids
    assert len(set(new_fps)) == len(new_fps)
    assert not set(new_fps) & taken.ciphertexts
    for credential in {e.credential for e in batch.entries}:
        cast_here = sum(1 for e in batch.entries if e.credential == credential and e.kind == "cast")
        spoiled_here = sum(1 for e in batch.entries if e.credential == credential and e.kind == "spoiled")
        assert cast_here == 0 or taken.casts.get(credential, 0) + cast_here <= policy.casts
        assert spoiled_here == 0 or taken.spoils.get(credential, 0) + spoiled_here <= policy.max_spoils


def _after(taken: Taken, batch: Batch) -> Taken:
    """What the record holds once ``batch`` is written (as the database would answer the next batch)."""
    casts, spoils = Counter(taken.casts), Counter(taken.spoils)
    for entry in batch.entries:
        (casts if entry.kind == "cast" else spoils)[entry.credential] += 1
    return Taken(
        taken.ids | {e.ballot_id for e in batch.entries},
        taken.ciphertexts | {f for e in batch.entries for f in e.fingerprints},
        dict(casts),
        dict(spoils),
    )


def _one_by_one(taken: Taken, policy: Policy, last: str | None, parts: Sequence[Sequence[Cast | Spoil]]) -> Batch:
    head, outcomes, events, entries = HEAD, [], [], []
    for part in parts:
        batch = box.accept(ELECTION, head, last, taken, policy, part)
        outcomes += batch.outcomes
        events += batch.events
        entries += batch.entries
        taken, head = _after(taken, batch), batch.head
        last = next((e.tracking_code for e in reversed(batch.entries) if e.kind == "cast"), last)
    return Batch(tuple(outcomes), tuple(events), tuple(entries), head)


@settings(max_examples=200, deadline=None)
@given(_case(), st.data())
def test_a_batch_decides_as_its_parts_one_after_another(
    case: tuple[Taken, Policy, str | None, list[Cast | Spoil]], data: st.DataObject
) -> None:
    taken, policy, last, items = case
    whole = box.accept(ELECTION, HEAD, last, taken, policy, items)
    assert _one_by_one(taken, policy, last, [[item] for item in items]) == whole  # cast_ballot, one by one
    cut = data.draw(st.integers(0, len(items)))
    assert _one_by_one(taken, policy, last, [items[:cut], items[cut:]]) == whole
