"""The parties of an e2e election acting through secret files (spec/record.md §8): guardians, the credential
authority and a voter's device. Secrets are read from and written to their own 0600 files
(:mod:`saylau.services.e2e.files`); the database, the record and the audit log receive public values only.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from saylau.crypto.ballot import check_opening, encrypt_ballot, open_spoiled
from saylau.crypto.credentials import signing_key
from saylau.crypto.errors import Invalid
from saylau.crypto.group import Element, Rng
from saylau.crypto.keys import (
    CeremonyParams,
    GuardianCommitment,
    combine_key_shares,
    generate_guardian,
    share_for,
    share_public_key,
)
from saylau.crypto.tally import decrypt_tally_share
from saylau.io.secret_files import SecretFileError, key_share_bytes
from saylau.model import Conflict, LifecycleError
from saylau.record.encoding import canon
from saylau.record.events import E2ePhase
from saylau.services.context import Context
from saylau.services.e2e.casting import CastReceipt, cast_ballot, spoil_ballot
from saylau.services.e2e.files import (
    read_all_polynomials,
    read_credential,
    read_key_share,
    write_credential_files,
    write_polynomial,
)
from saylau.services.e2e.lifecycle import decryption_inputs, record_ceremony, register_credentials, submit_decryption
from saylau.services.e2e.state import E2eRejected, election_state, require_phase, voting_key
from saylau.services.private_files import write_secret

__all__ = [
    "PUBLIC_CREDENTIALS",
    "SpoilReceipt",
    "cast_with_credential",
    "ceremony_from_files",
    "decrypt_with_file",
    "guardian_keygen",
    "issue_credentials",
]

PUBLIC_CREDENTIALS = "public-credentials.json"


@dataclass(frozen=True, slots=True)
class SpoilReceipt:
    """A Benaloh challenge: the ballot was recorded as spoiled and its published opening re-encrypts to it."""

    ballot_id: str
    height: int
    choices: tuple[tuple[int, ...], ...]


def _audit(ctx: Context, code: str, action: str, details: dict[str, object]) -> None:
    with ctx.store.transaction() as tx:
        tx.audit(code, ctx.actor, action, "ok", details, ctx.clock())


def guardian_keygen(ctx: Context, code: str, index: int, out: Path, rng: Rng) -> GuardianCommitment:
    """Guardian ``index`` draws its polynomial and auth key; the secrets go to ``out`` (0600), nowhere else."""
    state = election_state(ctx, code)
    require_phase(state, E2ePhase.CEREMONY)
    params = CeremonyParams(state.manifest.guardians, state.manifest.quorum)
    if not 1 <= index <= params.guardians:
        raise E2eRejected(f"guardian index {index} outside 1..{params.guardians}", code="unknown_guardian")
    secrets_, commitment = generate_guardian(index, params, state.crypto, rng)
    write_polynomial(out, code, state.row.fingerprint, secrets_, commitment)
    _audit(ctx, code, "e2e.guardian_keygen", {"guardian": index})
    return commitment


def ceremony_from_files(ctx: Context, code: str, paths: Sequence[Path], rng: Rng) -> Element:
    """Run the share exchange among the guardians' files, record the ceremony, and turn each file into its key share.

    The new key-share files are written beside the polynomial files first and renamed over them only after the
    ceremony is recorded, so a refused ceremony leaves every guardian's polynomial file as it was.
    """
    state = election_state(ctx, code)
    require_phase(state, E2ePhase.CEREMONY)
    fingerprint, n = state.row.fingerprint, state.manifest.guardians
    files = read_all_polynomials(paths, fingerprint)
    if sorted(f.secrets.index for f in files) != list(range(1, n + 1)):
        raise SecretFileError(f"need the files of guardians 1..{n}, one each", code="ceremony_incomplete")
    shares = [share_for(f.secrets, j, state.crypto, rng) for f in files for j in range(1, n + 1)]
    commitments = [f.commitment for f in files]
    staged: list[tuple[Path, Path]] = []
    try:
        for path, f in zip(paths, files, strict=True):
            j = f.secrets.index
            key_share = combine_key_shares(j, [s for s in shares if s.recipient == j])
            public = share_public_key(commitments, j)
            temporary = path.with_name(f".{path.name}.new")
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
            write_secret(temporary, key_share_bytes(code, fingerprint, key_share, public))
            staged.append((temporary, path))
        key = record_ceremony(ctx, code, commitments, shares)
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, path in staged:
        os.replace(temporary, path)
    return key


def issue_credentials(ctx: Context, code: str, voters: int, out_dir: Path, rng: Rng) -> int:
    """The credential authority: N secret credential files and ``public-credentials.json`` in ``out_dir``;
    registers the public credentials (sorted, so nothing links them to a file). Files are removed if refused."""
    state = election_state(ctx, code)
    require_phase(state, E2ePhase.KEYED)
    if voters < 1:
        raise Conflict("at least one voter", code="bad_option")
    fresh = not out_dir.exists()
    publics = write_credential_files(code, state.row.fingerprint, voters, out_dir, rng)
    public_file = out_dir / PUBLIC_CREDENTIALS
    try:
        doc = {"credentials": sorted(p.hex() for p in publics), "election": code, "fingerprint": state.row.fingerprint}
        public_file.write_text(canon(doc) + "\n", encoding="utf-8")
        return register_credentials(ctx, code, publics)
    except BaseException:
        for item in out_dir.iterdir():
            item.unlink()
        if fresh:
            out_dir.rmdir()
        raise


def cast_with_credential(
    ctx: Context, code: str, credential_path: Path, choice: str, spoil: bool, rng: Rng
) -> CastReceipt | SpoilReceipt:
    """A voter's device: encrypt ``choice``, prove, sign with the credential and submit; or challenge (spoil)."""
    state, key = voting_key(ctx, code)
    fingerprint = state.row.fingerprint
    voter = signing_key(read_credential(credential_path, fingerprint).credential, fingerprint)
    (question,) = state.manifest.questions
    if choice not in question.options:
        raise E2eRejected(f"choice {choice!r} is not one of {list(question.options)}", code="bad_choice")
    chosen = [int(option == choice) for option in question.options]
    ballot, device = encrypt_ballot(state.manifest.questions, [chosen], key, fingerprint, rng(12).hex(), voter, rng)
    if not spoil:
        return cast_ballot(ctx, code, ballot)
    opening = open_spoiled(ballot, device)
    height = spoil_ballot(ctx, code, ballot, opening)
    # The device's own check of what it published: the opening re-encrypts to the ballot and shows the choice.
    if isinstance(check_opening(ballot, opening, state.manifest.questions, key), Invalid) or opening.choices != (
        tuple(chosen),
    ):  # pragma: no cover - spoil_ballot has already checked the opening
        raise LifecycleError("the spoiled ballot's opening does not match the choice", code="bad_opening")
    return SpoilReceipt(ballot.ballot_id, height, opening.choices)


def decrypt_with_file(ctx: Context, code: str, path: Path, rng: Rng) -> tuple[int, int]:
    """Guardian j's partial decryption of the tally with the proof; returns (j, decryptions recorded so far)."""
    state = election_state(ctx, code)
    share_file = read_key_share(path, state.row.fingerprint)
    j = share_file.share.index
    state, tally, public = decryption_inputs(ctx, code, j)
    if public != share_file.share_key:
        raise SecretFileError(f"{path}: its share key is not guardian {j}'s published key", code="secret_file_mismatch")
    share = decrypt_tally_share(tally, share_file.share, public, state.crypto, rng)
    return j, submit_decryption(ctx, code, share)
