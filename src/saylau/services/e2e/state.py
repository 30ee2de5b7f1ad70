"""The state of an e2e election read from its record, and the one way to extend the record."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from saylau.crypto.group import Element
from saylau.crypto.proofs import ProofContext
from saylau.model import LifecycleError, NotFound, SaylauError
from saylau.record import events as ev
from saylau.record.events import E2ePhase, Event, EventType, Manifest
from saylau.services.context import Context
from saylau.store import Tx
from saylau.store.e2e_repo import E2eTx, ElectionRow

__all__ = [
    "E2eRejected",
    "ElectionState",
    "append",
    "appending",
    "election_state",
    "joint_key",
    "load_state",
    "require_phase",
    "voting_key",
]


class E2eRejected(SaylauError):
    """A refused step of an e2e election; ``code`` says why (e.g. duplicate_ciphertext)."""

    code = "e2e_rejected"


@dataclass(frozen=True, slots=True)
class ElectionState:
    row: ElectionRow
    manifest: Manifest
    head: Event
    phase: E2ePhase

    @property
    def crypto(self) -> ProofContext:
        """Every proof context of this election: ``Context(E, ())`` (spec/record.md §5)."""
        return ProofContext(self.row.fingerprint)


def load_state(x: E2eTx, code: str) -> ElectionState:
    row = x.find_election(code)
    if row is None:
        known = ", ".join(x.election_codes()) or "none yet"
        raise NotFound(f"no e2e election {code!r} in this database (elections: {known})", details={"election": code})
    head = x.head(row.id)
    if head is None:  # pragma: no cover - setup writes the election and event 0 in one transaction
        raise LifecycleError("an election without a record", code="e2e_no_record")
    return ElectionState(row, Manifest.from_plain(json.loads(row.manifest)), head, ev.phase_after(head.type))


@contextmanager
def appending(ctx: Context, code: str) -> Iterator[tuple[Tx, E2eTx, ElectionState]]:
    """The one way to extend an election's record: the head is read and the next event appended with the
    election locked (row lock on PostgreSQL, a write transaction from BEGIN on SQLite), so two ballots
    cast at the same moment queue instead of both claiming the same height."""
    with ctx.store.transaction(write=True) as tx:
        x = E2eTx(tx)
        x.lock_election(code)
        yield tx, x, load_state(x, code)


def require_phase(state: ElectionState, *phases: E2ePhase) -> None:
    if state.phase not in phases:
        wanted = " or ".join(p.value for p in phases)
        raise LifecycleError(
            f"election {state.row.code!r} is in phase {state.phase.value}, this step needs {wanted}",
            code="e2e_wrong_phase",
            details={"phase": state.phase.value},
        )


def append(x: E2eTx, state: ElectionState, head: Event, event_type: EventType, payload: object) -> Event:
    event = ev.make_event(head, event_type, payload)
    x.append(state.row.id, event)
    return event


def joint_key(x: E2eTx, state: ElectionState) -> Element:
    (event,) = x.events(state.row.id, [EventType.JOINT_KEY])
    return Element.decode(bytes.fromhex(json.loads(event.payload)["joint_key"]))


def election_state(ctx: Context, code: str) -> ElectionState:
    with ctx.store.transaction() as tx:
        return load_state(E2eTx(tx), code)


def voting_key(ctx: Context, code: str) -> tuple[ElectionState, Element]:
    """The state and joint key K of an election open for voting (what a voter's device encrypts to)."""
    with ctx.store.transaction() as tx:
        x = E2eTx(tx)
        state = load_state(x, code)
        require_phase(state, E2ePhase.VOTING)
        return state, joint_key(x, state)
