"""Encrypted ballots: encryption with proofs, verification, and the Benaloh challenge (spec/crypto.md §7).

General form, per question and option: ``Enc_K(m; r)`` with m ∈ {0, 1} and a 0/1 proof; per question: a range
proof that the homomorphic sum of its selections encrypts a value in [min, max]. Compact form, for a question
with exactly one of two options (the yes/no referendum, §7.2): one ciphertext Y for option 0 with one 0/1 proof
and an empty range proof; option 1's ciphertext is derived by everyone as ``Enc(1; 0) − Y = (−α, G − β)``, so
the two always encrypt exactly one selection. Every proof's context is
``(election, "ballot", ballot_id, credential, question_id, position…)``, and the voter signs the ballot's
content hash with the credential key, so a ballot copied under another id or credential does not verify.
The nonces live only in :class:`BallotSecrets`; a spoiled ballot is opened with :func:`open_spoiled` and
anyone re-encrypts with :func:`check_opening`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from saylau.crypto.credentials import Signature, SigningKey, sign, verify_signature
from saylau.crypto.elgamal import Ciphertext, add_ciphertexts, encrypt, encrypt_with_nonce
from saylau.crypto.errors import VALID, CryptoError, EncodingError, FailureCode, Invalid, Verdict
from saylau.crypto.group import GENERATOR, Element, Rng, Scalar
from saylau.crypto.hashing import Part, hash_hex
from saylau.crypto.proofs import ProofContext, RangeProof, prove_range, verify_range

__all__ = [
    "BALLOT_ID_MAX",
    "BALLOT_ID_PATTERN",
    "BallotSecrets",
    "EncryptedBallot",
    "EncryptedQuestion",
    "EncryptedSelection",
    "QuestionSpec",
    "SpoiledOpening",
    "ballot_ciphertexts",
    "ballot_content",
    "ballot_hash",
    "check_ballot_id",
    "check_opening",
    "ciphertext_fingerprints",
    "derived_ciphertext",
    "encrypt_ballot",
    "is_compact",
    "open_spoiled",
    "question_ciphertexts",
    "verify_ballot",
]

SELECTION = "selection-0-1"
COMPACT = "compact-0-1"
QUESTION = "question-range"
_NO_PROOF = RangeProof((), ())
BALLOT_SIGNATURE = "ballot"
BALLOT_ID_MAX = 64
BALLOT_ID_PATTERN = r"[0-9a-z-]{1,64}"
"""§7.9: a ballot id is 1 to 64 characters, each a lowercase ASCII letter, a digit or "-" (a device draws 16
random bytes as 32 lowercase hex digits). Anything else (empty, longer, upper case, NUL, non-ASCII, lone
surrogates) is refused where a ballot is built or parsed, before it reaches a queue or a database."""
_BALLOT_ID = re.compile(BALLOT_ID_PATTERN)


def check_ballot_id(ballot_id: object, path: str = ".ballot_id") -> None:
    """§7.9, or ``EncodingError(code="bad_ballot_id")`` naming the field (the id is shown escaped, cut short)."""
    if not isinstance(ballot_id, str) or _BALLOT_ID.fullmatch(ballot_id) is None:
        shown = ascii(ballot_id)[:40]
        raise EncodingError(
            f"{path}: a ballot id is 1 to {BALLOT_ID_MAX} characters of a-z, 0-9 and '-' (C§7.9), not {shown}",
            code="bad_ballot_id",
            details={"path": path},
        )


@dataclass(frozen=True, slots=True)
class QuestionSpec:
    """A question as the crypto core sees it: ordered option ids and how many may be selected."""

    question_id: str
    options: tuple[str, ...]
    min_selections: int
    max_selections: int

    def __post_init__(self) -> None:
        ok = len(self.options) >= 1 and len(set(self.options)) == len(self.options)
        if not ok or not 0 <= self.min_selections <= self.max_selections <= len(self.options):
            raise CryptoError("bad question spec", code="crypto_bad_question", details={"question": self.question_id})


@dataclass(frozen=True, slots=True)
class EncryptedSelection:
    ciphertext: Ciphertext
    proof: RangeProof  # m ∈ [0, 1]


@dataclass(frozen=True, slots=True)
class EncryptedQuestion:
    """General form: one selection per option and the range proof; compact form: one selection, empty range."""

    question_id: str
    selections: tuple[EncryptedSelection, ...]
    range_proof: RangeProof  # Σ m ∈ [min, max]; () and () in the compact form


@dataclass(frozen=True, slots=True)
class EncryptedBallot:
    """A cast ballot: public, carries no nonce and no plaintext."""

    ballot_id: str
    credential: Element  # the voter's public credential
    questions: tuple[EncryptedQuestion, ...]
    signature: Signature

    def __post_init__(self) -> None:
        check_ballot_id(self.ballot_id)


@dataclass(frozen=True, slots=True, repr=False)
class BallotSecrets:
    """The device's secrets: one choice per option, one nonce per *sent* ciphertext. Published only if spoiled."""

    ballot_id: str
    choices: tuple[tuple[int, ...], ...]
    nonces: tuple[tuple[Scalar, ...], ...]

    def __post_init__(self) -> None:
        check_ballot_id(self.ballot_id)

    def __repr__(self) -> str:
        return f"BallotSecrets({self.ballot_id}, <hidden>)"


@dataclass(frozen=True, slots=True)
class SpoiledOpening:
    """A challenged (spoiled, never counted) ballot's plaintexts and nonces, for anyone to re-encrypt."""

    ballot_id: str
    choices: tuple[tuple[int, ...], ...]
    nonces: tuple[tuple[Scalar, ...], ...]

    def __post_init__(self) -> None:
        check_ballot_id(self.ballot_id)


def is_compact(spec: QuestionSpec) -> bool:
    """§7.1: exactly one of two options (min = max = 1, two options) is sent in the compact form."""
    return len(spec.options) == 2 and spec.min_selections == spec.max_selections == 1


def derived_ciphertext(sent: Ciphertext) -> Ciphertext:
    """§7.2: option 1 of a compact question, ``Enc(1; 0) − Y = (−α, G − β)`` (encrypts 1 − m with nonce −r)."""
    return Ciphertext(-sent.alpha, GENERATOR - sent.beta)


def question_ciphertexts(spec: QuestionSpec, question: EncryptedQuestion) -> tuple[Ciphertext, ...]:
    """§7.8: one ciphertext per option, the derived one included (what the tally sums)."""
    sent = tuple(s.ciphertext for s in question.selections)
    expected = 1 if is_compact(spec) else len(spec.options)
    if question.question_id != spec.question_id or len(sent) != expected:
        raise CryptoError("question of another shape", code="crypto_bad_shape", details={"question": spec.question_id})
    return (sent[0], derived_ciphertext(sent[0])) if is_compact(spec) else sent


def ballot_ciphertexts(
    questions: Sequence[QuestionSpec], ballot: EncryptedBallot
) -> tuple[tuple[Ciphertext, ...], ...]:
    """§7.8 for every question: ``[question][option]``. Raises ``crypto_bad_shape`` on a ballot of another shape."""
    if len(ballot.questions) != len(questions):
        raise CryptoError("ballot of another shape", code="crypto_bad_shape", details={"ballot": ballot.ballot_id})
    return tuple(question_ciphertexts(spec, q) for spec, q in zip(questions, ballot.questions, strict=True))


def _ballot_context(election: str, ballot_id: str, credential: Element) -> ProofContext:
    return ProofContext(election).bind("ballot", ballot_id, credential)


def _check_choices(questions: Sequence[QuestionSpec], choices: Sequence[Sequence[int]]) -> None:
    if len(choices) != len(questions):
        raise CryptoError("one choice list per question", code="crypto_bad_choice")
    for spec, chosen in zip(questions, choices, strict=True):
        if len(chosen) != len(spec.options) or any(c not in (0, 1) or isinstance(c, bool) for c in chosen):
            raise CryptoError("one 0/1 per option", code="crypto_bad_choice", details={"question": spec.question_id})
        if not spec.min_selections <= sum(chosen) <= spec.max_selections:
            raise CryptoError(
                "number of selections out of bounds", code="crypto_bad_choice", details={"question": spec.question_id}
            )


def _encrypt_question(
    spec: QuestionSpec, chosen: Sequence[int], key: Element, context: ProofContext, rng: Rng
) -> tuple[EncryptedQuestion, tuple[Scalar, ...]]:
    if is_compact(spec):
        ciphertext, nonce = encrypt(chosen[0], key, rng)
        proof = prove_range(ciphertext, chosen[0], nonce, key, 0, 1, context.bind(0), rng, COMPACT)
        return EncryptedQuestion(spec.question_id, (EncryptedSelection(ciphertext, proof),), _NO_PROOF), (nonce,)
    selections: list[EncryptedSelection] = []
    nonces: list[Scalar] = []
    for position, m in enumerate(chosen):
        ciphertext, nonce = encrypt(m, key, rng)
        proof = prove_range(ciphertext, m, nonce, key, 0, 1, context.bind(position), rng, SELECTION)
        selections.append(EncryptedSelection(ciphertext, proof))
        nonces.append(nonce)
    total = add_ciphertexts(s.ciphertext for s in selections)
    total_nonce = sum(nonces, Scalar(0))
    low, high = spec.min_selections, spec.max_selections
    proof = prove_range(total, sum(chosen), total_nonce, key, low, high, context, rng, QUESTION)
    return EncryptedQuestion(spec.question_id, tuple(selections), proof), tuple(nonces)


def ballot_content(ballot: EncryptedBallot) -> tuple[Part, ...]:
    """Everything but the signature, as hash parts (the signed message)."""
    questions: list[Part] = []
    for q in ballot.questions:
        selections: list[Part] = [
            (s.ciphertext.alpha, s.ciphertext.beta, s.proof.challenges, s.proof.responses) for s in q.selections
        ]
        questions.append((q.question_id, selections, q.range_proof.challenges, q.range_proof.responses))
    return (ballot.ballot_id, ballot.credential, questions)


def encrypt_ballot(
    questions: Sequence[QuestionSpec],
    choices: Sequence[Sequence[int]],
    public_key: Element,
    election: str,
    ballot_id: str,
    credential: SigningKey,
    rng: Rng,
) -> tuple[EncryptedBallot, BallotSecrets]:
    """Encrypt ``choices`` (one 0/1 per option, per question), prove, and sign with the voter's credential."""
    check_ballot_id(ballot_id, "ballot_id")
    _check_choices(questions, choices)
    context = _ballot_context(election, ballot_id, credential.public)
    encrypted: list[EncryptedQuestion] = []
    nonces: list[tuple[Scalar, ...]] = []
    for index, (spec, chosen) in enumerate(zip(questions, choices, strict=True)):
        question, question_nonces = _encrypt_question(
            spec, chosen, public_key, context.bind(index, spec.question_id), rng
        )
        encrypted.append(question)
        nonces.append(question_nonces)
    unsigned = EncryptedBallot(ballot_id, credential.public, tuple(encrypted), Signature(Scalar(0), Scalar(0)))
    signature = sign(credential, BALLOT_SIGNATURE, ballot_content(unsigned), ProofContext(election), rng)
    secrets_ = BallotSecrets(ballot_id, tuple(tuple(c) for c in choices), tuple(nonces))
    return EncryptedBallot(ballot_id, credential.public, tuple(encrypted), signature), secrets_


def _verify_question(spec: QuestionSpec, question: EncryptedQuestion, key: Element, context: ProofContext) -> Verdict:
    compact = is_compact(spec)
    if question.question_id != spec.question_id or len(question.selections) != (1 if compact else len(spec.options)):
        return Invalid(FailureCode.BAD_SHAPE, "")
    if compact and (question.range_proof.challenges or question.range_proof.responses):
        return Invalid(FailureCode.BAD_SHAPE, "range")
    purpose = COMPACT if compact else SELECTION
    for position, selection in enumerate(question.selections):
        if selection.ciphertext.alpha.is_identity() or selection.ciphertext.beta.is_identity():
            return Invalid(FailureCode.IDENTITY, f"option[{position}]")
        verdict = verify_range(selection.ciphertext, key, 0, 1, selection.proof, context.bind(position), purpose)
        if isinstance(verdict, Invalid):
            return verdict.at(f"option[{position}]")
    if compact:
        return VALID  # the derived option makes the sum exactly Enc(1; 0): no range proof
    total = add_ciphertexts(s.ciphertext for s in question.selections)
    low, high = spec.min_selections, spec.max_selections
    verdict = verify_range(total, key, low, high, question.range_proof, context, QUESTION)
    return verdict.at("range") if isinstance(verdict, Invalid) else VALID


def verify_ballot(
    ballot: EncryptedBallot, questions: Sequence[QuestionSpec], public_key: Element, election: str
) -> Verdict:
    """Every 0/1 proof, every question's range proof and the credential signature, in this context."""
    if len(ballot.questions) != len(questions):
        return Invalid(FailureCode.BAD_SHAPE, "questions")
    if ballot.credential.is_identity():
        return Invalid(FailureCode.IDENTITY, "credential")
    verdict = verify_signature(
        ballot.credential, BALLOT_SIGNATURE, ballot_content(ballot), ballot.signature, ProofContext(election)
    )
    if isinstance(verdict, Invalid):
        return verdict
    context = _ballot_context(election, ballot.ballot_id, ballot.credential)
    for index, (spec, question) in enumerate(zip(questions, ballot.questions, strict=True)):
        verdict = _verify_question(spec, question, public_key, context.bind(index, spec.question_id))
        if isinstance(verdict, Invalid):
            return verdict.at(f"question[{index}]")
    return VALID


def ballot_hash(ballot: EncryptedBallot, election: str) -> str:
    """The ballot's fingerprint (content and signature), as used by tracking codes and the record."""
    return hash_hex("ballot", election, ballot_content(ballot), ballot.signature.challenge, ballot.signature.response)


def ciphertext_fingerprints(ballot: EncryptedBallot) -> tuple[str, ...]:
    """One SHA-256 per sent ciphertext, for the store to refuse a ballot that repeats any ciphertext."""
    return tuple(
        hash_hex("ciphertext", s.ciphertext.alpha, s.ciphertext.beta) for q in ballot.questions for s in q.selections
    )


def open_spoiled(ballot: EncryptedBallot, secrets_: BallotSecrets) -> SpoiledOpening:
    """Reveal a challenged ballot's choices and nonces (the ballot must then never be counted)."""
    if secrets_.ballot_id != ballot.ballot_id:
        raise CryptoError("secrets of another ballot", code="crypto_bad_opening")
    return SpoiledOpening(ballot.ballot_id, secrets_.choices, secrets_.nonces)


def check_opening(
    ballot: EncryptedBallot, opening: SpoiledOpening, questions: Sequence[QuestionSpec], public_key: Element
) -> Verdict:
    """Re-encrypt every sent ciphertext from its opened (choice, nonce) and compare (§7.7)."""
    if opening.ballot_id != ballot.ballot_id or len(opening.choices) != len(ballot.questions):
        return Invalid(FailureCode.MISMATCH, "ballot_id")
    if len(opening.nonces) != len(ballot.questions) or len(questions) != len(ballot.questions):
        return Invalid(FailureCode.BAD_SHAPE, "questions")
    for index, (spec, question) in enumerate(zip(questions, ballot.questions, strict=True)):
        chosen, nonces = opening.choices[index], opening.nonces[index]
        sent = 1 if is_compact(spec) else len(spec.options)
        if len(chosen) != len(spec.options) or not len(nonces) == len(question.selections) == sent:
            return Invalid(FailureCode.BAD_SHAPE, f"question[{index}]")
        if any(c not in (0, 1) for c in chosen) or not spec.min_selections <= sum(chosen) <= spec.max_selections:
            return Invalid(FailureCode.OUT_OF_RANGE, f"question[{index}]")
        for position, (m, r, selection) in enumerate(zip(chosen[:sent], nonces, question.selections, strict=True)):
            if encrypt_with_nonce(m, r, public_key) != selection.ciphertext:
                return Invalid(FailureCode.MISMATCH, f"question[{index}].option[{position}]")
    return VALID
