"""The distributed key ceremony, each guardian on its own machine (spec/record.md §8.1, spec/crypto.md §5.7–5.9).

1. ``guardian keygen`` (as before): guardian i's polynomial file (0600).
2. ``guardian shares``: publishes i's commitment in the exchange directory and, once every commitment is there,
   one share ``P_i(j)`` per other guardian j, encrypted to j and signed by i.
3. ``guardian receive``: j decrypts and checks every share sent to it. All good: its polynomial file becomes its
   key-share file and it publishes a signed confirmation. A share that i signed but that fails the check: j
   publishes a complaint anyone can decide (``guardian check-complaint``) and the ceremony stops (v1 records no
   complaints: the guardians start again).
4. Once n confirmations are in: :func:`record_from_exchange` (also run by the last ``receive``) has the
   service record the ``guardian`` and ``joint_key`` events — the same record as the one-process ``ceremony``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from saylau.crypto.errors import CryptoError, Invalid
from saylau.crypto.group import Element, Rng
from saylau.crypto.keys import CeremonyParams, GuardianCommitment, share_public_key, verify_guardian_commitment
from saylau.crypto.share_exchange import (
    ComplaintVerdict,
    ReceivedShare,
    ShareComplaint,
    check_share_complaint,
    confirm_ceremony,
    encrypt_share,
    key_share_from,
    receive_share,
)
from saylau.io.exchange_files import ExchangeFileError, commitment_name, share_name
from saylau.io.secret_files import GuardianPolynomialFile, key_share_bytes
from saylau.record.events import E2ePhase
from saylau.services.context import Context
from saylau.services.e2e.exchange import (
    Exchange,
    read_complaint,
    read_exchange,
    write_commitment,
    write_complaint,
    write_confirmation,
    write_share,
)
from saylau.services.e2e.files import read_polynomial
from saylau.services.e2e.lifecycle import record_confirmed_ceremony
from saylau.services.e2e.state import E2eRejected, ElectionState, election_state, require_phase
from saylau.services.private_files import write_secret

__all__ = [
    "ComplaintCheck",
    "ReceiveReport",
    "SendReport",
    "check_complaint_file",
    "receive_shares",
    "record_from_exchange",
    "send_shares",
]


@dataclass(frozen=True, slots=True)
class SendReport:
    guardian: int
    waiting: tuple[int, ...]  # guardians whose commitment is not in the directory yet (no share sent then)
    shares: tuple[int, ...]  # recipients whose share file is in the directory


@dataclass(frozen=True, slots=True)
class ReceiveReport:
    guardian: int
    confirmation: Path
    share_key: Element
    recorded: Element | None  # the joint key, if this confirmation was the last one and the ceremony is recorded
    waiting: tuple[int, ...]  # guardians whose confirmation is not in the directories yet


@dataclass(frozen=True, slots=True)
class ComplaintCheck:
    accused: int
    complainant: int
    verdict: ComplaintVerdict


def _audit(ctx: Context, code: str, action: str, outcome: str, details: dict[str, object]) -> None:
    with ctx.store.transaction() as tx:
        tx.audit(code, ctx.actor, action, outcome, details, ctx.clock())


def _ceremony_state(ctx: Context, code: str) -> tuple[ElectionState, CeremonyParams]:
    state = election_state(ctx, code)
    require_phase(state, E2ePhase.CEREMONY)
    return state, CeremonyParams(state.manifest.guardians, state.manifest.quorum)


def _checked_commitments(state: ElectionState, params: CeremonyParams, found: Exchange) -> list[str]:
    return [
        f"{commitment_name(i)}: {v.where}: {v.code.value}"
        for i, c in sorted(found.commitments.items())
        if isinstance(v := verify_guardian_commitment(c, params, state.crypto), Invalid)
    ]


def _own(found: Exchange, mine: GuardianPolynomialFile) -> None:
    i = mine.secrets.index
    if found.commitments.get(i, mine.commitment) != mine.commitment:
        raise ExchangeFileError(
            f"{commitment_name(i)} is not this guardian's commitment", code="exchange_file_conflict"
        )


def send_shares(ctx: Context, code: str, polynomial: Path, out: Path, rng: Rng) -> SendReport:
    """Publish guardian i's commitment in ``out``; once all n commitments are there, its encrypted shares."""
    state, params = _ceremony_state(ctx, code)
    fingerprint = state.row.fingerprint
    mine = read_polynomial(polynomial, fingerprint)
    i = mine.secrets.index
    out.mkdir(parents=True, exist_ok=True)
    found = read_exchange([out], fingerprint)
    _own(found, mine)
    write_commitment(out, code, fingerprint, mine.commitment)
    found.commitments[i] = mine.commitment
    problems = _checked_commitments(state, params, found)
    if problems:
        raise E2eRejected("commitments refused: " + "; ".join(problems), code="ceremony_invalid")
    waiting = tuple(j for j in range(1, params.guardians + 1) if j not in found.commitments)
    if waiting:
        _audit(ctx, code, "e2e.guardian_shares", "ok", {"guardian": i, "waiting": list(waiting)})
        return SendReport(i, waiting, ())
    for j, recipient in sorted(found.commitments.items()):
        if j != i and (i, j) not in found.shares:
            write_share(out, code, fingerprint, encrypt_share(mine.secrets, recipient, state.crypto, rng))
    sent = tuple(j for j in range(1, params.guardians + 1) if j != i)
    _audit(ctx, code, "e2e.guardian_shares", "ok", {"guardian": i, "shares": len(sent)})
    return SendReport(i, (), sent)


def _gather_for(
    state: ElectionState, params: CeremonyParams, found: Exchange, mine: GuardianPolynomialFile
) -> list[GuardianCommitment]:
    n, j = params.guardians, mine.secrets.index
    _own(found, mine)
    missing = [i for i in range(1, n + 1) if i not in found.commitments]
    problems = [f"no {commitment_name(i)}" for i in missing] + _checked_commitments(state, params, found)
    problems += [f"no {share_name(i, j)}" for i in range(1, n + 1) if i != j and (i, j) not in found.shares]
    unsent = [k for k in range(1, n + 1) if k != j and (j, k) not in found.shares]
    if unsent:
        problems.append(f"guardian {j} has not sent its own shares to {unsent} yet: run `guardian shares` first")
    if problems:
        raise E2eRejected("cannot receive the shares: " + "; ".join(problems), code="ceremony_incomplete")
    return [found.commitments[i] for i in range(1, n + 1)]


def receive_shares(
    ctx: Context, code: str, polynomial: Path, dirs: Sequence[Path], out: Path, rng: Rng
) -> ReceiveReport:
    """Guardian j checks every share sent to it; writes its key-share file and confirmation, or complaints."""
    state, params = _ceremony_state(ctx, code)
    fingerprint = state.row.fingerprint
    mine = read_polynomial(polynomial, fingerprint)
    j = mine.secrets.index
    found = read_exchange(dirs, fingerprint)
    commitments = _gather_for(state, params, found, mine)
    received: list[ReceivedShare] = []
    complaints: list[ShareComplaint] = []
    unsigned: list[str] = []
    for sender in commitments:
        if sender.index == j:
            continue
        share = found.shares[(sender.index, j)]
        try:
            outcome = receive_share(share, sender, mine.commitment, mine.secrets.auth, state.crypto, rng)
        except CryptoError as exc:
            unsigned.append(f"{share_name(sender.index, j)}: {exc.message}")
            continue
        if isinstance(outcome, ReceivedShare):
            received.append(outcome)
        else:
            complaints.append(outcome)
    if unsigned:
        raise E2eRejected(
            "shares that nobody signed (altered in transit? ask their senders to send them again): "
            + "; ".join(unsigned),
            code="share_unsigned",
        )
    out.mkdir(parents=True, exist_ok=True)
    if complaints:
        _complain(ctx, code, out, complaints, found, mine)
    key_share = key_share_from(mine.secrets, received)
    confirmation = confirm_ceremony(key_share, mine.secrets.auth, commitments, state.crypto, rng)
    path = _install_key_share(
        polynomial,
        key_share_bytes(code, fingerprint, key_share, share_public_key(commitments, j)),
        lambda: write_confirmation(out, code, fingerprint, confirmation),
    )
    _audit(ctx, code, "e2e.guardian_receive", "ok", {"guardian": j, "shares": len(received)})
    found.confirmations[j] = confirmation
    waiting = tuple(k for k in range(1, params.guardians + 1) if k not in found.confirmations)
    recorded = None if waiting else _record(ctx, code, commitments, found)
    return ReceiveReport(j, path, confirmation.share_key, recorded, waiting)


def _install_key_share(polynomial: Path, data: bytes, publish: Callable[[], Path]) -> Path:
    """Stage the key-share file, publish the confirmation, then replace the polynomial file (erasing it).

    If the confirmation cannot be written, the polynomial file stays as it was.
    """
    temporary = polynomial.with_name(f".{polynomial.name}.new")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    write_secret(temporary, data)
    try:
        published = publish()
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    os.replace(temporary, polynomial)
    return published


def _complain(
    ctx: Context,
    code: str,
    out: Path,
    complaints: Sequence[ShareComplaint],
    found: Exchange,
    mine: GuardianPolynomialFile,
) -> NoReturn:
    fingerprint, j = mine.fingerprint, mine.secrets.index
    paths = [
        write_complaint(out, code, fingerprint, c, found.commitments[c.share.sender], mine.commitment)
        for c in complaints
    ]
    accused = sorted(c.share.sender for c in complaints)
    _audit(ctx, code, "e2e.guardian_receive", "refused", {"guardian": j, "accused": accused})
    raise E2eRejected(
        f"guardian(s) {accused} sent guardian {j} a signed share that fails the check; complaint(s) written: "
        + ", ".join(str(p) for p in paths)
        + " (anyone can check them with `saylau e2e guardian check-complaint`); the ceremony must start again",
        code="share_complaint",
        details={"accused": accused, "complaints": [str(p) for p in paths]},
    )


def _record(ctx: Context, code: str, commitments: Sequence[GuardianCommitment], found: Exchange) -> Element:
    confirmations = [found.confirmations[k] for k in sorted(found.confirmations)]
    return record_confirmed_ceremony(ctx, code, commitments, confirmations)


def record_from_exchange(ctx: Context, code: str, dirs: Sequence[Path]) -> Element:
    """The server: record the ceremony from the n commitments and n confirmations found in ``dirs``."""
    state, params = _ceremony_state(ctx, code)
    found = read_exchange(dirs, state.row.fingerprint)
    missing = [k for k in range(1, params.guardians + 1) if k not in found.confirmations]
    if missing:
        raise E2eRejected(f"no confirmation yet from guardian(s) {missing}", code="ceremony_incomplete")
    return _record(ctx, code, [found.commitments[k] for k in sorted(found.commitments)], found)


def check_complaint_file(ctx: Context, code: str, path: Path, dirs: Sequence[Path]) -> ComplaintCheck:
    """Anyone's decision on a complaint file. With ``dirs``, its two commitments must be the published ones."""
    state = election_state(ctx, code)
    params = CeremonyParams(state.manifest.guardians, state.manifest.quorum)
    doc = read_complaint(path, state.row.fingerprint)
    problems = [
        f"{who}: {v.where}: {v.code.value}"
        for who, c in (("accused", doc.accused), ("complainant", doc.complainant))
        if isinstance(v := verify_guardian_commitment(c, params, state.crypto), Invalid)
    ]
    if dirs:
        published = read_exchange(dirs, state.row.fingerprint).commitments
        problems += [
            f"{who}: not the published {commitment_name(c.index)}"
            for who, c in (("accused", doc.accused), ("complainant", doc.complainant))
            if published.get(c.index) != c
        ]
    if problems:
        raise E2eRejected("complaint refused: " + "; ".join(problems), code="complaint_invalid")
    verdict = check_share_complaint(doc.complaint, doc.accused, doc.complainant, state.crypto)
    return ComplaintCheck(doc.complaint.share.sender, doc.complaint.share.recipient, verdict)
