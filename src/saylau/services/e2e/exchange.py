"""Public files of the distributed key ceremony (spec/record.md §8.1): what guardians exchange, on any channel.

Every file is one canonical JSON object followed by ``\\n`` with ``format`` = ``saylau-exchange-v1``, a
``purpose``, the election id and its fingerprint E, and one body key:

=======================================  ==========================  ==============================================
file                                     purpose                     body
=======================================  ==========================  ==============================================
``commitment-<i>.json``                  ``guardian-commitment``     ``commitment``: guardian i's GuardianCommitment
``share-<i>-to-<j>.json``                ``encrypted-share``         ``share``: P_i(j) encrypted to j, signed by i
``confirmation-<j>.json``                ``ceremony-confirmation``   ``confirmation``: j's signed acceptance
``complaint-<j>-against-<i>.json``       ``share-complaint``         ``complaint`` + ``accused`` / ``complainant``
=======================================  ==========================  ==============================================

Nothing in them is secret (a share is readable by its recipient only), so they may travel by any means. A file is
created once (mode 0644) and never overwritten with different content; reading checks the name against the
content, the fingerprint against the election, and refuses two different files for the same slot.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saylau.crypto import codec
from saylau.crypto.credentials import Signature
from saylau.crypto.errors import CryptoError, EncodingError
from saylau.crypto.group import Element, Scalar
from saylau.crypto.keys import GuardianCommitment
from saylau.crypto.proofs import ChaumPedersenProof
from saylau.crypto.share_exchange import CeremonyConfirmation, EncryptedShare, ShareComplaint
from saylau.model import Conflict, SaylauError
from saylau.model.strict import strict_json_loads
from saylau.record.encoding import canon

__all__ = [
    "COMMITMENT",
    "COMPLAINT",
    "CONFIRMATION",
    "EXCHANGE_FORMAT",
    "SHARE",
    "ComplaintFile",
    "Exchange",
    "ExchangeFileError",
    "commitment_name",
    "complaint_name",
    "confirmation_name",
    "read_complaint",
    "read_exchange",
    "share_name",
    "write_commitment",
    "write_complaint",
    "write_confirmation",
    "write_share",
]

EXCHANGE_FORMAT = "saylau-exchange-v1"
COMMITMENT = "guardian-commitment"
SHARE = "encrypted-share"
CONFIRMATION = "ceremony-confirmation"
COMPLAINT = "share-complaint"
_BASE = {"election", "fingerprint", "format", "purpose"}
_KEYS = {
    COMMITMENT: _BASE | {"commitment"},
    SHARE: _BASE | {"share"},
    CONFIRMATION: _BASE | {"confirmation"},
    COMPLAINT: _BASE | {"accused", "complainant", "complaint"},
}
_NAMES = (
    (re.compile(r"commitment-([1-9][0-9]*)\.json"), COMMITMENT),
    (re.compile(r"share-([1-9][0-9]*)-to-([1-9][0-9]*)\.json"), SHARE),
    (re.compile(r"confirmation-([1-9][0-9]*)\.json"), CONFIRMATION),
)


class ExchangeFileError(SaylauError):
    """A ceremony exchange file that cannot be used; ``code`` says why."""

    code = "exchange_file"


def commitment_name(i: int) -> str:
    return f"commitment-{i}.json"


def share_name(i: int, j: int) -> str:
    return f"share-{i}-to-{j}.json"


def confirmation_name(j: int) -> str:
    return f"confirmation-{j}.json"


def complaint_name(j: int, i: int) -> str:
    return f"complaint-{j}-against-{i}.json"


# --- encoding ----------------------------------------------------------------------------------------------


def _share_plain(share: EncryptedShare) -> dict[str, object]:
    return {
        "sender": share.sender,
        "recipient": share.recipient,
        "ephemeral": share.ephemeral.hex(),
        "masked": share.masked.hex(),
        "signature": codec.to_plain(share.signature),
    }


def _confirmation_plain(c: CeremonyConfirmation) -> dict[str, object]:
    return {
        "guardian": c.guardian,
        "digest": c.digest,
        "share_key": c.share_key.hex(),
        "signature": codec.to_plain(c.signature),
    }


def _text(purpose: str, election: str, fingerprint: str, body: dict[str, object]) -> bytes:
    doc = {"format": EXCHANGE_FORMAT, "purpose": purpose, "election": election, "fingerprint": fingerprint, **body}
    return (canon(doc) + "\n").encode("utf-8")


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
    body = {"commitment": codec.to_plain(commitment)}
    return _write(out / commitment_name(commitment.index), _text(COMMITMENT, election, fingerprint, body))


def write_share(out: Path, election: str, fingerprint: str, share: EncryptedShare) -> Path:
    path = out / share_name(share.sender, share.recipient)
    _write(path, _text(SHARE, election, fingerprint, {"share": _share_plain(share)}))
    return path


def write_confirmation(out: Path, election: str, fingerprint: str, confirmation: CeremonyConfirmation) -> Path:
    path = out / confirmation_name(confirmation.guardian)
    _write(path, _text(CONFIRMATION, election, fingerprint, {"confirmation": _confirmation_plain(confirmation)}))
    return path


def write_complaint(
    out: Path,
    election: str,
    fingerprint: str,
    complaint: ShareComplaint,
    accused: GuardianCommitment,
    complainant: GuardianCommitment,
) -> Path:
    body = {
        "complaint": {
            "share": _share_plain(complaint.share),
            "secret": complaint.secret.hex(),
            "proof": codec.to_plain(complaint.proof),
        },
        "accused": codec.to_plain(accused),
        "complainant": codec.to_plain(complainant),
    }
    path = out / complaint_name(complaint.share.recipient, complaint.share.sender)
    _write(path, _text(COMPLAINT, election, fingerprint, body))
    return path


# --- decoding ----------------------------------------------------------------------------------------------


def _no_float(text: str) -> object:
    raise ExchangeFileError("floats are not allowed", code="exchange_file_shape")


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if len({k for k, _ in pairs}) != len(pairs):
        raise ExchangeFileError("duplicate key", code="exchange_file_shape")
    return dict(pairs)


def _load(path: Path, purpose: str, fingerprint: str) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
        doc = strict_json_loads(
            raw.decode("utf-8"), parse_float=_no_float, parse_constant=_no_float, object_pairs_hook=_unique
        )
    except OSError as exc:
        raise ExchangeFileError(f"cannot read {path}: {exc.strerror}", code="exchange_file_unreadable") from exc
    except (UnicodeDecodeError, json.JSONDecodeError, ExchangeFileError) as exc:
        raise ExchangeFileError(f"{path} is not a JSON exchange file", code="exchange_file_syntax") from exc
    if not isinstance(doc, dict) or doc.get("format") != EXCHANGE_FORMAT:
        raise ExchangeFileError(f"{path} is not a {EXCHANGE_FORMAT} file", code="exchange_file_format")
    if doc.get("purpose") != purpose:
        raise ExchangeFileError(
            f"{path} holds a {doc.get('purpose')!r}, not a {purpose!r}", code="exchange_file_purpose"
        )
    if doc.get("fingerprint") != fingerprint:
        raise ExchangeFileError(
            f"{path} belongs to another election ({doc.get('election')!r})", code="exchange_file_other_election"
        )
    if set(doc) != _KEYS[purpose]:
        raise ExchangeFileError(
            f"{path} must have exactly the keys {sorted(_KEYS[purpose])}", code="exchange_file_shape"
        )
    return doc


def _element(value: object, where: str) -> Element:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-f]{64}", value):
        raise ExchangeFileError(f"{where}: expected 64 lowercase hex digits", code="exchange_file_shape")
    return Element.decode(bytes.fromhex(value))


def _scalar(value: object, where: str) -> Scalar:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-f]{64}", value):
        raise ExchangeFileError(f"{where}: expected 64 lowercase hex digits", code="exchange_file_shape")
    return Scalar.decode(bytes.fromhex(value))


def _int(value: object, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ExchangeFileError(f"{where}: expected a positive integer", code="exchange_file_shape")
    return value


def _obj(value: object, keys: set[str], where: str) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != keys:
        raise ExchangeFileError(f"{where}: expected an object with keys {sorted(keys)}", code="exchange_file_shape")
    return value


def _parse_share(value: object, where: str) -> EncryptedShare:
    d = _obj(value, {"sender", "recipient", "ephemeral", "masked", "signature"}, where)
    return EncryptedShare(
        _int(d["sender"], f"{where}.sender"),
        _int(d["recipient"], f"{where}.recipient"),
        _element(d["ephemeral"], f"{where}.ephemeral"),
        _scalar(d["masked"], f"{where}.masked"),
        codec.loads(Signature, json.dumps(d["signature"])),
    )


def _parse_confirmation(value: object, where: str) -> CeremonyConfirmation:
    d = _obj(value, {"guardian", "digest", "share_key", "signature"}, where)
    digest = d["digest"]
    if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise ExchangeFileError(f"{where}.digest: expected 64 lowercase hex digits", code="exchange_file_shape")
    return CeremonyConfirmation(
        _int(d["guardian"], f"{where}.guardian"),
        digest,
        _element(d["share_key"], f"{where}.share_key"),
        codec.loads(Signature, json.dumps(d["signature"])),
    )


def _commitment(value: object) -> GuardianCommitment:
    return codec.loads(GuardianCommitment, json.dumps(value))


def _parsed(path: Path, purpose: str, fingerprint: str) -> Any:
    doc = _load(path, purpose, fingerprint)
    try:
        match purpose:
            case "guardian-commitment":
                return _commitment(doc["commitment"])
            case "encrypted-share":
                return _parse_share(doc["share"], "share")
            case "ceremony-confirmation":
                return _parse_confirmation(doc["confirmation"], "confirmation")
            case _:  # pragma: no cover - the purposes above are the only ones gathered
                raise ExchangeFileError(f"{purpose} files are not gathered", code="exchange_file_purpose")
    except (CryptoError, ValueError) as exc:
        message = exc.message if isinstance(exc, EncodingError) else str(exc)
        raise ExchangeFileError(f"{path}: {message}", code="exchange_file_shape") from exc


@dataclass(slots=True)
class Exchange:
    """Everything found in the exchange directories, keyed by slot (checked against the file names)."""

    commitments: dict[int, GuardianCommitment] = field(default_factory=dict)
    shares: dict[tuple[int, int], EncryptedShare] = field(default_factory=dict)
    confirmations: dict[int, CeremonyConfirmation] = field(default_factory=dict)


def _slot(purpose: str, value: Any) -> tuple[int, ...]:
    if isinstance(value, GuardianCommitment):
        return (value.index,)
    if isinstance(value, EncryptedShare):
        return (value.sender, value.recipient)
    if isinstance(value, CeremonyConfirmation):
        return (value.guardian,)
    raise ExchangeFileError(f"unexpected {purpose}", code="exchange_file_purpose")  # pragma: no cover


def read_exchange(dirs: Sequence[Path], fingerprint: str) -> Exchange:
    """Gather commitments, shares and confirmations from ``dirs`` (other files are ignored)."""
    found = Exchange()
    seen: dict[tuple[str, tuple[int, ...]], tuple[Path, bytes]] = {}
    for directory in dirs:
        if not directory.is_dir():
            raise ExchangeFileError(f"{directory} is not a directory", code="exchange_dir_missing")
        for path in sorted(directory.iterdir()):
            for pattern, purpose in _NAMES:
                if (m := pattern.fullmatch(path.name)) is None:
                    continue
                value = _parsed(path, purpose, fingerprint)
                slot = _slot(purpose, value)
                if slot != tuple(int(g) for g in m.groups()):
                    raise ExchangeFileError(f"{path}: its content is for {slot}", code="exchange_file_misnamed")
                data = path.read_bytes()
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


@dataclass(frozen=True, slots=True)
class ComplaintFile:
    complaint: ShareComplaint
    accused: GuardianCommitment
    complainant: GuardianCommitment


def read_complaint(path: Path, fingerprint: str) -> ComplaintFile:
    doc = _load(path, COMPLAINT, fingerprint)
    try:
        body = _obj(doc["complaint"], {"share", "secret", "proof"}, "complaint")
        complaint = ShareComplaint(
            _parse_share(body["share"], "complaint.share"),
            _element(body["secret"], "complaint.secret"),
            codec.loads(ChaumPedersenProof, json.dumps(body["proof"])),
        )
        return ComplaintFile(complaint, _commitment(doc["accused"]), _commitment(doc["complainant"]))
    except (CryptoError, ValueError) as exc:
        message = exc.message if isinstance(exc, EncodingError) else str(exc)
        raise ExchangeFileError(f"{path}: {message}", code="exchange_file_shape") from exc
