"""Use cases of an end-to-end verifiable election: each state change is appended to the public record
(spec/record.md) and audited, in one transaction, acknowledged only after commit.

Lifecycle: setup → key ceremony → credentials → cast / spoil → close → tally → partial decryptions (≥ t)
→ result → export. Casting and spoiling live in :mod:`saylau.services.e2e.casting`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from saylau.crypto import codec
from saylau.crypto.ballot import EncryptedBallot
from saylau.crypto.errors import CryptoError, Invalid
from saylau.crypto.group import Element
from saylau.crypto.hashing import short_code
from saylau.crypto.keys import (
    CeremonyParams,
    GuardianCommitment,
    SignedShare,
    joint_public_key,
    share_public_key,
    verify_guardian_commitment,
    verify_share,
)
from saylau.crypto.share_exchange import CeremonyConfirmation, verify_confirmation
from saylau.crypto.tally import EncryptedTally, TallyShare, aggregate, combine_tally, verify_tally_share
from saylau.crypto.tracking import TrackingCode, genesis_code
from saylau.model import Conflict, LifecycleError
from saylau.record import events as ev
from saylau.record.chain import record_files
from saylau.record.encoding import canon
from saylau.record.events import E2ePhase, Event, EventType, Manifest
from saylau.services.context import Context
from saylau.services.e2e.state import E2eRejected, ElectionState, append, appending, load_state, require_phase
from saylau.store.e2e_repo import E2eTx

__all__ = [
    "Result",
    "close_election",
    "decryption_inputs",
    "export_record",
    "publish_result",
    "record_ceremony",
    "record_confirmed_ceremony",
    "record_events",
    "register_credentials",
    "setup_election",
    "submit_decryption",
    "tally_election",
]


@dataclass(frozen=True, slots=True)
class Result:
    counts: tuple[tuple[int, ...], ...]
    present: tuple[int, ...]
    ballots: int


def setup_election(ctx: Context, manifest: Manifest) -> str:
    """Record the manifest (event 0); returns the election fingerprint E."""
    now = ctx.clock()
    with ctx.store.transaction() as tx:
        x = E2eTx(tx)
        if x.find_election(manifest.election_id) is not None:
            raise Conflict(f"an e2e election {manifest.election_id!r} already exists", code="duplicate_election")
        fingerprint = manifest.fingerprint()
        election_id = x.insert_election(manifest.election_id, fingerprint, canon(manifest.plain()), now)
        x.append(election_id, ev.make_event(None, EventType.SETUP, ev.setup_payload(manifest)))
        details = {"fingerprint": fingerprint, "guardians": manifest.guardians, "quorum": manifest.quorum}
        tx.audit(manifest.election_id, ctx.actor, "e2e.setup", "ok", details, now)
    return fingerprint


def _commitment_problems(state: ElectionState, commitments: Sequence[GuardianCommitment]) -> list[str] | None:
    """None unless there is one commitment per guardian 1..n; else the commitments that do not verify."""
    n = state.manifest.guardians
    if sorted(c.index for c in commitments) != list(range(1, n + 1)):
        return None
    params = CeremonyParams(n, state.manifest.quorum)
    return [
        f"{v.where}: {v.code.value}"
        for c in commitments
        if isinstance(v := verify_guardian_commitment(c, params, state.crypto), Invalid)
    ]


def _record_keys(x: E2eTx, state: ElectionState, commitments: Sequence[GuardianCommitment]) -> Element:
    """Append the n ``guardian`` events and the ``joint_key`` event; returns the joint key K."""
    ordered = sorted(commitments, key=lambda c: c.index)
    head = state.head
    for c in ordered:
        head = append(x, state, head, EventType.GUARDIAN, ev.guardian_payload(c))
    key = joint_public_key(ordered)
    share_keys = [share_public_key(ordered, j) for j in range(1, state.manifest.guardians + 1)]
    append(x, state, head, EventType.JOINT_KEY, ev.joint_key_payload(key, share_keys))
    x.insert_guardians(state.row.id, [k.hex() for k in share_keys])
    return key


def _ceremony_problems(
    state: ElectionState, commitments: Sequence[GuardianCommitment], shares: Sequence[SignedShare]
) -> list[str]:
    n = state.manifest.guardians
    problems = _commitment_problems(state, commitments)
    if problems is None:
        return [f"need one commitment from each guardian 1..{n}"]
    by_index = {c.index: c for c in commitments}
    pairs = sorted((s.sender, s.recipient) for s in shares)
    if pairs != [(i, j) for i in range(1, n + 1) for j in range(1, n + 1)]:
        return [*problems, "need exactly one share from every guardian to every guardian"]
    for s in shares:
        verdict = verify_share(s, by_index[s.sender], state.crypto)
        if isinstance(verdict, Invalid):
            problems.append(f"share {s.sender}->{s.recipient}: {verdict.code.value}")
    return problems


def record_ceremony(
    ctx: Context, code: str, commitments: Sequence[GuardianCommitment], shares: Sequence[SignedShare]
) -> Element:
    """Verify every commitment and every (privately exchanged) share; record the guardians and joint key."""
    now = ctx.clock()
    with appending(ctx, code) as (tx, x, state):
        require_phase(state, E2ePhase.CEREMONY)
        problems = _ceremony_problems(state, commitments, shares)
        if problems:
            raise E2eRejected("key ceremony refused: " + "; ".join(problems), code="ceremony_invalid")
        key = _record_keys(x, state, commitments)
        tx.audit(code, ctx.actor, "e2e.ceremony", "ok", {"joint_key": key.hex(), "shares": len(shares)}, now)
    return key


def _confirmed_problems(
    state: ElectionState, commitments: Sequence[GuardianCommitment], confirmations: Sequence[CeremonyConfirmation]
) -> list[str]:
    n = state.manifest.guardians
    problems = _commitment_problems(state, commitments)
    if problems is None:
        return [f"need one commitment from each guardian 1..{n}"]
    confirmed = sorted(c.guardian for c in confirmations)
    if confirmed != list(range(1, n + 1)):
        missing = sorted(set(range(1, n + 1)) - set(confirmed))
        return [*problems, f"need one confirmation from each guardian 1..{n} (missing: {missing or 'none'})"]
    problems += [
        f"{v.where}: {v.code.value}"
        for c in confirmations
        if isinstance(v := verify_confirmation(c, commitments, state.crypto), Invalid)
    ]
    return problems


def record_confirmed_ceremony(
    ctx: Context, code: str, commitments: Sequence[GuardianCommitment], confirmations: Sequence[CeremonyConfirmation]
) -> Element:
    """The distributed ceremony (spec/record.md §8): record the guardians and the joint key once every guardian
    has confirmed, with its signature, that each share it received checks against these very commitments.

    The shares themselves never reach the server (they travel encrypted between the guardians). The record is
    the same as :func:`record_ceremony`'s.
    """
    now = ctx.clock()
    with appending(ctx, code) as (tx, x, state):
        require_phase(state, E2ePhase.CEREMONY)
        problems = _confirmed_problems(state, commitments, confirmations)
        if problems:
            raise E2eRejected("key ceremony refused: " + "; ".join(problems), code="ceremony_invalid")
        key = _record_keys(x, state, commitments)
        details = {"joint_key": key.hex(), "confirmations": len(confirmations), "mode": "distributed"}
        tx.audit(code, ctx.actor, "e2e.ceremony", "ok", details, now)
    return key


def register_credentials(ctx: Context, code: str, credentials: Sequence[Element]) -> int:
    """Publish the public credentials (sorted; the person ↔ credential link is never stored); opens voting."""
    now = ctx.clock()
    hexes = [c.hex() for c in credentials]
    if len(set(hexes)) != len(hexes) or any(c.is_identity() for c in credentials):
        raise E2eRejected("public credentials must be distinct and not the identity", code="bad_credentials")
    with appending(ctx, code) as (tx, x, state):
        require_phase(state, E2ePhase.KEYED)
        payload = ev.credentials_payload(credentials)
        append(x, state, state.head, EventType.CREDENTIALS, payload)
        x.insert_credentials(state.row.id, sorted(hexes))
        tx.audit(code, ctx.actor, "e2e.credentials", "ok", {"credentials": len(hexes)}, now)
    return len(hexes)


def close_election(ctx: Context, code: str) -> tuple[int, TrackingCode]:
    """Close voting: records the number of cast ballots and the last tracking code."""
    now = ctx.clock()
    with appending(ctx, code) as (tx, x, state):
        require_phase(state, E2ePhase.VOTING)
        casts = x.cast_ballots(state.row.id)
        last = casts[-1].tracking_code if casts else None
        head = genesis_code(state.row.fingerprint) if last is None else _tracking(last)
        append(x, state, state.head, EventType.CLOSE, ev.close_payload(len(casts), head))
        tx.audit(code, ctx.actor, "e2e.close", "ok", {"ballots": len(casts), "tracking_head": head.full}, now)
    return len(casts), head


def _tracking(full: str) -> TrackingCode:
    return TrackingCode(full, short_code(full))


def _counted_heights(x: E2eTx, state: ElectionState) -> list[int]:
    """The last cast ballot of each credential (spec/record.md §4), in record order."""
    last: dict[str, int] = {}
    for b in x.cast_ballots(state.row.id):
        last[b.credential] = b.height
    return sorted(last.values())


def _ballot_of(event: Event) -> EncryptedBallot:
    return codec.loads(EncryptedBallot, json.dumps(json.loads(event.payload)["ballot"]))


def tally_election(ctx: Context, code: str) -> EncryptedTally:
    """Homomorphic sum of the counted ballots (the last per credential); spoiled ballots never count."""
    now = ctx.clock()
    with appending(ctx, code) as (tx, x, state):
        require_phase(state, E2ePhase.CLOSED)
        counted = x.events_at(state.row.id, _counted_heights(x, state))
        tally = aggregate(state.manifest.questions, (_ballot_of(e) for e in counted))
        hashes = [json.loads(e.payload)["ballot_hash"] for e in counted]
        append(x, state, state.head, EventType.TALLY, ev.tally_payload(hashes, tally))
        tx.audit(code, ctx.actor, "e2e.tally", "ok", {"counted": tally.ballots}, now)
    return tally


def load_tally(x: E2eTx, state: ElectionState) -> EncryptedTally:
    (event,) = x.events(state.row.id, [EventType.TALLY])
    return codec.loads(EncryptedTally, json.dumps(json.loads(event.payload)["tally"]), allow_identity=True)


def _share_key(x: E2eTx, state: ElectionState, guardian: int) -> Element:
    keys = x.share_keys(state.row.id)
    if guardian not in keys:
        raise E2eRejected(f"no guardian {guardian}", code="unknown_guardian", details={"guardian": guardian})
    return Element.decode(bytes.fromhex(keys[guardian]))


def decryption_inputs(ctx: Context, code: str, guardian: int) -> tuple[ElectionState, EncryptedTally, Element]:
    """What guardian ``guardian`` needs to decrypt: the state, the encrypted tally and its public share key."""
    with ctx.store.transaction() as tx:
        x = E2eTx(tx)
        state = load_state(x, code)
        require_phase(state, E2ePhase.DECRYPTING)
        return state, load_tally(x, state), _share_key(x, state, guardian)


def submit_decryption(ctx: Context, code: str, share: TallyShare) -> int:
    """Verify a guardian's partial decryption of the tally on receipt and record it."""
    now = ctx.clock()
    with appending(ctx, code) as (tx, x, state):
        require_phase(state, E2ePhase.DECRYPTING)
        done = [json.loads(e.payload)["guardian"] for e in x.events(state.row.id, [EventType.DECRYPTION])]
        if share.guardian in done:
            raise E2eRejected(f"guardian {share.guardian} already decrypted", code="duplicate_decryption")
        key = _share_key(x, state, share.guardian)
        verdict = verify_tally_share(load_tally(x, state), share, key, state.crypto)
        if isinstance(verdict, Invalid):
            raise E2eRejected(
                f"partial decryption refused at {verdict.where}: {verdict.code.value}",
                code="invalid_decryption",
                details={"guardian": share.guardian, "where": verdict.where},
            )
        append(x, state, state.head, EventType.DECRYPTION, ev.decryption_payload(share))
        tx.audit(code, ctx.actor, "e2e.decrypt", "ok", {"guardian": share.guardian}, now)
    return len(done) + 1


def publish_result(ctx: Context, code: str) -> Result:
    """Combine any quorum of recorded partial decryptions (missing guardians covered by Lagrange)."""
    now = ctx.clock()
    with appending(ctx, code) as (tx, x, state):
        require_phase(state, E2ePhase.DECRYPTING)
        events = x.events(state.row.id, [EventType.DECRYPTION])
        shares = [codec.loads(TallyShare, json.dumps(json.loads(e.payload)), allow_identity=True) for e in events]
        if len(shares) < state.manifest.quorum:
            raise LifecycleError(
                f"{len(shares)} partial decryption(s), the quorum is {state.manifest.quorum}",
                code="quorum_not_met",
            )
        tally = load_tally(x, state)
        publics = {j: Element.decode(bytes.fromhex(k)) for j, k in x.share_keys(state.row.id).items()}
        try:
            counts = combine_tally(tally, shares, publics, state.manifest.quorum, state.crypto, max(tally.ballots, 1))
        except CryptoError as exc:  # pragma: no cover - every share was verified on receipt
            raise E2eRejected(f"decryption failed: {exc.message}", code="decryption_failed") from exc
        present = tuple(sorted(s.guardian for s in shares))
        append(x, state, state.head, EventType.RESULT, ev.result_payload(counts, present))
        tx.audit(code, ctx.actor, "e2e.result", "ok", {"counts": [list(c) for c in counts]}, now)
    return Result(counts, present, tally.ballots)


def record_events(ctx: Context, code: str) -> list[Event]:
    with ctx.store.transaction() as tx:
        x = E2eTx(tx)
        return x.events(load_state(x, code).row.id)


def export_record(ctx: Context, code: str, out: Path) -> Path:
    """Write ``events.jsonl`` and ``manifest.json`` to an empty or new ``out`` (after re-checking the chain)."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise Conflict(f"{out} is not an empty directory: refusing to write the record there", code="out_not_empty")
    files = record_files(record_events(ctx, code))
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8", newline="\n")
    with ctx.store.transaction() as tx:
        tx.audit(
            code,
            ctx.actor,
            "e2e.export",
            "ok",
            {"out": str(out), "events": files["events.jsonl"].count("\n")},
            ctx.clock(),
        )
    return out
