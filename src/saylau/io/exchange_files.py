"""The format of the public files of the distributed key ceremony (spec/record.md §8.1): what guardians
exchange, on any channel. Bytes in, checked values out; creating them (once, mode 0644) and gathering them
from directories is ``saylau.services.e2e.exchange``.

Every file is the envelope of ``saylau.io.strict_json`` with ``format`` = ``saylau-exchange-v1``: one canonical
JSON object followed by ``\\n`` with a ``purpose``, the election id and its fingerprint E, and its body keys:

=======================================  ==========================  ==============================================
file                                     purpose                     body
=======================================  ==========================  ==============================================
``commitment-<i>.json``                  ``guardian-commitment``     ``commitment``: guardian i's GuardianCommitment
``share-<i>-to-<j>.json``                ``encrypted-share``         ``share``: P_i(j) encrypted to j, signed by i
``confirmation-<j>.json``                ``ceremony-confirmation``   ``confirmation``: j's signed acceptance
``complaint-<j>-against-<i>.json``       ``share-complaint``         ``complaint`` + ``accused`` / ``complainant``
=======================================  ==========================  ==============================================

Nothing in them is secret (a share is readable by its recipient only), so they may travel by any means.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from saylau.crypto import codec
from saylau.crypto.credentials import Signature
from saylau.crypto.errors import CryptoError, EncodingError
from saylau.crypto.group import Element, Scalar
from saylau.crypto.keys import GuardianCommitment
from saylau.crypto.proofs import ChaumPedersenProof
from saylau.crypto.share_exchange import CeremonyConfirmation, EncryptedShare, ShareComplaint
from saylau.io.codes import IoCode
from saylau.io.strict_json import Envelope, EnvelopeCodes
from saylau.model.errors import SaylauError

__all__ = [
    "COMMITMENT",
    "COMPLAINT",
    "CONFIRMATION",
    "EXCHANGE_FILES",
    "EXCHANGE_FORMAT",
    "SHARE",
    "ComplaintFile",
    "ExchangeFileError",
    "ExchangeValue",
    "commitment_bytes",
    "commitment_name",
    "complaint_bytes",
    "complaint_name",
    "confirmation_bytes",
    "confirmation_name",
    "gathered_name",
    "parse_complaint",
    "parse_gathered",
    "share_bytes",
    "share_name",
    "slot_of",
]

EXCHANGE_FORMAT = "saylau-exchange-v1"
COMMITMENT = "guardian-commitment"
SHARE = "encrypted-share"
CONFIRMATION = "ceremony-confirmation"
COMPLAINT = "share-complaint"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_NAMES = (
    (re.compile(r"commitment-([1-9][0-9]*)\.json"), COMMITMENT),
    (re.compile(r"share-([1-9][0-9]*)-to-([1-9][0-9]*)\.json"), SHARE),
    (re.compile(r"confirmation-([1-9][0-9]*)\.json"), CONFIRMATION),
)

ExchangeValue = GuardianCommitment | EncryptedShare | CeremonyConfirmation
"""What a gathered file (commitment, share or confirmation) holds."""


class ExchangeFileError(SaylauError):
    """A ceremony exchange file that cannot be used; ``code`` says why."""

    code = "exchange_file"


EXCHANGE_FILES = Envelope(
    EXCHANGE_FORMAT,
    {
        COMMITMENT: frozenset({"commitment"}),
        SHARE: frozenset({"share"}),
        CONFIRMATION: frozenset({"confirmation"}),
        COMPLAINT: frozenset({"accused", "complainant", "complaint"}),
    },
    ExchangeFileError,
    EnvelopeCodes(
        syntax=IoCode.EXCHANGE_FILE_SYNTAX,
        format=IoCode.EXCHANGE_FILE_FORMAT,
        purpose=IoCode.EXCHANGE_FILE_PURPOSE,
        other_election=IoCode.EXCHANGE_FILE_OTHER_ELECTION,
        shape=IoCode.EXCHANGE_FILE_SHAPE,
    ),
    "exchange",
)


def commitment_name(i: int) -> str:
    return f"commitment-{i}.json"


def share_name(i: int, j: int) -> str:
    return f"share-{i}-to-{j}.json"


def confirmation_name(j: int) -> str:
    return f"confirmation-{j}.json"


def complaint_name(j: int, i: int) -> str:
    return f"complaint-{j}-against-{i}.json"


def gathered_name(name: str) -> tuple[str, tuple[int, ...]] | None:
    """The purpose and slot a gathered file's name announces (``share-2-to-3.json``: share, (2, 3)); None
    for any other name (such files are not gathered)."""
    for pattern, purpose in _NAMES:
        if (m := pattern.fullmatch(name)) is not None:
            return purpose, tuple(int(g) for g in m.groups())
    return None


def slot_of(value: ExchangeValue) -> tuple[int, ...]:
    """The slot a gathered value fills: its guardian, or (sender, recipient) for a share."""
    match value:
        case GuardianCommitment():
            return (value.index,)
        case EncryptedShare():
            return (value.sender, value.recipient)
        case CeremonyConfirmation():
            return (value.guardian,)


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


def commitment_bytes(election: str, fingerprint: str, commitment: GuardianCommitment) -> bytes:
    return EXCHANGE_FILES.encode(COMMITMENT, election, fingerprint, {"commitment": codec.to_plain(commitment)})


def share_bytes(election: str, fingerprint: str, share: EncryptedShare) -> bytes:
    return EXCHANGE_FILES.encode(SHARE, election, fingerprint, {"share": _share_plain(share)})


def confirmation_bytes(election: str, fingerprint: str, confirmation: CeremonyConfirmation) -> bytes:
    body = {"confirmation": _confirmation_plain(confirmation)}
    return EXCHANGE_FILES.encode(CONFIRMATION, election, fingerprint, body)


def complaint_bytes(
    election: str,
    fingerprint: str,
    complaint: ShareComplaint,
    accused: GuardianCommitment,
    complainant: GuardianCommitment,
) -> bytes:
    body = {
        "complaint": {
            "share": _share_plain(complaint.share),
            "secret": complaint.secret.hex(),
            "proof": codec.to_plain(complaint.proof),
        },
        "accused": codec.to_plain(accused),
        "complainant": codec.to_plain(complainant),
    }
    return EXCHANGE_FILES.encode(COMPLAINT, election, fingerprint, body)


# --- decoding ----------------------------------------------------------------------------------------------


def _element(value: object, where: str) -> Element:
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        raise ExchangeFileError(f"{where}: expected 64 lowercase hex digits", code="exchange_file_shape")
    return Element.decode(bytes.fromhex(value))


def _scalar(value: object, where: str) -> Scalar:
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
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
    if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
        raise ExchangeFileError(f"{where}.digest: expected 64 lowercase hex digits", code="exchange_file_shape")
    return CeremonyConfirmation(
        _int(d["guardian"], f"{where}.guardian"),
        digest,
        _element(d["share_key"], f"{where}.share_key"),
        codec.loads(Signature, json.dumps(d["signature"])),
    )


def _commitment(value: object) -> GuardianCommitment:
    return codec.loads(GuardianCommitment, json.dumps(value))


def _shape_error(source: object, exc: CryptoError | ValueError) -> ExchangeFileError:
    message = exc.message if isinstance(exc, EncodingError) else str(exc)
    return ExchangeFileError(f"{source}: {message}", code="exchange_file_shape")


def parse_gathered(data: bytes, source: object, purpose: str, fingerprint: str) -> ExchangeValue:
    """The commitment, share or confirmation in a file of that ``purpose`` of election ``fingerprint``."""
    doc = EXCHANGE_FILES.decode(data, source, purpose, fingerprint)
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
        raise _shape_error(source, exc) from exc


@dataclass(frozen=True, slots=True)
class ComplaintFile:
    complaint: ShareComplaint
    accused: GuardianCommitment
    complainant: GuardianCommitment


def parse_complaint(data: bytes, source: object, fingerprint: str) -> ComplaintFile:
    doc = EXCHANGE_FILES.decode(data, source, COMPLAINT, fingerprint)
    try:
        body = _obj(doc["complaint"], {"share", "secret", "proof"}, "complaint")
        complaint = ShareComplaint(
            _parse_share(body["share"], "complaint.share"),
            _element(body["secret"], "complaint.secret"),
            codec.loads(ChaumPedersenProof, json.dumps(body["proof"])),
        )
        return ComplaintFile(complaint, _commitment(doc["accused"]), _commitment(doc["complainant"]))
    except (CryptoError, ValueError) as exc:
        raise _shape_error(source, exc) from exc
