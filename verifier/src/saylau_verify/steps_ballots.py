"""Steps V12–V19 of spec/record.md §6: ballots, credentials, hashes, uniqueness, tracking, revote, spoiled, close."""

from __future__ import annotations

import re
from collections import Counter

from saylau_verify.crypto.ballot import (
    ballot_hash,
    check_opening,
    ciphertext_fingerprint,
    next_tracking_code,
    tracking_genesis,
)
from saylau_verify.findings import Finding
from saylau_verify.model import Ballot
from saylau_verify.parallel import run_ballot_checks
from saylau_verify.prepass import Prepassed
from saylau_verify.state import State

__all__ = [
    "v12_ballots",
    "v13_credentials_known",
    "v14_ballot_hashes",
    "v15_uniqueness",
    "v16_tracking",
    "v17_revote",
    "v18_spoiled",
    "v19_close",
]


def _label(kind: str, height: int, digest: str) -> str:
    return f"{kind} {digest[:8]}… (event {height})"


def _all(state: State) -> list[tuple[str, Ballot, str]]:
    if state.ballot_items is None:
        state.ballot_items = _items(state)
    return state.ballot_items


def _items(state: State) -> list[tuple[str, Ballot, str]]:
    v = state.views
    items = [(_label("ballot", c.height, c.ballot_hash), c.ballot, c.ballot_hash) for c in v.cast]
    items += [(_label("spoiled ballot", s.height, s.ballot_hash), s.ballot, s.ballot_hash) for s in v.spoiled]
    return items


def v12_ballots(state: State) -> list[Finding]:
    """V12: every ballot and spoiled ballot verifies (C§7.4) with the questions, K = joint_key and E."""
    v = state.views
    if v.manifest is None or v.fingerprint is None or v.joint_key is None:
        return [Finding(12, "ballots", "not checkable without a valid setup and joint_key")]
    items = [(label, ballot) for label, ballot, _ in _all(state)]
    pre = state.prepassed
    if pre is not None and pre.matches(v.fingerprint, v.joint_key, v.manifest.questions):
        failed = [(label, list(w.problems)) for label, ballot in items if (w := pre.by_ballot[id(ballot)]).problems]
    else:
        failed = run_ballot_checks(
            items, v.fingerprint, v.joint_key, v.manifest.questions, state.jobs, state.dask_address
        )
    return [Finding(12, label, problem) for label, problems in failed for problem in problems]


def _precomputed(state: State) -> Prepassed | None:
    """The prepass results, if they were computed with this record's E, K and questions."""
    v, pre = state.views, state.prepassed
    if pre is None or v.manifest is None or not pre.matches(v.fingerprint, v.joint_key, v.manifest.questions):
        return None
    return pre


def v13_credentials_known(state: State) -> list[Finding]:
    """V13: every ballot's credential is one of the published credentials."""
    known = set(state.views.credentials or ())
    return [
        Finding(13, label, "credential is not a published credential")
        for label, ballot, _ in _all(state)
        if ballot.credential not in known
    ]


def v14_ballot_hashes(state: State) -> list[Finding]:
    """V14: ballot_hash = C§7.6 of the ballot."""
    election = state.views.fingerprint
    if election is None:
        return [Finding(14, "ballots", "not checkable without a valid setup")]
    pre = _precomputed(state)

    def computed(ballot: Ballot) -> str:
        return pre.by_ballot[id(ballot)].ballot_hash if pre is not None else ballot_hash(ballot, election)

    return [
        Finding(14, label, "ballot_hash is not the hash of the ballot")
        for label, ballot, digest in _all(state)
        if computed(ballot) != digest
    ]


_BALLOT_ID = re.compile(r"[0-9a-z-]{1,64}")  # spec C§7.9, matched in full


def _malformed_id(ballot_id: str) -> str | None:
    """C§7.9: 1 to 64 characters of a-z, 0-9 and "-"; else what to say (the id escaped and cut short)."""
    if _BALLOT_ID.fullmatch(ballot_id) is not None:
        return None
    return f"ballot id {ascii(ballot_id)[:40]} is not of the form [0-9a-z-]{{1,64}} (C§7.9)"


def v15_uniqueness(state: State) -> list[Finding]:
    """V15: ballot ids of the form C§7.9 and unique over ballot and spoiled events; ciphertext fingerprints
    unique too."""
    items = _all(state)
    out: list[Finding] = []
    for label, ballot, _ in items:
        malformed = _malformed_id(ballot.ballot_id)
        if malformed is not None:
            out.append(Finding(15, label, malformed))
    for s in state.views.spoiled:
        malformed = _malformed_id(s.opening.ballot_id)
        if malformed is not None:
            out.append(Finding(15, _label("spoiled ballot", s.height, s.ballot_hash), f"opening: {malformed}"))
    ids = Counter(ballot.ballot_id for _, ballot, _ in items)
    seen_fp: set[str] = set()
    pre = state.prepassed  # fingerprints do not depend on E or K
    for label, ballot, _ in items:
        if ids[ballot.ballot_id] > 1:
            out.append(Finding(15, label, f"ballot id {ballot.ballot_id!r} appears {ids[ballot.ballot_id]} times"))
        known = (
            iter(pre.by_ballot[id(ballot)].fingerprints) if pre is not None and id(ballot) in pre.by_ballot else None
        )
        for q, question in enumerate(ballot.questions):
            for o, selection in enumerate(question.selections):
                alpha, beta = selection.ciphertext.alpha, selection.ciphertext.beta
                fp = next(known) if known is not None else ciphertext_fingerprint(alpha, beta)
                if fp in seen_fp:
                    out.append(Finding(15, label, f"ciphertext at question[{q}].option[{o}] repeats an earlier one"))
                seen_fp.add(fp)
    return out


def v16_tracking(state: State) -> list[Finding]:
    """V16: tracking codes chain over the ballot events in record order, from code₀ = H_hex("tracking-genesis", E)."""
    election = state.views.fingerprint
    if election is None:
        return [Finding(16, "tracking", "not checkable without a valid setup")]
    out: list[Finding] = []
    code = tracking_genesis(election)
    pre = state.prepassed if state.prepassed is not None and state.prepassed.matches_election(election) else None
    for cast in state.views.cast:
        # the prepass computed code_i from the previous cast ballot's recorded code, which is what `code` holds here
        known = pre.by_ballot[id(cast.ballot)].tracking if pre is not None else None
        code = known if known is not None else next_tracking_code(election, code, cast.ballot_hash)
        if cast.tracking_code != code:
            out.append(Finding(16, _label("ballot", cast.height, cast.ballot_hash), "tracking code breaks the chain"))
            code = cast.tracking_code
    return out


def v17_revote(state: State) -> list[Finding]:
    """V17: with revote "refuse", no two ballot events share a credential."""
    m = state.views.manifest
    if m is None or m.revote != "refuse":
        return []
    seen: set[bytes] = set()
    out: list[Finding] = []
    for cast in state.views.cast:
        if cast.ballot.credential in seen:
            out.append(Finding(17, _label("ballot", cast.height, cast.ballot_hash), "second ballot of a credential"))
        seen.add(cast.ballot.credential)
    return out


def v18_spoiled(state: State) -> list[Finding]:
    """V18: every spoiled ballot's opening has its ballot_id and checks (C§7.7)."""
    v = state.views
    if v.manifest is None or v.joint_key is None:
        return [Finding(18, "spoiled", "not checkable without a valid setup and joint_key")] if v.spoiled else []
    out: list[Finding] = []
    for s in v.spoiled:
        label = _label("spoiled ballot", s.height, s.ballot_hash)
        if len(s.ballot.questions) != len(v.manifest.questions):
            out.append(Finding(18, label, "question count differs from the manifest"))
            continue
        out += [Finding(18, label, p) for p in check_opening(s.ballot, s.opening, v.manifest.questions, v.joint_key)]
    return out


def v19_close(state: State) -> list[Finding]:
    """V19: close.ballots = number of ballot events; tracking_head = last tracking code (or code₀)."""
    v = state.views
    if v.close is None:
        return [Finding(19, "close", "no readable close event")]
    count, head = v.close
    out: list[Finding] = []
    if count != v.ballot_events:
        out.append(Finding(19, "close", f"ballots = {count}, the record has {v.ballot_events} ballot events"))
    expected = v.cast[-1].tracking_code if v.cast else (tracking_genesis(v.fingerprint) if v.fingerprint else None)
    if head != expected:
        out.append(Finding(19, "close", "tracking_head is not the last tracking code"))
    return out
