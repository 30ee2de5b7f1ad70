"""The ballot box: THE rule for accepting e2e ballots into the record (spec/record.md §5, §6 V13–V18).

The producer-side twin of the verifier's V15–V17: whatever this box accepts, in the order it accepts it,
is a record those steps pass. One rule for every way a ballot arrives: one ballot cast alone
(``services.e2e.casting.cast_ballot``: a batch of one), a spoiled (Benaloh-challenged) ballot
(``spoil_ballot``) and the ballots of one group commit (``services.e2e.intake.BallotIntake``).

Given the record's head event, the last cast ballot's tracking code and what the record already holds
of the values the batch carries (``Taken``: ballot ids, ciphertext fingerprints, each credential's cast
and spoiled ballots), :func:`accept` decides each ballot in order (a later ballot of the batch sees the
earlier ones it accepted) and gives back the outcomes, the events to append and the ballot rows to store.
For each ballot, in this order (the first that fails is its refusal):

1. its ballot id is not taken by a cast or spoiled ballot (V15) — ``duplicate_ballot_id``;
2. none of its ciphertexts repeats another of its own or one received before (V15) — ``duplicate_ciphertext``;
3. a spoiled ballot's opening re-encrypts to its ciphertexts (C§7.7, V18) — ``bad_opening``;
4. its credential has not reached its limit: under re-vote "refuse" one cast ballot (R§4, V17 —
   ``revote_refused``), under "last" ``max_casts`` cast ballots, and ``max_spoils`` spoiled ones
   (``too_many_ballots``);
5. accepted: a cast ballot gets the next chained tracking code (C§9.1, V16) and a ``ballot`` event, a
   spoiled one a ``spoiled`` event (no tracking code: it is never counted).

What the box assumes, checked by its callers before it is opened (outside the write lock, in parallel,
as they are pure CPU or a read): the ballot verifies (V12: its proofs and its credential's signature,
C§7.4, with the manifest's questions, K and E) — else :func:`invalid_ballot`; its credential is
registered (V13) — else :func:`unregistered_credential`; the election is voting (the caller refuses
with its lifecycle error; opened after any other head the box raises ``record_not_voting``); a spoiled
ballot's opening was checked (its verdict is given); and a ``Cast`` or ``Spoil`` was made by
:func:`cast_of` or :func:`spoil_of` (its hash and fingerprints those of its ballot, V14). No database,
no clock.
"""

from __future__ import annotations

import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, assert_never

from saylau.crypto import codec
from saylau.crypto.ballot import EncryptedBallot, SpoiledOpening, ballot_hash, ciphertext_fingerprints
from saylau.crypto.errors import Invalid, Verdict
from saylau.crypto.hashing import short_code
from saylau.crypto.tracking import TrackingCode, genesis_code, next_tracking_code
from saylau.record.codes import RecordCode
from saylau.record.encoding import canon, event_hash, payload_hash
from saylau.record.errors import RecordError
from saylau.record.events import E2ePhase, Event, EventType, Revote, make_event, phase_after, spoiled_payload

__all__ = [
    "MAX_CASTS",
    "Accepted",
    "Batch",
    "Cast",
    "Entry",
    "Outcome",
    "Policy",
    "Refused",
    "Spoil",
    "Taken",
    "accept",
    "ballot_event",
    "cast_of",
    "invalid_ballot",
    "spoil_of",
    "unregistered_credential",
]

MAX_CASTS = 16
"""Under re-vote "last" (R§4), the most ballots one credential may cast (a voter who changes their mind
re-votes a few times; a script re-voting forever would only fill the record). A deployment may set another
bound (``Policy.max_casts``: ``cast_ballot(max_casts=…)``, ``BallotIntake(max_casts=…)``); under "refuse" it
is 1. A credential spoils (challenges) at most as many ballots by default (``Policy.max_spoils``)."""

_EMPTY: Mapping[str, int] = types.MappingProxyType({})


# --- what goes in ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Cast:
    """A ballot to cast whose proofs and signature verified (V12) under a registered credential (V13)."""

    ballot: EncryptedBallot
    digest: str  # ballot_hash(ballot, E) (C§7.6, V14): 64 hex digits
    fingerprints: tuple[str, ...]  # ciphertext_fingerprints(ballot) (C§7.5), in ballot order
    text: str  # canon(codec.to_plain(ballot)): the ballot as it appears inside its event's payload


@dataclass(frozen=True, slots=True)
class Spoil:
    """A challenged ballot that verified (V12, V13), with its opening and the opening's verdict (C§7.7)."""

    ballot: EncryptedBallot
    digest: str
    fingerprints: tuple[str, ...]
    opening: SpoiledOpening
    verdict: Verdict  # check_opening(ballot, opening, questions, K)


def cast_of(ballot: EncryptedBallot, election: str) -> Cast:
    """The ``Cast`` of a verified ballot of election E (its hash, fingerprints and canonical text)."""
    return Cast(ballot, ballot_hash(ballot, election), ciphertext_fingerprints(ballot), canon(codec.to_plain(ballot)))


def spoil_of(ballot: EncryptedBallot, election: str, opening: SpoiledOpening, verdict: Verdict) -> Spoil:
    """The ``Spoil`` of a verified ballot of election E and its checked opening."""
    return Spoil(ballot, ballot_hash(ballot, election), ciphertext_fingerprints(ballot), opening, verdict)


@dataclass(frozen=True, slots=True)
class Taken:
    """What the record already holds, of the values a batch carries (read with the election locked):
    ballot ids of cast and spoiled ballots, ciphertext fingerprints, and per credential its cast and its
    spoiled ballots (a credential absent has none)."""

    ids: frozenset[str] = frozenset()
    ciphertexts: frozenset[str] = frozenset()
    casts: Mapping[str, int] = field(default_factory=lambda: _EMPTY)
    spoils: Mapping[str, int] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True, slots=True)
class Policy:
    """The manifest's re-vote setting (R§4) and the deployment's bounds per credential."""

    revote: Revote
    max_casts: int = MAX_CASTS  # under "last"; "refuse" allows one
    max_spoils: int = MAX_CASTS

    def __post_init__(self) -> None:
        if self.max_casts < 0 or self.max_spoils < 0:  # 0: the deployment lets no credential cast (or spoil)
            raise RecordError(
                f"need max_casts >= 0 and max_spoils >= 0 (got {self.max_casts}, {self.max_spoils})",
                code=RecordCode.RECORD_BAD_POLICY,
            )

    @property
    def casts(self) -> int:
        """The most ballots one credential may cast."""
        return 1 if self.revote == "refuse" else self.max_casts


# --- what comes out ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Entry:
    """The ballot row to store beside an accepted ballot's event."""

    ballot_id: str
    credential: str  # hex
    ballot_hash: str
    kind: Literal["cast", "spoiled"]
    tracking_code: str | None  # None for a spoiled ballot
    height: int
    fingerprints: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Accepted:
    event: Event
    entry: Entry
    tracking: TrackingCode | None  # the voter's receipt; None for a spoiled ballot
    tag: Literal["accepted"] = "accepted"


@dataclass(frozen=True, slots=True)
class Refused:
    """Why a ballot is refused: a stable ``code``, the message shown and the facts."""

    code: str
    message: str
    details: Mapping[str, object] = field(default_factory=lambda: _EMPTY)
    tag: Literal["refused"] = "refused"


Outcome = Accepted | Refused


@dataclass(frozen=True, slots=True)
class Batch:
    """The box's decision: one outcome per ballot in order, the events (consecutive after the head) and
    the rows of the accepted ones, and the head once they are appended."""

    outcomes: tuple[Outcome, ...]
    events: tuple[Event, ...]
    entries: tuple[Entry, ...]
    head: Event


# --- the refusals ------------------------------------------------------------------------------------
def unregistered_credential() -> Refused:
    """V13, checked by the caller (one query, or the credentials cached once voting opened)."""
    return Refused(code=RecordCode.UNKNOWN_CREDENTIAL, message="the ballot is signed by an unregistered credential")


def invalid_ballot(verdict: Invalid) -> Refused:
    """V12, checked by the caller (``verify_ballot``, the costly part, before the write lock)."""
    return Refused(
        code=RecordCode.INVALID_BALLOT,
        message=f"the ballot does not verify at {verdict.where}: {verdict.code.value}",
        details={"failure": verdict.code.value, "where": verdict.where},
    )


def _duplicate_id(ballot_id: str) -> Refused:
    return Refused(code=RecordCode.DUPLICATE_BALLOT_ID, message=f"ballot id {ballot_id!r} was already used")


_DUPLICATE_CIPHERTEXT = Refused(
    code=RecordCode.DUPLICATE_CIPHERTEXT, message="the ballot repeats a ciphertext already received"
)


def _casts_refusal(casts: int, max_casts: int) -> Refused | None:
    if casts < max_casts:
        return None
    if max_casts == 1:
        return Refused(code=RecordCode.REVOTE_REFUSED, message="this credential has already voted")
    return Refused(
        code=RecordCode.TOO_MANY_BALLOTS,
        message=f"this credential has cast {casts} ballots, the most one credential may cast",
        details={"max_casts": max_casts},
    )


def _spoils_refusal(spoils: int, max_spoils: int) -> Refused | None:
    if spoils < max_spoils:
        return None
    return Refused(
        code=RecordCode.TOO_MANY_BALLOTS,
        message=f"this credential has spoiled {spoils} ballots, the most one credential may spoil",
        details={"max_spoils": max_spoils},
    )


def _bad_opening(verdict: Verdict) -> Refused | None:
    if not isinstance(verdict, Invalid):
        return None
    return Refused(
        code=RecordCode.BAD_OPENING,
        message=f"the opening does not match the ballot at {verdict.where}: {verdict.code.value}",
    )


# --- the events --------------------------------------------------------------------------------------
def ballot_event(head: Event, cast: Cast, tracking: TrackingCode) -> Event:
    """``make_event(head, BALLOT, ballot_payload(cast.ballot, cast.digest, tracking))``, from the ballot's
    canonical text made beforehand (by the submitter, not the single writer): the payload's keys in
    canonical (sorted) order are "ballot", "ballot_hash", "tracking_code" (spec/record.md §2, §5), and
    the two hex digests need no escaping. Kept because the single writer runs it with the election
    locked: 20 µs of CPU per ballot for the whole decision against 61 µs with ``canon(ballot_payload(…))``
    (issue 10). The one place this shortcut lives; a property test holds it byte-equal to the canonical
    encoding (tests/property/test_record_ballot_box_laws.py)."""
    text = f'{{"ballot":{cast.text},"ballot_hash":"{cast.digest}","tracking_code":"{tracking.full}"}}'
    digest = payload_hash(EventType.BALLOT.value, text)
    height = head.height + 1
    return Event(height, head.hash, EventType.BALLOT, text, digest, event_hash(head.hash, height, "ballot", digest))


# --- the rule ----------------------------------------------------------------------------------------
class _Box:
    """The state between two ballots of a batch: what is taken (the record's and the batch's so far)."""

    def __init__(self, election: str, head: Event, last_tracking: str | None, taken: Taken, policy: Policy):
        self.election, self.head, self.policy = election, head, policy
        self.previous = (
            genesis_code(election) if last_tracking is None else TrackingCode(last_tracking, short_code(last_tracking))
        )
        self.ids, self.ciphertexts = set(taken.ids), set(taken.ciphertexts)
        self.casts, self.spoils = dict(taken.casts), dict(taken.spoils)

    def _unique(self, ballot: EncryptedBallot, fingerprints: tuple[str, ...]) -> Refused | None:
        if ballot.ballot_id in self.ids:
            return _duplicate_id(ballot.ballot_id)
        if len(set(fingerprints)) != len(fingerprints) or not self.ciphertexts.isdisjoint(fingerprints):
            return _DUPLICATE_CIPHERTEXT
        return None

    def _take(self, ballot: EncryptedBallot, fingerprints: tuple[str, ...], event: Event) -> None:
        self.ids.add(ballot.ballot_id)
        self.ciphertexts.update(fingerprints)
        self.head = event

    def cast(self, c: Cast) -> Outcome:
        credential = c.ballot.credential.hex()
        casts = self.casts.get(credential, 0)
        refused = self._unique(c.ballot, c.fingerprints) or _casts_refusal(casts, self.policy.casts)
        if refused is not None:
            return refused
        tracking = next_tracking_code(self.election, self.previous, c.digest)
        event = ballot_event(self.head, c, tracking)
        self._take(c.ballot, c.fingerprints, event)
        self.casts[credential] = casts + 1
        self.previous = tracking
        entry = Entry(c.ballot.ballot_id, credential, c.digest, "cast", tracking.full, event.height, c.fingerprints)
        return Accepted(event, entry, tracking)

    def spoil(self, s: Spoil) -> Outcome:
        credential = s.ballot.credential.hex()
        spoils = self.spoils.get(credential, 0)
        refused = (
            self._unique(s.ballot, s.fingerprints)
            or _bad_opening(s.verdict)
            or _spoils_refusal(spoils, self.policy.max_spoils)
        )
        if refused is not None:
            return refused
        event = make_event(self.head, EventType.SPOILED, spoiled_payload(s.ballot, s.digest, s.opening))
        self._take(s.ballot, s.fingerprints, event)
        self.spoils[credential] = spoils + 1
        entry = Entry(s.ballot.ballot_id, credential, s.digest, "spoiled", None, event.height, s.fingerprints)
        return Accepted(event, entry, None)


def accept(
    election: str,
    head: Event,
    last_tracking: str | None,
    taken: Taken,
    policy: Policy,
    ballots: Sequence[Cast | Spoil],
) -> Batch:
    """Decide ``ballots`` in order for election E (its fingerprint), after ``head`` (a voting phase) with
    ``last_tracking`` the last cast ballot's tracking code (None before the first: code₀ of E) and
    ``taken`` what the record holds of their ids, ciphertexts and credentials."""
    if phase_after(head.type) is not E2ePhase.VOTING:
        raise RecordError(f"no ballot is accepted after a {head.type.value} event", code=RecordCode.RECORD_NOT_VOTING)
    box = _Box(election, head, last_tracking, taken, policy)
    outcomes: list[Outcome] = []
    for item in ballots:
        match item:
            case Cast():
                outcomes.append(box.cast(item))
            case Spoil():
                outcomes.append(box.spoil(item))
            case _:
                assert_never(item)
    accepted = [o for o in outcomes if isinstance(o, Accepted)]
    return Batch(tuple(outcomes), tuple(a.event for a in accepted), tuple(a.entry for a in accepted), box.head)
