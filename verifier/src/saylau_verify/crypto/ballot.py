"""Ballot checks of spec/crypto.md §7 (7.1–7.8) and tracking codes (§9).

A question with exactly 2 options and min = max = 1 is *compact* (7.1, 7.2 (b)): the ballot sends one
ciphertext Y (option 0) with a "compact-0-1" proof and an empty range proof; option 1 is derived here as
N = (identity − α, G − β).
"""

from __future__ import annotations

from collections.abc import Sequence

from saylau_verify.crypto.group import GENERATOR, IDENTITY, add, base_mul, mul, sub
from saylau_verify.crypto.hashing import Element, Part, Scalar, h_hex
from saylau_verify.crypto.proofs import Context, scalars, verify_range, verify_signature
from saylau_verify.model import Ballot, BallotQuestion, QuestionSpec, SpoiledOpening

__all__ = [
    "ballot_content",
    "ballot_hash",
    "check_opening",
    "ciphertext_fingerprint",
    "derive_option",
    "is_compact",
    "next_tracking_code",
    "option_ciphertexts",
    "tracking_genesis",
    "verify_ballot",
]


def is_compact(spec: QuestionSpec) -> bool:
    """Spec 7.1: exactly 2 options and min = max = 1."""
    return len(spec.options) == 2 and spec.min_selections == 1 and spec.max_selections == 1


def sent_count(spec: QuestionSpec) -> int:
    """Spec 7.4: ciphertexts sent for a question — 1 if compact, one per option otherwise."""
    return 1 if is_compact(spec) else len(spec.options)


def derive_option(alpha: bytes, beta: bytes) -> tuple[bytes, bytes]:
    """Spec 7.2 (b): N = Enc(1; 0) − Y = (identity − α, G − β)."""
    return sub(IDENTITY, alpha), sub(GENERATOR, beta)


def option_ciphertexts(spec: QuestionSpec, question: BallotQuestion) -> list[tuple[bytes, bytes]] | None:
    """Spec 7.8: one (α, β) per option, the derived one included; None if the question has another shape."""
    if question.question_id != spec.question_id or len(question.selections) != sent_count(spec):
        return None
    sent = [(s.ciphertext.alpha, s.ciphertext.beta) for s in question.selections]
    return [sent[0], derive_option(*sent[0])] if is_compact(spec) else sent


def ballot_content(ballot: Ballot) -> tuple[Part, ...]:
    """Spec 7.3: (ballot_id, X, [(question_id, [(α, β, cs, us)…], range cs, range us)…]), sent ciphertexts only."""
    questions: list[Part] = []
    for question in ballot.questions:
        selections: list[Part] = [
            (
                Element(s.ciphertext.alpha),
                Element(s.ciphertext.beta),
                scalars(s.proof.challenges),
                scalars(s.proof.responses),
            )
            for s in question.selections
        ]
        rp = question.range_proof
        questions.append((question.question_id, selections, scalars(rp.challenges), scalars(rp.responses)))
    return (ballot.ballot_id, Element(ballot.credential), questions)


def _verify_question(
    index: int, spec: QuestionSpec, ballot: Ballot, key: bytes, election: str, problems: list[str]
) -> None:
    question = ballot.questions[index]
    where = f"question[{index}]"
    compact = is_compact(spec)
    if question.question_id != spec.question_id or len(question.selections) != sent_count(spec):
        form = "compact form: 1 ciphertext" if compact else "general form: one ciphertext per option"
        problems.append(f"{where}: question id or ciphertext count differs from the manifest ({form})")
        return
    rp = question.range_proof
    if compact and (rp.challenges or rp.responses):
        problems.append(f"{where}: a compact question carries an empty range proof")
        return
    purpose = "compact-0-1" if compact else "selection-0-1"
    base: tuple[Part, ...] = ("ballot", ballot.ballot_id, Element(ballot.credential), index, question.question_id)
    alpha_sum, beta_sum = IDENTITY, IDENTITY
    for position, selection in enumerate(question.selections):
        ct = selection.ciphertext
        if IDENTITY in (ct.alpha, ct.beta):
            problems.append(f"{where}.option[{position}]: identity in ciphertext")
            return
        context: Context = (election, (*base, position))
        proof = selection.proof
        if not verify_range(purpose, key, ct.alpha, ct.beta, 0, 1, proof.challenges, proof.responses, context):
            problems.append(f"selection proof fails at {where}.option[{position}]")
        if not compact:  # 7.2 (b): a compact question's Y + N = Enc(1; 0), exactly one selection by construction
            alpha_sum, beta_sum = add(alpha_sum, ct.alpha), add(beta_sum, ct.beta)
    if compact:
        return
    low, high = spec.min_selections, spec.max_selections
    if not verify_range(
        "question-range", key, alpha_sum, beta_sum, low, high, rp.challenges, rp.responses, (election, base)
    ):
        problems.append(f"range proof fails at {where}")


def verify_ballot(ballot: Ballot, questions: Sequence[QuestionSpec], key: bytes, election: str) -> list[str]:
    """Spec 7.4, in order: question count; X ≠ identity; signature; per question the 0/1 and range proofs.

    Unlike a producer that stops at the first problem, every problem found is returned.
    """
    if len(ballot.questions) != len(questions):
        return [f"has {len(ballot.questions)} questions, the manifest {len(questions)}"]
    if ballot.credential == IDENTITY:
        return ["credential is the identity"]
    problems: list[str] = []
    sig = ballot.signature
    if not verify_signature(
        ballot.credential, "ballot", ballot_content(ballot), sig.challenge, sig.response, (election, ())
    ):
        problems.append("signature fails")
    for index, spec in enumerate(questions):
        _verify_question(index, spec, ballot, key, election, problems)
    return problems


def ballot_hash(ballot: Ballot, election: str) -> str:
    """Spec 7.6: H_hex("ballot", E, content, signature c, signature s)."""
    sig = ballot.signature
    return h_hex("ballot", election, ballot_content(ballot), Scalar(sig.challenge), Scalar(sig.response))


def ciphertext_fingerprint(alpha: bytes, beta: bytes) -> str:
    """Spec 7.5: H_hex("ciphertext", α, β)."""
    return h_hex("ciphertext", Element(alpha), Element(beta))


def check_opening(ballot: Ballot, opening: SpoiledOpening, questions: Sequence[QuestionSpec], key: bytes) -> list[str]:
    """Spec 7.7: Enc_K(m; r) = (r·G, m·G + r·K) equals each sent ciphertext; the choices respect each question.

    Choices: one per option; nonces: one per sent ciphertext (a compact question has one).
    """
    if opening.ballot_id != ballot.ballot_id:
        return ["opening names another ballot id"]
    if len(opening.choices) != len(questions) or len(opening.nonces) != len(questions):
        return ["opening has the wrong number of questions"]
    problems: list[str] = []
    for q, spec in enumerate(questions):
        choices, nonces = opening.choices[q], opening.nonces[q]
        count, sent = len(spec.options), sent_count(spec)
        if len(choices) != count or len(nonces) != sent or len(ballot.questions[q].selections) != sent:
            problems.append(f"question[{q}]: wrong number of choices or nonces in the opening")
            continue
        if any(m not in (0, 1) for m in choices) or not spec.min_selections <= sum(choices) <= spec.max_selections:
            problems.append(f"question[{q}]: choices do not respect the question")
            continue
        for o in range(sent):
            ct = ballot.questions[q].selections[o].ciphertext
            r = nonces[o]
            beta = add(base_mul(choices[o]), mul(r, key)) if choices[o] else mul(r, key)
            if base_mul(r) != ct.alpha or beta != ct.beta:
                problems.append(f"question[{q}].option[{o}]: re-encryption differs from the ciphertext")
    return problems


def tracking_genesis(election: str) -> str:
    """Spec 9.1: code₀ = H_hex("tracking-genesis", E)."""
    return h_hex("tracking-genesis", election)


def next_tracking_code(election: str, previous: str, digest: str) -> str:
    """Spec 9.1: code_i = H_hex("tracking", E, bytes(code_{i−1}), bytes(ballot_hash_i))."""
    return h_hex("tracking", election, bytes.fromhex(previous), bytes.fromhex(digest))
