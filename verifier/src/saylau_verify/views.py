"""Typed views of the events' payloads (spec/record.md §5).

A payload that does not have its closed shape is reported under the step that consumes it (V8 setup,
V9 guardian, V10 joint_key, V11 credentials, V12 ballot/spoiled, V19 close, V20 tally, V22 decryption,
V23 result) and left out of the view, so later checks can go on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from saylau_verify.findings import Finding
from saylau_verify.jsonread import ParseError, array, element, hex64, integer, obj
from saylau_verify.model import Ballot, GuardianCommitment, Manifest, SpoiledOpening, Tally, TallyShare
from saylau_verify.parse import (
    int_rows,
    parse_ballot,
    parse_commitment,
    parse_manifest,
    parse_opening,
    parse_tally,
    parse_tally_share,
)
from saylau_verify.record import Event

__all__ = ["CastBallot", "SpoiledBallot", "Views", "build_views", "parse_ballot_event"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CastBallot:
    height: int
    ballot: Ballot
    ballot_hash: str
    tracking_code: str


@dataclass(frozen=True, slots=True)
class SpoiledBallot:
    height: int
    ballot: Ballot
    ballot_hash: str
    opening: SpoiledOpening


@dataclass(slots=True)
class Views:
    manifest: Manifest | None = None
    manifest_plain: Any = None
    fingerprint: str | None = None
    guardians: list[tuple[int, GuardianCommitment]] = field(default_factory=list)
    joint_key: bytes | None = None
    share_keys: tuple[bytes, ...] | None = None
    credentials: tuple[bytes, ...] | None = None
    cast: list[CastBallot] = field(default_factory=list)
    spoiled: list[SpoiledBallot] = field(default_factory=list)
    close: tuple[int, str] | None = None
    counted: tuple[str, ...] | None = None
    tally: Tally | None = None
    decryptions: list[tuple[int, TallyShare]] = field(default_factory=list)
    result: tuple[tuple[tuple[int, ...], ...], tuple[int, ...]] | None = None
    ballot_events: int = 0
    findings: list[Finding] = field(default_factory=list)


def _setup(p: Any, v: Views) -> None:
    d = obj(p, "payload", {"fingerprint", "manifest"})
    v.fingerprint = hex64(d["fingerprint"], "payload.fingerprint")
    v.manifest = parse_manifest(d["manifest"], "payload.manifest")
    v.manifest_plain = d["manifest"]


def _joint(p: Any, v: Views) -> None:
    d = obj(p, "payload", {"joint_key", "share_keys"})
    v.joint_key = element(d["joint_key"], "payload.joint_key")
    keys = array(d["share_keys"], "payload.share_keys")
    v.share_keys = tuple(element(k, f"payload.share_keys[{i}]") for i, k in enumerate(keys))


def _credentials(p: Any, v: Views) -> None:
    d = obj(p, "payload", {"credentials"})
    items = array(d["credentials"], "payload.credentials")
    v.credentials = tuple(element(x, f"payload.credentials[{i}]") for i, x in enumerate(items))


def _cast(p: Any, height: int) -> CastBallot:
    d = obj(p, "payload", {"ballot", "ballot_hash", "tracking_code"})
    return CastBallot(
        height,
        parse_ballot(d["ballot"], "payload.ballot"),
        hex64(d["ballot_hash"], "payload.ballot_hash"),
        hex64(d["tracking_code"], "payload.tracking_code"),
    )


def _spoiled(p: Any, height: int) -> SpoiledBallot:
    d = obj(p, "payload", {"ballot", "ballot_hash", "opening"})
    return SpoiledBallot(
        height,
        parse_ballot(d["ballot"], "payload.ballot"),
        hex64(d["ballot_hash"], "payload.ballot_hash"),
        parse_opening(d["opening"], "payload.opening"),
    )


def _close(p: Any, v: Views) -> None:
    d = obj(p, "payload", {"ballots", "tracking_head"})
    v.close = (integer(d["ballots"], "payload.ballots"), hex64(d["tracking_head"], "payload.tracking_head"))


def _tally(p: Any, v: Views) -> None:
    d = obj(p, "payload", {"counted", "tally"})
    counted = array(d["counted"], "payload.counted")
    v.counted = tuple(hex64(h, f"payload.counted[{i}]") for i, h in enumerate(counted))
    v.tally = parse_tally(d["tally"], "payload.tally")


def _result(p: Any, v: Views) -> None:
    d = obj(p, "payload", {"counts", "present"})
    present = array(d["present"], "payload.present")
    v.result = (
        int_rows(d["counts"], "payload.counts"),
        tuple(integer(j, f"payload.present[{i}]") for i, j in enumerate(present)),
    )


_SINGLE: dict[str, tuple[int, Callable[[Any, Views], None]]] = {
    "setup": (8, _setup),
    "joint_key": (10, _joint),
    "credentials": (11, _credentials),
    "close": (19, _close),
    "tally": (20, _tally),
    "result": (23, _result),
}


def _try(v: Views, step: int, event: Event, parser: Callable[[Any, int], T]) -> T | None:
    try:
        return parser(event.payload, event.height)
    except ParseError as exc:
        v.findings.append(Finding(step, f"{event.type} event {event.height}", str(exc)))
        return None


def _commitment(p: Any, height: int) -> GuardianCommitment:
    return parse_commitment(p, "payload")


def _share(p: Any, height: int) -> TallyShare:
    return parse_tally_share(p, "payload")


def _single(v: Views, event: Event) -> None:
    step, parser = _SINGLE[event.type]
    try:
        parser(event.payload, v)
    except ParseError as exc:
        v.findings.append(Finding(step, f"{event.type} event {event.height}", str(exc)))


def parse_ballot_event(event: Event) -> CastBallot | SpoiledBallot:
    """The view of a ``ballot`` or ``spoiled`` event (raises ParseError)."""
    return _cast(event.payload, event.height) if event.type == "ballot" else _spoiled(event.payload, event.height)


def _ballot_view(v: Views, event: Event, prebuilt: dict[int, CastBallot | SpoiledBallot | str] | None) -> None:
    found = prebuilt.get(event.line) if prebuilt is not None else None
    if found is None:
        try:
            found = parse_ballot_event(event)
        except ParseError as exc:
            found = str(exc)
    if isinstance(found, str):  # the ParseError's message, reported as _try does
        v.findings.append(Finding(12, f"{event.type} event {event.height}", found))
    elif isinstance(found, CastBallot):
        v.cast.append(found)
    else:
        v.spoiled.append(found)


def build_views(
    events: list[Event | None], prebuilt: dict[int, CastBallot | SpoiledBallot | str] | None = None
) -> Views:
    """Parse every payload by type; the first event of a single-occurrence type is the one used.

    ``prebuilt`` (by line) holds ballot views already parsed elsewhere (saylau_verify.prepass), or their error.
    """
    v = Views()
    seen: set[str] = set()
    for event in events:
        if event is None:
            continue
        kind, height = event.type, event.height
        if kind in _SINGLE:
            if kind not in seen:
                seen.add(kind)
                _single(v, event)
        elif kind == "guardian":
            gc = _try(v, 9, event, _commitment)
            if gc is not None:
                v.guardians.append((height, gc))
        elif kind in ("ballot", "spoiled"):
            v.ballot_events += kind == "ballot"
            _ballot_view(v, event, prebuilt)
        elif kind == "decryption":
            ts = _try(v, 22, event, _share)
            if ts is not None:
                v.decryptions.append((height, ts))
    return v
