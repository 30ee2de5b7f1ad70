"""Steps V8–V11 of spec/record.md §6: manifest, guardians, joint key, credentials."""

from __future__ import annotations

from saylau_verify.crypto.group import sum_elements
from saylau_verify.crypto.hashing import h_hex
from saylau_verify.crypto.threshold import share_key, verify_commitment
from saylau_verify.findings import Finding
from saylau_verify.jsonread import canon
from saylau_verify.state import State

__all__ = ["v8_manifest", "v9_guardians", "v10_joint_key", "v11_credentials"]


def v8_manifest(state: State) -> list[Finding]:
    """V8: the manifest is valid (§4) and fingerprint = H_hex("election-manifest", canon(manifest))."""
    v = state.views
    m = v.manifest
    if m is None:
        return [Finding(8, "setup", "no readable setup event")]
    out: list[Finding] = []
    if not 1 <= m.quorum <= m.guardians:
        out.append(Finding(8, "manifest", f"quorum {m.quorum} and guardians {m.guardians} break 1 ≤ t ≤ n"))
    if not m.questions:
        out.append(Finding(8, "manifest", "no question"))
    ids = [q.question_id for q in m.questions]
    if len(set(ids)) != len(ids):
        out.append(Finding(8, "manifest", "question ids are not distinct"))
    for i, q in enumerate(m.questions):
        # C§7.1: id, ordered option ids, min ≤ max ≤ #options.
        if not q.options or len(set(q.options)) != len(q.options):
            out.append(Finding(8, f"manifest question[{i}]", "options empty or not distinct"))
        if not q.min_selections <= q.max_selections <= len(q.options):
            out.append(Finding(8, f"manifest question[{i}]", "needs min ≤ max ≤ number of options"))
    if h_hex("election-manifest", canon(v.manifest_plain)) != v.fingerprint:
        out.append(Finding(8, "setup", "fingerprint is not the hash of the manifest"))
    return out


def v9_guardians(state: State) -> list[Finding]:
    """V9: guardian events carry indices 1..n in order; each commitment verifies (C§5.2) in Context(E, ())."""
    v = state.views
    if v.manifest is None or v.fingerprint is None:
        return [Finding(9, "guardians", "not checkable without a valid setup event")]
    n, t = v.manifest.guardians, v.manifest.quorum
    out: list[Finding] = []
    indices = [gc.index for _, gc in v.guardians]
    if indices != list(range(1, n + 1)):
        out.append(Finding(9, "guardians", f"indices {indices}, expected 1..{n} in order"))
    for height, gc in v.guardians:
        for problem in verify_commitment(gc, n, t, v.fingerprint):
            out.append(Finding(9, f"guardian {gc.index} (event {height})", problem))
    return out


def v10_joint_key(state: State) -> list[Finding]:
    """V10: joint_key = Σ_i C_{i,0}; share_keys[j−1] = Σ_i Σ_k j^k·C_{i,k} for j = 1..n."""
    v = state.views
    if v.joint_key is None or v.share_keys is None or v.manifest is None:
        return [Finding(10, "joint_key", "no readable joint_key event (or no manifest)")]
    commitments = [gc.commitments for _, gc in v.guardians]
    if not commitments or any(not c for c in commitments):
        return [Finding(10, "joint_key", "no guardian commitments to derive keys from")]
    out: list[Finding] = []
    if sum_elements([c[0] for c in commitments]) != v.joint_key:
        out.append(Finding(10, "joint_key", "joint_key is not the sum of the guardians' C_{i,0}"))
    n = v.manifest.guardians
    if len(v.share_keys) != n:
        out.append(Finding(10, "joint_key", f"{len(v.share_keys)} share keys, expected {n}"))
    for j, key in enumerate(v.share_keys, start=1):
        if share_key(commitments, j) != key:
            out.append(Finding(10, f"share_keys[{j - 1}]", f"is not Σ_i Σ_k {j}^k·C_i,k"))
    return out


def v11_credentials(state: State) -> list[Finding]:
    """V11: the credentials are valid non-identity elements (checked by the parser), distinct, ascending hex."""
    creds = state.views.credentials
    if creds is None:
        return [Finding(11, "credentials", "no readable credentials event")]
    out: list[Finding] = []
    for i in range(1, len(creds)):
        if creds[i - 1].hex() >= creds[i].hex():
            out.append(Finding(11, f"credentials[{i}]", "not strictly after the previous one (ascending, distinct)"))
    return out
