"""Payload parsers for every event type (spec/record.md §2, §4, §5): closed shapes, paths in every error."""

from __future__ import annotations

from typing import Any

from saylau_verify.jsonread import ParseError, array, element, integer, obj, scalar, string
from saylau_verify.model import (
    Ballot,
    BallotQuestion,
    Ciphertext,
    GuardianCommitment,
    Manifest,
    Proof,
    QuestionSpec,
    RangeProof,
    Selection,
    ShareEntry,
    SpoiledOpening,
    Tally,
    TallyShare,
)

__all__ = [
    "ParseError",
    "parse_ballot",
    "parse_ciphertext",
    "parse_commitment",
    "parse_manifest",
    "parse_opening",
    "parse_proof",
    "parse_tally",
    "parse_tally_share",
]

_PROOF = frozenset({"challenge", "response"})
_RANGE = frozenset({"challenges", "responses"})
_CT = frozenset({"alpha", "beta"})
_QSPEC = frozenset({"max_selections", "min_selections", "options", "question_id"})
_MANIFEST = frozenset({"election_id", "format", "guardians", "questions", "quorum", "revote", "title"})
_COMMIT = frozenset({"auth_key", "auth_proof", "commitments", "index", "proofs"})
_BALLOT = frozenset({"ballot_id", "credential", "questions", "signature"})
_BQ = frozenset({"question_id", "range_proof", "selections"})
_SEL = frozenset({"ciphertext", "proof"})
_OPEN = frozenset({"ballot_id", "choices", "nonces"})
_TALLY = frozenset({"ballots", "questions"})
_SHARE = frozenset({"guardian", "shares"})
_ENTRY = frozenset({"guardian", "image", "proof"})


def parse_proof(value: Any, path: str) -> Proof:
    d = obj(value, path, _PROOF)
    return Proof(scalar(d["challenge"], f"{path}.challenge"), scalar(d["response"], f"{path}.response"))


def _scalars(value: Any, path: str) -> tuple[int, ...]:
    return tuple(scalar(v, f"{path}[{i}]") for i, v in enumerate(array(value, path)))


def _range(value: Any, path: str) -> RangeProof:
    d = obj(value, path, _RANGE)
    return RangeProof(_scalars(d["challenges"], f"{path}.challenges"), _scalars(d["responses"], f"{path}.responses"))


def parse_ciphertext(value: Any, path: str, allow_identity: bool = False) -> Ciphertext:
    d = obj(value, path, _CT)
    return Ciphertext(
        element(d["alpha"], f"{path}.alpha", allow_identity), element(d["beta"], f"{path}.beta", allow_identity)
    )


def _question_spec(value: Any, path: str) -> QuestionSpec:
    d = obj(value, path, _QSPEC)
    options = tuple(string(v, f"{path}.options[{i}]") for i, v in enumerate(array(d["options"], f"{path}.options")))
    return QuestionSpec(
        string(d["question_id"], f"{path}.question_id"),
        options,
        integer(d["min_selections"], f"{path}.min_selections"),
        integer(d["max_selections"], f"{path}.max_selections"),
    )


def parse_manifest(value: Any, path: str) -> Manifest:
    """Shape of M (record §4); its constraints are checked by V8."""
    d = obj(value, path, _MANIFEST)
    if d["format"] != "saylau-record-v1":
        raise ParseError(f"{path}.format", "expected 'saylau-record-v1'")
    questions = tuple(
        _question_spec(v, f"{path}.questions[{i}]") for i, v in enumerate(array(d["questions"], f"{path}.questions"))
    )
    revote = string(d["revote"], f"{path}.revote")
    if revote not in ("last", "refuse"):
        raise ParseError(f"{path}.revote", "expected 'last' or 'refuse'")
    return Manifest(
        string(d["election_id"], f"{path}.election_id"),
        integer(d["guardians"], f"{path}.guardians"),
        integer(d["quorum"], f"{path}.quorum"),
        questions,
        revote,
        string(d["title"], f"{path}.title"),
    )


def parse_commitment(value: Any, path: str) -> GuardianCommitment:
    d = obj(value, path, _COMMIT)
    commitments = tuple(
        element(v, f"{path}.commitments[{i}]") for i, v in enumerate(array(d["commitments"], f"{path}.commitments"))
    )
    proofs = tuple(parse_proof(v, f"{path}.proofs[{i}]") for i, v in enumerate(array(d["proofs"], f"{path}.proofs")))
    return GuardianCommitment(
        integer(d["index"], f"{path}.index"),
        commitments,
        proofs,
        element(d["auth_key"], f"{path}.auth_key"),
        parse_proof(d["auth_proof"], f"{path}.auth_proof"),
    )


def _selection(value: Any, path: str) -> Selection:
    d = obj(value, path, _SEL)
    return Selection(parse_ciphertext(d["ciphertext"], f"{path}.ciphertext"), _range(d["proof"], f"{path}.proof"))


def _ballot_question(value: Any, path: str) -> BallotQuestion:
    d = obj(value, path, _BQ)
    selections = tuple(
        _selection(v, f"{path}.selections[{i}]") for i, v in enumerate(array(d["selections"], f"{path}.selections"))
    )
    return BallotQuestion(
        string(d["question_id"], f"{path}.question_id"), selections, _range(d["range_proof"], f"{path}.range_proof")
    )


def parse_ballot(value: Any, path: str) -> Ballot:
    d = obj(value, path, _BALLOT)
    questions = tuple(
        _ballot_question(v, f"{path}.questions[{i}]") for i, v in enumerate(array(d["questions"], f"{path}.questions"))
    )
    return Ballot(
        string(d["ballot_id"], f"{path}.ballot_id"),
        element(d["credential"], f"{path}.credential"),
        questions,
        parse_proof(d["signature"], f"{path}.signature"),
    )


def _int_rows(value: Any, path: str) -> tuple[tuple[int, ...], ...]:
    return tuple(
        tuple(integer(x, f"{path}[{i}][{j}]") for j, x in enumerate(array(row, f"{path}[{i}]")))
        for i, row in enumerate(array(value, path))
    )


def parse_opening(value: Any, path: str) -> SpoiledOpening:
    d = obj(value, path, _OPEN)
    nonces = tuple(_scalars(row, f"{path}.nonces[{i}]") for i, row in enumerate(array(d["nonces"], f"{path}.nonces")))
    return SpoiledOpening(
        string(d["ballot_id"], f"{path}.ballot_id"), _int_rows(d["choices"], f"{path}.choices"), nonces
    )


def parse_tally(value: Any, path: str) -> Tally:
    d = obj(value, path, _TALLY)
    rows = array(d["questions"], f"{path}.questions")
    questions = tuple(
        tuple(
            parse_ciphertext(ct, f"{path}.questions[{q}][{o}]", True)
            for o, ct in enumerate(array(row, f"{path}.questions[{q}]"))
        )
        for q, row in enumerate(rows)
    )
    return Tally(integer(d["ballots"], f"{path}.ballots"), questions)


def _entry(value: Any, path: str) -> ShareEntry:
    d = obj(value, path, _ENTRY)
    return ShareEntry(
        integer(d["guardian"], f"{path}.guardian"),
        element(d["image"], f"{path}.image", True),
        parse_proof(d["proof"], f"{path}.proof"),
    )


def parse_tally_share(value: Any, path: str) -> TallyShare:
    d = obj(value, path, _SHARE)
    rows = array(d["shares"], f"{path}.shares")
    shares = tuple(
        tuple(_entry(e, f"{path}.shares[{q}][{o}]") for o, e in enumerate(array(row, f"{path}.shares[{q}]")))
        for q, row in enumerate(rows)
    )
    return TallyShare(integer(d["guardian"], f"{path}.guardian"), shares)


def int_rows(value: Any, path: str) -> tuple[tuple[int, ...], ...]:
    """Rows of non-negative integers (result counts)."""
    return _int_rows(value, path)
