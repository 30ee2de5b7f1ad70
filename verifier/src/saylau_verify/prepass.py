"""One parallel pass over a large record: the per-line and per-ballot work, done where each line is parsed.

Profiling ``--jobs 2`` on a 6,000-ballot record showed why two cores gave only 1.3×: the ballot checks (V12) ran
in the pool, but everything else ran in the parent, one line at a time — the V1 parse of every line (strict JSON,
canonical re-encoding), the typed views of every ballot, V14's ballot hashes and V15's fingerprints (≈ 30 % of a
one-core run) — and each ballot was parsed in the parent and then pickled to a worker. Here the parent parses
only the head of the record (up to the first ballot) to learn E, K and the questions; workers then take chunks
of raw lines (cheap to send) and return, per line, the parsed envelope and, per ballot, its view together with
the results of C§7.4 (V12), C§7.6 (V14), C§7.5 (V15) and the payload hash (V3). Ballot payloads are not sent back
(only the typed view is), which also keeps the parent's memory down on a national record.

Every step still runs in the parent and decides exactly as before; it only reads these precomputed values when
they were computed with the parameters it would use (same E, K and questions), and otherwise recomputes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial

from saylau_verify.crypto.ballot import (
    ballot_hash,
    ciphertext_fingerprint,
    next_tracking_code,
    option_ciphertexts,
    verify_ballot,
)
from saylau_verify.crypto.group import IDENTITY, add
from saylau_verify.crypto.hashing import h_hex
from saylau_verify.findings import Finding
from saylau_verify.jsonread import ParseError
from saylau_verify.model import Ballot, QuestionSpec
from saylau_verify.record import Event, RawRecord, event_from_line, line_findings
from saylau_verify.views import CastBallot, SpoiledBallot, Views, build_views, parse_ballot_event

__all__ = [
    "PREPASS_BELOW",
    "BallotWork",
    "Params",
    "Prepassed",
    "Sums",
    "add_rows",
    "option_rows",
    "prepass",
    "use_prepass",
]

PREPASS_BELOW = 2000
"""Records with fewer event lines are read in the calling process (a pool costs more than it saves)."""
CHUNK_LINES = 400
BALLOT_TYPES = ("ballot", "spoiled")


@dataclass(frozen=True, slots=True)
class Params:
    """What the workers checked ballots with: E, K and the questions (from the head of the record)."""

    election: str
    key: bytes
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True, slots=True)
class BallotWork:
    problems: tuple[str, ...]  # C§7.4 (V12)
    ballot_hash: str  # C§7.6 (V14)
    fingerprints: tuple[str, ...]  # C§7.5 per sent ciphertext (V15)
    summed: bool  # a cast ballot whose option ciphertexts (C§7.8) are in its chunk's sum (V21)
    tracking: str | None = None  # C§9.1 from the previous cast ballot's recorded code in the same chunk (V16)


Sums = list[list[tuple[bytes, bytes]]]
"""Per question, per option: a ciphertext (α, β)."""


def option_rows(questions: Sequence[QuestionSpec], ballot: Ballot) -> Sums | None:
    """C§7.8 per question (a compact question's derived option included); None for a ballot of another shape."""
    if len(ballot.questions) != len(questions):
        return None
    rows = [option_ciphertexts(spec, question) for spec, question in zip(questions, ballot.questions, strict=True)]
    return None if any(row is None for row in rows) else [list(row) for row in rows if row is not None]


def add_rows(sums: Sums, rows: Sums) -> None:
    for q, options in enumerate(rows):
        for o, (alpha, beta) in enumerate(options):
            a, b = sums[q][o]
            sums[q][o] = (add(a, alpha), add(b, beta))


def _zero(questions: Sequence[QuestionSpec]) -> Sums:
    return [[(IDENTITY, IDENTITY) for _ in q.options] for q in questions]


@dataclass(slots=True)
class Prepassed:
    params: Params | None
    by_ballot: dict[int, BallotWork] = field(default_factory=dict)  # id(ballot) → its results
    cast_sum: Sums | None = None  # Σ option ciphertexts of every cast ballot with summed = True

    def matches(self, election: str | None, key: bytes | None, questions: Sequence[QuestionSpec] | None) -> bool:
        p = self.params
        return p is not None and (election, key, tuple(questions or ())) == (p.election, p.key, p.questions)

    def matches_election(self, election: str | None) -> bool:
        return self.params is not None and self.params.election == election


View = CastBallot | SpoiledBallot
LineOut = tuple[Event | None, str | None, View | None, str | None, BallotWork | None]


def _work(view: View, params: Params, sums: Sums) -> BallotWork:
    ballot = view.ballot
    fingerprints = tuple(
        ciphertext_fingerprint(s.ciphertext.alpha, s.ciphertext.beta) for q in ballot.questions for s in q.selections
    )
    rows = option_rows(params.questions, ballot) if isinstance(view, CastBallot) else None
    if rows is not None:
        add_rows(sums, rows)
    return BallotWork(
        tuple(verify_ballot(ballot, params.questions, params.key, params.election)),
        ballot_hash(ballot, params.election),
        fingerprints,
        rows is not None,
    )


def _line(params: Params | None, index: int, text: str, sums: Sums) -> LineOut:
    try:
        event = event_from_line(index, text)
    except ParseError as exc:
        return None, str(exc), None, None, None
    if event.type not in BALLOT_TYPES:
        return event, None, None, None, None
    try:
        view = parse_ballot_event(event)
    except ParseError as exc:
        return event, None, None, str(exc), None
    work = None if params is None else _work(view, params, sums)
    # The payload is not sent back: its view is. V3 and V4 are decided here when the hashes match.
    hash_ok = h_hex("record-event", event.parent, event.height, event.type, event.payload_hash) == event.hash
    if h_hex("record-payload", event.type, event.payload_text) == event.payload_hash:
        event = replace(event, payload=None, payload_text="", payload_checked=True, hash_checked=hash_ok)
    else:
        event = replace(event, hash_checked=hash_ok)
    return event, None, view, None, work


def prepass_chunk(params: Params | None, start: int, lines: Sequence[str]) -> tuple[list[LineOut], Sums | None]:
    """Each line's envelope, view and ballot work, and the chunk's sum of cast option ciphertexts."""
    sums = _zero(params.questions) if params is not None else []
    outs = [_line(params, start + i, text, sums) for i, text in enumerate(lines)]
    if params is None:
        return outs, None
    previous: str | None = None  # the recorded tracking code of the previous cast ballot of this chunk
    for n, (event, problem, view, error, work) in enumerate(outs):
        if isinstance(view, CastBallot) and work is not None:
            if previous is not None:
                code = next_tracking_code(params.election, previous, view.ballot_hash)
                outs[n] = (event, problem, view, error, replace(work, tracking=code))
            previous = view.tracking_code
    return outs, sums


def _params(views: Views) -> Params | None:
    if views.fingerprint is None or views.joint_key is None or views.manifest is None:
        return None
    return Params(views.fingerprint, views.joint_key, tuple(views.manifest.questions))


def use_prepass(lines: int, jobs: int) -> int:
    """The number of worker processes for the prepass, or 0 to read the record in this process."""
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    return workers if workers > 1 and lines >= PREPASS_BELOW else 0


def prepass(raw: RawRecord, workers: int) -> tuple[list[Event | None], list[Finding], Views, Prepassed]:
    """V1 for every line and the typed views, as ``parse_events`` + ``build_views`` give them, plus ballot work."""
    head: list[Event | None] = []
    head_out: list[LineOut] = []
    for index, text in enumerate(raw.lines):  # the head, up to the first ballot: E, K, questions
        out = _line(None, index, text, [])
        if out[0] is not None and out[0].type in BALLOT_TYPES:
            break
        head_out.append(out)
        head.append(out[0])
    params = _params(build_views([e for e in head if e is not None and e.type in ("setup", "joint_key")]))
    start = len(head_out)
    tasks = [(s, raw.lines[s : s + CHUNK_LINES]) for s in range(start, len(raw.lines), CHUNK_LINES)]
    outs = list(head_out)
    total = _zero(params.questions) if params is not None else None
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for chunk, sums in pool.map(partial(prepass_chunk, params), [s for s, _ in tasks], [c for _, c in tasks]):
            outs.extend(chunk)
            if total is not None and sums is not None:
                add_rows(total, sums)
    events = [o[0] for o in outs]
    findings = line_findings(raw, [o[1] for o in outs])
    prebuilt: dict[int, View | str] = {}
    done = Prepassed(params, cast_sum=total)
    for index, (event, _, view, error, work) in enumerate(outs):
        if event is None or event.type not in BALLOT_TYPES:
            continue
        prebuilt[index] = view if view is not None else str(error)
        if view is not None and work is not None:
            done.by_ballot[id(view.ballot)] = work
    return events, findings, build_views(events, prebuilt), done
