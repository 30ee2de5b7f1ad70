"""The one canonical JSON encoder (spec/record.md §2): sorted keys, no insignificant whitespace, UTF-8 text
(``ensure_ascii=False``), integers in decimal, never a float, NaN or Infinity.

Two profiles over the same code:

- ``RECORD`` (the default): everything hashed into the public record, the crypto codec and the secret and
  exchange files. No booleans and no ``null`` anywhere (spec/record.md §2).
- ``REPORT``: stored counts, reports, audit details and the results digest, whose documents carry booleans
  and ``null`` (a share that is not defined, a flag). Still no floats (STYLE.md habit 13: exact arithmetic).

The bytes are those of ``json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
allow_nan=False)``, which every stored hash and golden file was made with (tests/property pins it).
"""

from __future__ import annotations

import enum
import json

from saylau.model.errors import SaylauError

__all__ = ["CanonicalProfile", "NotCanonical", "canonical_json"]


class CanonicalProfile(enum.Enum):
    RECORD = "record"
    REPORT = "report"


class NotCanonical(SaylauError):
    """A value the profile cannot encode; ``details["path"]`` says where (``$`` is the value itself)."""

    code = "canonical_json_type"


def _refuse(path: str, message: str) -> NotCanonical:
    return NotCanonical(f"{path}: {message}", details={"path": path})


def _check(value: object, path: str, report: bool) -> None:
    if isinstance(value, bool) or value is None:
        if not report:
            raise _refuse(path, "no booleans, floats or null in the record")
    elif isinstance(value, float):
        raise _refuse(path, "no booleans, floats or null in the record" if not report else "no floats")
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise _refuse(path, "keys are strings")
            _check(item, f"{path}.{key}", report)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check(item, f"{path}[{index}]", report)
    elif not isinstance(value, int | str):
        raise _refuse(path, f"{type(value).__name__} is not JSON")


def _plain(value: object, report: bool) -> bool:
    """True when ``value`` is plainly encodable: built from exactly dict (str keys), list, tuple, int and str
    (and, in the report profile, None and bool). False means "look closer": ``_check`` then accepts it or
    names the path it refuses. The fast path of the tens of thousands of stored counts; no path is built."""
    kind = type(value)
    if kind is int or kind is str:
        return True
    if kind is dict:
        for key, item in value.items():  # type: ignore[attr-defined]
            if type(key) is not str:
                return False
            if type(item) is not int and not _plain(item, report):
                return False
        return True
    if kind is list or kind is tuple:
        return all(type(item) is int or _plain(item, report) for item in value)  # type: ignore[attr-defined]
    return report and (value is None or kind is bool)


def canonical_json(value: object, profile: CanonicalProfile = CanonicalProfile.RECORD) -> str:
    """The canonical JSON text of ``value`` in ``profile``; NotCanonical (naming the path) for anything else."""
    report = profile is CanonicalProfile.REPORT
    if not _plain(value, report):
        _check(value, "$", report)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
