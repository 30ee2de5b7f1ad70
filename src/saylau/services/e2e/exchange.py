"""Writing and gathering the public files of the distributed key ceremony (spec/record.md §8.1); their format
(bytes ↔ values, names ↔ slots) is ``saylau.io.exchange_files``.

A file is created once (mode 0644) and never overwritten with different content; gathering checks the name
against the content, the fingerprint against the election, and refuses two different files for the same slot.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from saylau.crypto.keys import GuardianCommitment
from saylau.crypto.share_exchange import CeremonyConfirmation, EncryptedShare, ShareComplaint
from saylau.io.exchange_files import (
    ComplaintFile,
    ExchangeFileError,
    commitment_bytes,
    commitment_name,
    complaint_bytes,
    complaint_name,
    confirmation_bytes,
    confirmation_name,
    gathered_name,
    parse_complaint,
    parse_gathered,
    share_bytes,
    share_name,
    slot_of,
)
from saylau.model import Conflict

__all__ = [
    "Exchange",
    "read_complaint",
    "read_exchange",
    "write_commitment",
    "write_complaint",
    "write_confirmation",
    "write_share",
]


def _write(path: Path, data: bytes) -> bool:
    """Create ``path`` (0644); True if written, False if it already holds exactly ``data``; else refuse."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError as exc:
        if path.read_bytes() == data:
            return False
        raise Conflict(
            f"{path} exists with other content: refusing to overwrite it", code="exchange_file_exists"
        ) from exc
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    return True


def write_commitment(out: Path, election: str, fingerprint: str, commitment: GuardianCommitment) -> bool:
    return _write(out / commitment_name(commitment.index), commitment_bytes(election, fingerprint, commitment))


def write_share(out: Path, election: str, fingerprint: str, share: EncryptedShare) -> Path:
    path = out / share_name(share.sender, share.recipient)
    _write(path, share_bytes(election, fingerprint, share))
    return path


def write_confirmation(out: Path, election: str, fingerprint: str, confirmation: CeremonyConfirmation) -> Path:
    path = out / confirmation_name(confirmation.guardian)
    _write(path, confirmation_bytes(election, fingerprint, confirmation))
    return path


def write_complaint(
    out: Path,
    election: str,
    fingerprint: str,
    complaint: ShareComplaint,
    accused: GuardianCommitment,
    complainant: GuardianCommitment,
) -> Path:
    path = out / complaint_name(complaint.share.recipient, complaint.share.sender)
    _write(path, complaint_bytes(election, fingerprint, complaint, accused, complainant))
    return path


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ExchangeFileError(f"cannot read {path}: {exc.strerror}", code="exchange_file_unreadable") from exc


@dataclass(slots=True)
class Exchange:
    """Everything found in the exchange directories, keyed by slot (checked against the file names)."""

    commitments: dict[int, GuardianCommitment] = field(default_factory=dict)
    shares: dict[tuple[int, int], EncryptedShare] = field(default_factory=dict)
    confirmations: dict[int, CeremonyConfirmation] = field(default_factory=dict)


def read_exchange(dirs: Sequence[Path], fingerprint: str) -> Exchange:
    """Gather commitments, shares and confirmations from ``dirs`` (other files are ignored)."""
    found = Exchange()
    seen: dict[tuple[str, tuple[int, ...]], tuple[Path, bytes]] = {}
    for directory in dirs:
        if not directory.is_dir():
            raise ExchangeFileError(f"{directory} is not a directory", code="exchange_dir_missing")
        for path in sorted(directory.iterdir()):
            if (named := gathered_name(path.name)) is None:
                continue
            purpose, named_slot = named
            data = _read(path)
            value = parse_gathered(data, path, purpose, fingerprint)
            slot = slot_of(value)
            if slot != named_slot:
                raise ExchangeFileError(f"{path}: its content is for {slot}", code="exchange_file_misnamed")
            if (purpose, slot) in seen and seen[(purpose, slot)][1] != data:
                other = seen[(purpose, slot)][0]
                raise ExchangeFileError(f"{path} and {other} differ", code="exchange_file_conflict")
            seen[(purpose, slot)] = (path, data)
            match value:
                case GuardianCommitment():
                    found.commitments[value.index] = value
                case EncryptedShare():
                    found.shares[(value.sender, value.recipient)] = value
                case CeremonyConfirmation():
                    found.confirmations[value.guardian] = value
    return found


def read_complaint(path: Path, fingerprint: str) -> ComplaintFile:
    """A ``share-complaint`` file of election ``fingerprint`` (C§5.8)."""
    return parse_complaint(_read(path), path, fingerprint)
