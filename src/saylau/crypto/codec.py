"""Canonical JSON for the public types of the cryptographic core (spec/crypto.md §10).

Objects are dataclass fields by name, keys sorted, no insignificant whitespace, UTF-8; Elements and
Scalars are 64 lowercase hex digits; tuples are arrays; integers are JSON integers; there are no floats.
Parsing is strict: unknown, missing or duplicated keys, floats, booleans for integers, upper-case or
non-canonical hex, invalid or (unless allowed) identity elements are all refused with :class:`EncodingError`.
Secret types (nonces, key shares, credentials) are not encodable.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from typing import Any, TypeVar

from saylau.crypto.ballot import (
    EncryptedBallot,
    EncryptedQuestion,
    EncryptedSelection,
    QuestionSpec,
    SpoiledOpening,
    check_ballot_id,
)
from saylau.crypto.codes import CryptoCode
from saylau.crypto.credentials import Signature
from saylau.crypto.elgamal import Ciphertext
from saylau.crypto.errors import EncodingError
from saylau.crypto.group import Element, Scalar
from saylau.crypto.keys import CeremonyParams, Complaint, GuardianCommitment
from saylau.crypto.proofs import ChaumPedersenProof, RangeProof, SchnorrProof
from saylau.crypto.tally import EncryptedTally, TallyShare
from saylau.crypto.threshold import DecryptionShare
from saylau.crypto.tracking import TrackingCode
from saylau.model.canonical import canonical_json
from saylau.model.strict import JsonRefused, strict_json

__all__ = ["PUBLIC_TYPES", "dumps", "loads", "to_plain"]

T = TypeVar("T")

PUBLIC_TYPES: frozenset[type] = frozenset(
    {
        Ciphertext,
        SchnorrProof,
        ChaumPedersenProof,
        RangeProof,
        Signature,
        CeremonyParams,
        GuardianCommitment,
        Complaint,
        DecryptionShare,
        TallyShare,
        EncryptedTally,
        EncryptedSelection,
        EncryptedQuestion,
        EncryptedBallot,
        QuestionSpec,
        SpoiledOpening,
        TrackingCode,
    }
)
_HEX64 = re.compile(r"[0-9a-f]{64}")


def to_plain(value: object) -> object:
    """The JSON-ready form of a public value."""
    if isinstance(value, Element | Scalar):
        return value.hex()
    if isinstance(value, bool | float):
        raise EncodingError("no booleans or floats in the record", code="crypto_json_type")
    if isinstance(value, int | str):
        return value
    if isinstance(value, tuple):
        return [to_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and type(value) in PUBLIC_TYPES:
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    raise EncodingError(f"{type(value).__name__} is not a public type", code="crypto_json_type")


def dumps(value: object) -> str:
    """Canonical JSON text of a public value (model.canonical, the RECORD profile)."""
    return canonical_json(to_plain(value))


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _fail(path: str, message: str) -> EncodingError:
    return EncodingError(f"{path or '$'}: {message}", code="crypto_json_shape", details={"path": path or "$"})


def _parse(tp: Any, data: Any, path: str, allow_identity: bool) -> Any:
    if tp is Element or tp is Scalar:
        if not isinstance(data, str) or not _HEX64.fullmatch(data):
            raise _fail(path, "expected 64 lowercase hex digits")
        raw = bytes.fromhex(data)
        try:
            return Element.decode(raw, allow_identity=allow_identity) if tp is Element else Scalar.decode(raw)
        except EncodingError as exc:
            raise EncodingError(f"{path}: {exc.message}", code=exc.code, details={"path": path}) from exc
    if tp is int:
        if not isinstance(data, int) or isinstance(data, bool):
            raise _fail(path, "expected an integer")
        return data
    if tp is str:
        if not isinstance(data, str):
            raise _fail(path, "expected a string")
        if not data.isascii():  # a lone surrogate (a JSON escape such as \\ud800) has no UTF-8 encoding
            try:
                data.encode("utf-8")
            except UnicodeEncodeError:
                raise _fail(path, "expected a string of Unicode scalar values (no lone surrogates)") from None
        return data
    origin = typing.get_origin(tp)
    if origin is tuple:
        (item, _ellipsis) = typing.get_args(tp)
        if not isinstance(data, list):
            raise _fail(path, "expected an array")
        return tuple(_parse(item, v, f"{path}[{i}]", allow_identity) for i, v in enumerate(data))
    if isinstance(tp, type) and tp in PUBLIC_TYPES:
        return _parse_object(tp, data, path, allow_identity)
    if isinstance(tp, types.UnionType):
        raise _fail(path, "unions are not encodable")
    raise _fail(path, f"unsupported type {tp!r}")


def _parse_object(cls: type[T], data: Any, path: str, allow_identity: bool) -> T:
    if not isinstance(data, dict):
        raise _fail(path, "expected an object")
    hints = _hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    if sorted(data) != sorted(names):
        raise _fail(path, f"keys must be exactly {sorted(names)}")
    if "ballot_id" in names:  # C§7.9, first: its own stable code, before any element is decoded
        check_ballot_id(data["ballot_id"], f"{path}.ballot_id")
    values = {n: _parse(hints[n], data[n], f"{path}.{n}", allow_identity) for n in names}
    try:
        return cls(**values)
    except EncodingError:
        raise
    except Exception as exc:  # a constructor's own validation (e.g. QuestionSpec bounds)
        raise _fail(path, str(exc)) from exc


def loads(cls: type[T], text: str, *, allow_identity: bool = False) -> T:
    """Parse canonical JSON into ``cls``, validating every element; the identity only if allowed."""
    if cls not in PUBLIC_TYPES:
        raise EncodingError(f"{cls.__name__} is not a public type", code="crypto_json_type")
    try:
        data = strict_json(text)
    except JsonRefused as exc:  # the strict reader's refusal (model.strict), in the codec's own codes
        if exc.code in ("json_float", "json_constant"):
            message = f"floats are not allowed: {exc.message}"
            raise EncodingError(message, code=CryptoCode.CRYPTO_JSON_FLOAT, details=exc.details) from exc
        if exc.code == "json_duplicate":
            raise EncodingError(exc.message, code=CryptoCode.CRYPTO_JSON_DUPLICATE, details=exc.details) from exc
        message = f"not JSON: {exc.message[:200]}"
        raise EncodingError(message, code=CryptoCode.CRYPTO_JSON_SYNTAX, details=exc.details) from exc
    return _parse_object(cls, data, "", allow_identity)
