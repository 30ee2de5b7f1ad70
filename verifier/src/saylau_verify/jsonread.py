"""Strict reading of canonical JSON values (spec/record.md §2): every error names its path."""

from __future__ import annotations

import json
import re
from typing import Any

from saylau_verify.crypto.group import GroupError, decode_element, decode_scalar

__all__ = [
    "ParseError",
    "array",
    "canon",
    "element",
    "hex64",
    "integer",
    "obj",
    "parse_canonical",
    "scalar",
    "string",
]

_HEX64 = re.compile(r"[0-9a-f]{64}")


class ParseError(ValueError):
    """A value does not have the shape the spec requires; ``path`` says where."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ParseError("$", f"duplicate key {key!r}")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ParseError("$", f"{name} is not allowed")


def _reject_float(text: str) -> Any:
    raise ParseError("$", f"number {text} is not an integer")


def _check_types(value: Any, path: str) -> None:
    if value is None or isinstance(value, bool):
        raise ParseError(path, "no null or booleans in a record")
    if isinstance(value, dict):
        for key, item in value.items():
            _check_types(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_types(item, f"{path}[{index}]")


def canon(value: Any) -> str:
    """The canonical JSON text (spec/record.md §2)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def parse_canonical(text: str, *, report: bool = False) -> Any:
    """Parse one JSON text and require it to be the canonical encoding of its own parse.

    ``report``: the REPORT profile (spec/record.md §2, spec/audit.md §10): booleans and null allowed, never a float."""
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_reject_constant,
            parse_float=_reject_float,
        )
    except json.JSONDecodeError as exc:
        raise ParseError("$", f"not JSON ({exc.msg} at column {exc.colno})") from exc
    except RecursionError as exc:
        raise ParseError("$", "nested too deeply") from exc
    if not report:
        _check_types(value, "$")
    if canon(value) != text:
        raise ParseError("$", "not the canonical encoding of its own parse")
    return value


def obj(value: Any, path: str, keys: frozenset[str] | set[str]) -> dict[str, Any]:
    """An object with exactly ``keys``."""
    if not isinstance(value, dict):
        raise ParseError(path, "expected an object")
    missing, extra = set(keys) - value.keys(), value.keys() - set(keys)
    if missing or extra:
        raise ParseError(path, f"keys differ (missing {sorted(missing)}, unknown {sorted(extra)})")
    return value


def array(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise ParseError(path, "expected an array")
    return value


def string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise ParseError(path, "expected a string")
    return value


def integer(value: Any, path: str, minimum: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ParseError(path, "expected an integer")
    if value < minimum:
        raise ParseError(path, f"expected an integer ≥ {minimum}")
    return value


def hex64(value: Any, path: str) -> str:
    """64 lowercase hex digits (hashes, fingerprints, tracking codes)."""
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        raise ParseError(path, "expected 64 lowercase hex digits")
    return value


def element(value: Any, path: str, allow_identity: bool = False) -> bytes:
    """A group element: 64 lowercase hex digits of a canonical, non-identity (unless allowed) encoding."""
    raw = bytes.fromhex(hex64(value, path))
    try:
        return decode_element(raw, allow_identity)
    except GroupError as exc:
        raise ParseError(path, str(exc)) from exc


def scalar(value: Any, path: str) -> int:
    """A scalar: 64 lowercase hex digits, little-endian, < ℓ."""
    raw = bytes.fromhex(hex64(value, path))
    try:
        return decode_scalar(raw)
    except GroupError as exc:
        raise ParseError(path, str(exc)) from exc
