"""The strict JSON reader for files and bodies, and the envelope every saylau file carries.

Strict (spec/record.md §2, spec/crypto.md §10.1): UTF-8, no float, no NaN or Infinity, no key twice in an
object at any depth, bounded nesting and integers, no lone surrogate. The rules live once, in
``saylau.model.strict.strict_json`` (the crypto codec, below this layer, reads through it too); this module is
its entry for the shell.

The envelope (spec/record.md §8, §8.1): one canonical JSON object followed by ``\\n`` whose keys are
``format``, ``purpose``, ``election`` and ``fingerprint`` (E) plus the purpose's own keys. A reader refuses
another format, another purpose, another fingerprint (a file of another election), and missing or extra keys.
Refusals never quote what a file holds beyond its purpose and election (a secret file's content stays
unsaid): the code, and the line and column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from saylau.model.canonical import canonical_json
from saylau.model.codes import ModelCode
from saylau.model.errors import SaylauError
from saylau.model.strict import JsonRefused, strict_json

__all__ = ["ENVELOPE_KEYS", "Envelope", "JsonRefused", "strict_json", "strict_json_bytes"]

ENVELOPE_KEYS = frozenset({"election", "fingerprint", "format", "purpose"})


def strict_json_bytes(data: bytes) -> Any:
    """:func:`strict_json` of ``data`` decoded as UTF-8 (a byte-order mark is refused as JSON refuses it);
    bytes that are not UTF-8 are a JsonRefused ``json_utf8`` naming the offset."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsonRefused(
            f"not UTF-8: {exc.reason} at byte {exc.start}", code=ModelCode.JSON_UTF8, details={"pos": exc.start}
        ) from None
    return strict_json(text)


def _where(exc: JsonRefused) -> str:
    """Where a refusal is, without quoting the text: line and column, or the path of an object."""
    if "line" in exc.details:
        return f"{exc.code} at line {exc.details['line']} column {exc.details['column']}"
    if "path" in exc.details:
        return f"{exc.code} in the object at {exc.details['path']}"
    return exc.code


@dataclass(frozen=True, slots=True)
class EnvelopeCodes:
    """The codes one family of files is refused with (members of io.codes.IoCode, spec/formats.md §15)."""

    syntax: str  # not strict JSON
    format: str  # JSON, but not this family's format
    purpose: str  # a file of another purpose than the step needs
    other_election: str  # a file of another election
    shape: str  # the wrong keys for its purpose


@dataclass(frozen=True, slots=True)
class Envelope:
    """One family of files: its ``format``, the keys of each purpose's body, the error it raises and the
    codes it raises it with."""

    format: str
    bodies: Mapping[str, frozenset[str]]
    error: type[SaylauError]
    codes: EnvelopeCodes
    noun: str  # "secret", "exchange": what the messages call a file

    def keys(self, purpose: str) -> frozenset[str]:
        return ENVELOPE_KEYS | self.bodies[purpose]

    def encode(self, purpose: str, election: str, fingerprint: str, body: Mapping[str, object]) -> bytes:
        """The file's bytes: the canonical JSON of envelope and body (model.canonical, RECORD), then ``\\n``."""
        doc = {"format": self.format, "purpose": purpose, "election": election, "fingerprint": fingerprint, **body}
        if set(doc) != self.keys(purpose):  # pragma: no cover - a programming error
            raise self.error(f"bad {purpose} document", code=self.codes.shape)
        return (canonical_json(doc) + "\n").encode("utf-8")

    def decode(self, data: bytes, source: object, purpose: str, fingerprint: str) -> dict[str, Any]:
        """The object in ``data`` (read from ``source``, named in errors) when it is a strict JSON file of this
        format, ``purpose`` and election ``fingerprint`` with exactly the purpose's keys."""
        try:
            doc = strict_json_bytes(data)
        except JsonRefused as exc:
            message = f"{source} is not a JSON {self.noun} file ({_where(exc)})"
            raise self.error(message, code=self.codes.syntax, details={"json": exc.code}) from exc
        if not isinstance(doc, dict) or doc.get("format") != self.format:
            raise self.error(f"{source} is not a {self.format} file", code=self.codes.format)
        if doc.get("purpose") != purpose:
            raise self.error(
                f"{source} holds a {doc.get('purpose')!r} {self.noun} file, this step needs a {purpose!r} one",
                code=self.codes.purpose,
            )
        if doc.get("fingerprint") != fingerprint:
            raise self.error(
                f"{source} belongs to another election ({doc.get('election')!r})",
                code=self.codes.other_election,
            )
        if set(doc) != self.keys(purpose):
            raise self.error(f"{source} must have exactly the keys {sorted(self.keys(purpose))}", code=self.codes.shape)
        return doc
