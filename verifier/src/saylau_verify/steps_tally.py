"""Steps V20–V24 of spec/record.md §6: counted set, homomorphic tally, partial decryptions, present set, result."""

from __future__ import annotations

from collections import Counter

from saylau_verify.crypto.group import IDENTITY, sub
from saylau_verify.crypto.hashing import Element
from saylau_verify.crypto.proofs import verify_chaum_pedersen
from saylau_verify.crypto.threshold import combine, dlog_equals
from saylau_verify.findings import Finding
from saylau_verify.model import Ballot, QuestionSpec, Tally, TallyShare
from saylau_verify.prepass import Sums, add_rows, option_rows
from saylau_verify.state import State

__all__ = ["v20_counted", "v21_tally_sums", "v22_decryptions", "v23_present", "v24_result"]


def _expected_counted(state: State) -> list[str]:
    last: dict[bytes, int] = {}
    cast = state.views.cast
    for i, c in enumerate(cast):
        last[c.ballot.credential] = i
    return [c.ballot_hash for i, c in enumerate(cast) if last[c.ballot.credential] == i]


def v20_counted(state: State) -> list[Finding]:
    """V20: counted = hashes of each credential's last ballot event, in record order; no spoiled; ballots = len."""
    v = state.views
    if v.counted is None or v.tally is None:
        return [Finding(20, "tally", "no readable tally event")]
    out: list[Finding] = []
    if list(v.counted) != _expected_counted(state):
        out.append(Finding(20, "tally", "counted is not the last ballot of each credential, in record order"))
    spoiled = {s.ballot_hash for s in v.spoiled}
    out += [Finding(20, "tally", f"counted includes spoiled ballot {h[:8]}…") for h in v.counted if h in spoiled]
    if v.tally.ballots != len(v.counted):
        out.append(Finding(20, "tally", f"ballots = {v.tally.ballots}, counted has {len(v.counted)}"))
    return out


def _option_rows(questions: tuple[QuestionSpec, ...], ballot: Ballot) -> list[list[tuple[bytes, bytes]]] | None:
    """C§7.8 per question (a compact question's derived option included); None for a ballot of another shape."""
    return option_rows(questions, ballot)


def _counted_sums(
    state: State, questions: tuple[QuestionSpec, ...], counted: tuple[str, ...]
) -> tuple[Sums, list[Finding]]:
    """Σ over ``counted`` (by hash, with repetitions) of the ballots' option ciphertexts, and the counted hashes
    that are not well-formed cast ballots."""
    v = state.views
    by_hash = {c.ballot_hash: c.ballot for c in v.cast}
    pre = state.prepassed
    matches = pre is not None and pre.matches(v.fingerprint, v.joint_key, questions)
    cast_sum = pre.cast_sum if pre is not None and matches else None
    out: list[Finding] = []
    bad = "is not a well-formed cast ballot"
    if pre is None or cast_sum is None:
        sums = [[(IDENTITY, IDENTITY) for _ in q.options] for q in questions]
        for digest in counted:
            ballot = by_hash.get(digest)
            rows = None if ballot is None else _option_rows(questions, ballot)
            if rows is None:
                out.append(Finding(21, "tally", f"counted ballot {digest[:8]}… {bad}"))
                continue
            add_rows(sums, rows)
        return sums, out
    # The workers summed every well-formed cast ballot once; correct for those counted 0 or several times.
    sums = [list(row) for row in cast_sum]
    times: Counter[int] = Counter()
    for digest in counted:
        ballot = by_hash.get(digest)
        if ballot is None or not pre.by_ballot[id(ballot)].summed:
            out.append(Finding(21, "tally", f"counted ballot {digest[:8]}… {bad}"))
            continue
        times[id(ballot)] += 1
    for cast in v.cast:
        m = times[id(cast.ballot)]
        if m == 1 or not pre.by_ballot[id(cast.ballot)].summed:
            continue
        rows = _option_rows(questions, cast.ballot) or []  # summed: never None
        if m == 0:
            rows = [[(sub(IDENTITY, a), sub(IDENTITY, b)) for a, b in row] for row in rows]
            add_rows(sums, rows)
        for _ in range(m - 1):
            add_rows(sums, rows)
    return sums, out


def v21_tally_sums(state: State) -> list[Finding]:
    """V21: tally[q][o] = sum of the counted ballots' option ciphertexts (C§7.8, derived ones included)."""
    v = state.views
    if v.tally is None or v.counted is None or v.manifest is None:
        return [Finding(21, "tally", "not checkable without readable setup and tally events")]
    shape = [len(q.options) for q in v.manifest.questions]
    if [len(row) for row in v.tally.questions] != shape:
        return [Finding(21, "tally", f"shape {[len(r) for r in v.tally.questions]}, manifest {shape}")]
    sums, out = _counted_sums(state, v.manifest.questions, v.counted)
    for q, row in enumerate(v.tally.questions):
        for o, ct in enumerate(row):
            if (ct.alpha, ct.beta) != sums[q][o]:
                out.append(Finding(21, f"tally question[{q}].option[{o}]", "is not the sum of the counted ballots"))
    return out


def _check_share(
    tally: Tally, guardians: int, share_keys: tuple[bytes, ...], election: str, height: int, share: TallyShare
) -> list[Finding]:
    j, subject = share.guardian, f"decryption of guardian {share.guardian} (event {height})"
    if not 1 <= j <= guardians or j > len(share_keys):
        return [Finding(22, subject, f"guardian {j} outside 1..{guardians}")]
    if [len(r) for r in share.shares] != [len(r) for r in tally.questions]:
        return [Finding(22, subject, "shape differs from the tally's")]
    key, out = share_keys[j - 1], []
    for q, row in enumerate(share.shares):
        for o, entry in enumerate(row):
            ct = tally.questions[q][o]
            if entry.guardian != j:
                out.append(Finding(22, subject, f"share at question[{q}].option[{o}] names guardian {entry.guardian}"))
            context = (election, ("tally", q, o, "partial-decryption", j, Element(ct.beta)))
            p = entry.proof
            if not verify_chaum_pedersen(key, ct.alpha, entry.image, p.challenge, p.response, context):
                out.append(Finding(22, subject, f"Chaum–Pedersen proof fails at question[{q}].option[{o}]"))
    return out


def v22_decryptions(state: State) -> list[Finding]:
    """V22: guardian in 1..n, not twice; shape = tally's; entries name j; CP proofs verify against share_keys[j−1]."""
    v = state.views
    if v.tally is None or v.manifest is None or v.share_keys is None or v.fingerprint is None:
        return [Finding(22, "decryptions", "not checkable without readable setup, joint_key and tally events")]
    out: list[Finding] = []
    seen: set[int] = set()
    for height, share in v.decryptions:
        if share.guardian in seen:
            out.append(Finding(22, f"decryption event {height}", f"guardian {share.guardian} decrypts twice"))
        seen.add(share.guardian)
        out += _check_share(v.tally, v.manifest.guardians, v.share_keys, v.fingerprint, height, share)
    return out


def v23_present(state: State) -> list[Finding]:
    """V23: at least t decryption events; result.present = their guardian indices, ascending."""
    v = state.views
    out: list[Finding] = []
    if v.manifest is not None and len(v.decryptions) < v.manifest.quorum:
        out.append(Finding(23, "decryptions", f"{len(v.decryptions)} decryptions, quorum {v.manifest.quorum}"))
    if v.result is None:
        return [*out, Finding(23, "result", "no readable result event")]
    if list(v.result[1]) != sorted(s.guardian for _, s in v.decryptions):
        out.append(Finding(23, "result", "present is not the ascending list of decrypting guardians"))
    return out


def v24_result(state: State) -> list[Finding]:
    """V24: counts[q][o]·G = β − Σ λ_j·M_j over present; 0 ≤ count ≤ B; Σ_o in [min·B, max·B]."""
    v = state.views
    if v.result is None or v.tally is None or v.manifest is None:
        return [Finding(24, "result", "not checkable without readable setup, tally and result events")]
    counts, present = v.result
    if [len(r) for r in counts] != [len(r) for r in v.tally.questions]:
        return [Finding(24, "result", "counts shape differs from the tally's")]
    shares = {s.guardian: s for _, s in v.decryptions}
    if any(j not in shares for j in present) or len(set(present)) != len(present) or not present:
        return [Finding(24, "result", "present names guardians without a decryption")]
    big_b, out = v.tally.ballots, []
    for q, row in enumerate(counts):
        spec = v.manifest.questions[q] if q < len(v.manifest.questions) else None
        for o, count in enumerate(row):
            subject = f"result question[{q}].option[{o}]"
            if count > big_b:
                out.append(Finding(24, subject, f"count {count} exceeds {big_b} ballots"))
            try:
                images = [(j, shares[j].shares[q][o].image) for j in present]
            except IndexError:
                out.append(Finding(24, subject, "a decryption lacks this share"))
                continue
            if not dlog_equals(combine(v.tally.questions[q][o].beta, images), count):
                out.append(Finding(24, subject, f"count {count} is not the decryption of the tally"))
        if spec is not None and not spec.min_selections * big_b <= sum(row) <= spec.max_selections * big_b:
            out.append(Finding(24, f"result question[{q}]", "sum of counts outside [min·B, max·B]"))
    return out
