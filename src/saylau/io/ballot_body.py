"""What a voter's device sends (spec/record.md §2, spec/booth.md): the exact bytes of a cast ballot, or of a
spoiled one with its opening, parsed strictly into the crypto core's types. Bytes in, checked values out.

Everything is bounded before any group element is decoded: the bytes (``MAX_BALLOT_BYTES``), then the
number of questions and of sent ciphertexts (C§7.4's shape). The JSON is the strict profile
(``saylau.io.strict_json``: no float, no key twice, bounded nesting and integers); a ballot id not of the
form C§7.9 is a :class:`BadBallotId`.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence

from saylau.crypto import codec
from saylau.crypto.ballot import EncryptedBallot, QuestionSpec, SpoiledOpening, is_compact
from saylau.crypto.errors import EncodingError
from saylau.io.strict_json import JsonRefused, strict_json
from saylau.model.errors import InputError, Problem

__all__ = [
    "MAX_BALLOT_BYTES",
    "MAX_CIPHERTEXTS",
    "MAX_QUESTIONS",
    "BadBallotId",
    "parse_ballot",
    "parse_spoiled",
]

MAX_BALLOT_BYTES = 256 * 1024
"""A request larger than this is refused before parsing (a yes/no ballot is under 1 KiB, C§11)."""
MAX_QUESTIONS = 256
"""The most questions a ballot may have (whatever its election: a ballot has its manifest's questions)."""
MAX_CIPHERTEXTS = 1024
"""The most sent ciphertexts a ballot may have (each with its proof; ≈ 250 bytes each)."""


class BadBallotId(InputError):
    """A ballot id not of the form C§7.9 (refused while parsing, before anything is queued or written)."""

    code = "bad_ballot_id"


def _bad(what: str, exc: EncodingError) -> InputError:
    path = str(exc.details.get("path", "$"))
    kind = BadBallotId if exc.code == "bad_ballot_id" else InputError
    return kind([Problem(exc.code, exc.message, field=path)], summary=f"the {what} is not valid JSON of its type")


def _utf8(body: bytes) -> str:
    if len(body) > MAX_BALLOT_BYTES:
        raise InputError([Problem("too_large", f"the body is over {MAX_BALLOT_BYTES} bytes")])
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError([Problem("utf8", f"the body is not UTF-8: {exc.reason}")]) from exc


def _check_size(data: object, questions: Sequence[QuestionSpec] | None) -> None:
    """Before any element is decoded: at most MAX_QUESTIONS questions and MAX_CIPHERTEXTS sent ciphertexts;
    with the election's questions, exactly as many questions, each with its number of sent ciphertexts
    (C§7.4's shape; a smaller ballot is refused by verification, a larger one here, before decoding)."""
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        return  # not a ballot's shape: codec.loads names what is wrong
    sent = [q.get("selections") if isinstance(q, dict) else None for q in data["questions"]]
    counts = [len(s) if isinstance(s, list) else 0 for s in sent]
    problem: str | None = None
    if len(counts) > MAX_QUESTIONS or sum(counts) > MAX_CIPHERTEXTS:
        problem = f"at most {MAX_QUESTIONS} questions and {MAX_CIPHERTEXTS} ciphertexts in a ballot"
    elif questions is not None:
        expected = [1 if is_compact(q) else len(q.options) for q in questions]
        if len(counts) > len(expected):
            problem = f"the election has {len(expected)} question(s), the ballot {len(counts)}"
        elif any(c > e for c, e in zip(counts, expected, strict=False)):
            problem = f"the election's questions take {expected} ciphertext(s), the ballot sends {counts}"
    if problem is not None:
        raise InputError([Problem("ballot_too_large", problem, field=".questions")], summary=problem)


def parse_ballot(body: bytes, questions: Sequence[QuestionSpec] | None = None) -> EncryptedBallot:
    """An EncryptedBallot from the exact request bytes (spec/record.md §2), strictly (codec.loads); its
    size is bounded first (bytes, then questions and ciphertexts: those of ``questions`` when given)."""
    text = _utf8(body)
    with contextlib.suppress(ValueError, RecursionError):  # not JSON: codec.loads refuses it with its own code
        _check_size(json.loads(text), questions)
    try:
        return codec.loads(EncryptedBallot, text)
    except EncodingError as exc:
        raise _bad("ballot", exc) from exc


def parse_spoiled(body: bytes) -> tuple[EncryptedBallot, SpoiledOpening]:
    """``{"ballot": EncryptedBallot, "opening": SpoiledOpening}`` (the Benaloh challenge, C§7.7)."""
    text = _utf8(body)
    try:
        data = strict_json(text)
    except JsonRefused as exc:
        raise InputError([Problem("json", f"not JSON: {exc.message[:200]}")]) from exc
    if not isinstance(data, dict) or sorted(data) != ["ballot", "opening"]:
        raise InputError([Problem("shape", 'expected exactly {"ballot": …, "opening": …}', field="$")])
    _check_size(data["ballot"], None)
    try:
        ballot = codec.loads(EncryptedBallot, json.dumps(data["ballot"]))
    except EncodingError as exc:
        raise _bad("ballot", exc) from exc
    try:
        opening = codec.loads(SpoiledOpening, json.dumps(data["opening"]))
    except EncodingError as exc:
        raise _bad("opening", exc) from exc
    return ballot, opening
