"""Steps V2–V7 of spec/record.md §6: heights, payload hashes, event hashes, parents, manifest file, grammar.

(V1 is the parse itself, in record.py.)
"""

from __future__ import annotations

import re

from saylau_verify.crypto.hashing import h_hex
from saylau_verify.findings import Finding
from saylau_verify.record import Event
from saylau_verify.state import State

__all__ = [
    "COMPLETE",
    "PHASES",
    "record_phase",
    "step_applies",
    "v2_heights",
    "v3_payload_hashes",
    "v4_event_hashes",
    "v5_parents",
    "v6_manifest_file",
    "v7_grammar",
]


def _present(state: State) -> list[Event]:
    return [e for e in state.events if e is not None]


def v2_heights(state: State) -> list[Finding]:
    """V2: heights are 0..N−1 in line order; manifest.json's `events` = N."""
    out = [
        Finding(2, f"events.jsonl line {i + 1}", f"height {e.height}, expected {i}")
        for i, e in enumerate(state.events)
        if e is not None and e.height != i
    ]
    mf = state.manifest_file
    if mf is not None and mf["events"] != len(state.events):
        out.append(Finding(2, "manifest.json", f"events = {mf['events']}, the record has {len(state.events)}"))
    return out


def v3_payload_hashes(state: State) -> list[Finding]:
    """V3: payload_hash = H_hex("record-payload", type, canon(payload))."""
    return [
        Finding(3, f"{e.type} event {e.height}", "payload_hash does not match the payload")
        for e in _present(state)
        if not e.payload_checked and h_hex("record-payload", e.type, e.payload_text) != e.payload_hash
    ]


def v4_event_hashes(state: State) -> list[Finding]:
    """V4: hash = H_hex("record-event", parent, height, type, payload_hash)."""
    return [
        Finding(4, f"{e.type} event {e.height}", "hash does not match the event")
        for e in _present(state)
        if not e.hash_checked and h_hex("record-event", e.parent, e.height, e.type, e.payload_hash) != e.hash
    ]


def v5_parents(state: State) -> list[Finding]:
    """V5: event 0's parent is ""; every other parent is the previous event's hash."""
    out: list[Finding] = []
    previous: Event | None = None
    for i, e in enumerate(state.events):
        if e is None:
            previous = None
            continue
        if i == 0 and e.parent != "":
            out.append(Finding(5, "event 0", "parent must be the empty string"))
        elif i > 0 and previous is not None and e.parent != previous.hash:
            out.append(Finding(5, f"{e.type} event {i}", "parent is not the previous event's hash"))
        elif i > 0 and previous is None:
            out.append(Finding(5, f"{e.type} event {i}", "previous line unreadable, link not checkable"))
        previous = e
    return out


def v6_manifest_file(state: State) -> list[Finding]:
    """V6: manifest.json's head = last hash; its manifest and fingerprint equal event 0's payload."""
    mf = state.manifest_file
    if mf is None:
        return [Finding(6, "manifest.json", "not checkable: manifest.json unreadable")]
    out: list[Finding] = []
    last = state.events[-1] if state.events else None
    if last is None or mf["head"] != last.hash:
        out.append(Finding(6, "manifest.json", "head is not the last event's hash"))
    first = state.events[0] if state.events else None
    payload = first.payload if first is not None and first.type == "setup" else None
    if not isinstance(payload, dict) or payload.get("manifest") != mf["manifest"]:
        out.append(Finding(6, "manifest.json", "manifest differs from the setup event's"))
    if not isinstance(payload, dict) or payload.get("fingerprint") != mf["fingerprint"]:
        out.append(Finding(6, "manifest.json", "fingerprint differs from the setup event's"))
    return out


_CODES = {
    "setup": "S",
    "guardian": "G",
    "joint_key": "J",
    "credentials": "C",
    "ballot": "B",
    "spoiled": "P",
    "close": "X",
    "tally": "T",
    "decryption": "D",
    "result": "R",
}


COMPLETE = "result"
PHASES: tuple[str, ...] = ("setup", "ceremony", "voting", "close", "tally", "decryption", COMPLETE)
"""The phase boundaries a record may end at (spec/record.md §9), in lifecycle order; COMPLETE is a full record."""

_LAST_LETTER_PHASE = {
    "S": "setup",
    "J": "ceremony",
    "C": "voting",
    "B": "voting",
    "P": "voting",
    "X": "close",
    "T": "tally",
    "D": "decryption",
    "R": COMPLETE,
}
_STEP_PHASE: dict[int, str] = {9: "ceremony", 10: "ceremony", 19: "close", 20: "tally", 21: "tally", 22: "tally"}
_STEP_PHASE |= dict.fromkeys(range(11, 19), "voting") | {23: COMPLETE, 24: COMPLETE}


def _word(state: State) -> tuple[str, list[Finding]]:
    out: list[Finding] = []
    letters: list[str] = []
    for i, e in enumerate(state.events):
        if e is None:
            letters.append("?")
        elif e.type not in _CODES:
            letters.append("?")
            out.append(Finding(7, f"event {i}", f"unknown event type {e.type!r}"))
        else:
            letters.append(_CODES[e.type])
    return "".join(letters), out


def _patterns(state: State) -> tuple[str, str]:
    manifest = state.views.manifest
    n, t = (manifest.guardians, manifest.quorum) if manifest is not None else (None, None)
    guardians = f"G{{{n}}}" if n is not None else "G+"
    decryptions = f"D{{{t},}}" if t is not None else "D+"
    return f"S{guardians}JC[BP]*XT{decryptions}R", f"S(?:{guardians}J(?:C[BP]*(?:X(?:TD*)?)?)?)?"


def record_phase(state: State) -> str | None:
    """The phase a record ends at (one of PHASES), or None if it stops inside a phase or is out of order."""
    word, _ = _word(state)
    full, prefix = _patterns(state)
    if re.fullmatch(full, word):
        return COMPLETE
    return _LAST_LETTER_PHASE[word[-1]] if word and re.fullmatch(prefix, word) else None


def step_applies(step: int, phase: str) -> bool:
    """Whether step V``step`` applies to a record ending at ``phase`` (V1–V8 always do)."""
    needed = _STEP_PHASE.get(step, "setup")
    return PHASES.index(needed) <= PHASES.index(phase)


def v7_grammar(state: State) -> list[Finding]:
    """V7: setup, n × guardian, joint_key, credentials, (ballot|spoiled)*, close, tally, ≥ t × decryption, result.

    With ``state.partial``, a record may also end at any phase boundary (spec/record.md §9).
    """
    word, out = _word(state)
    full, prefix = _patterns(state)
    if re.fullmatch(full, word):
        return out
    boundary = bool(word) and re.fullmatch(prefix, word) is not None
    if state.partial and boundary:
        return out
    hint = ""
    if boundary:
        hint = f"; it ends after the {_LAST_LETTER_PHASE[word[-1]]} phase: verify it as a partial record (--partial)"
    elif state.partial:
        hint = "; not a partial record either: it stops inside a phase"
    out.append(
        Finding(
            7,
            "events.jsonl",
            f"event types out of order (sequence {_abbrev(word)}; "
            "S setup, G guardian, J joint_key, C credentials, B ballot, P spoiled, "
            f"X close, T tally, D decryption, R result, ? unreadable){hint}",
        )
    )
    return out


def _abbrev(word: str) -> str:
    return re.sub(r"(.)\1{3,}", lambda m: f"{m.group(1)}×{len(m.group(0))}", word)
