"""The pure record core: canonical JSON, the two hashes, and tamper detection by check_chain."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from saylau.crypto.ballot import QuestionSpec
from saylau.record.chain import check_chain, record_files, require_chain
from saylau.record.encoding import canon, event_hash, parse_canonical, payload_hash
from saylau.record.errors import RecordError
from saylau.record.events import E2ePhase, Event, EventType, Manifest, make_event, phase_after, setup_payload

MANIFEST = Manifest("ref", "Approve?", (QuestionSpec("q1", ("yes", "no"), 1, 1),), 1, 1, "last")


def _chain() -> list[Event]:
    events = [make_event(None, EventType.SETUP, setup_payload(MANIFEST))]
    for event_type, payload in (
        (EventType.GUARDIAN, {"index": 1}),
        (EventType.JOINT_KEY, {"joint_key": "00"}),
        (EventType.CREDENTIALS, {"credentials": []}),
        (EventType.CLOSE, {"ballots": 0}),
    ):
        events.append(make_event(events[-1], event_type, payload))
    return events


def test_known_answer_vectors() -> None:
    """Pinned values (spec/record.md §3): a verifier in another language must reproduce them."""
    assert canon({"b": [1, "é"], "a": {"z": 0}}) == '{"a":{"z":0},"b":[1,"é"]}'
    assert payload_hash("setup", "{}") == "94ac91785c6e6a0e4abcc8a82d3b7b456d00f0d80270c658ee13dcfca0ffbe31"
    assert event_hash("", 0, "setup", "00" * 32) == "07ca0c76a9c10ca179a45609fd0a01b94b3abd9eaa66057be85b139d80fb9de7"
    assert event_hash("", 0, "setup", "00" * 32) != event_hash("", 1, "setup", "00" * 32)
    assert MANIFEST.fingerprint() == Manifest.from_plain(MANIFEST.plain()).fingerprint()


def test_canonical_json_refuses_floats_booleans_null_and_non_canonical_text() -> None:
    for bad in (1.5, True, None, {"a": [False]}):
        with pytest.raises(RecordError):
            canon(bad)
    assert parse_canonical('{"a":1}') == {"a": 1}
    with pytest.raises(RecordError):
        parse_canonical('{"a": 1}')
    with pytest.raises(RecordError):
        parse_canonical('{"b":1,"a":2}')


def test_an_intact_chain_passes_and_phases_follow_the_head() -> None:
    events = _chain()
    assert check_chain(events) == []
    assert events[0].parent == ""
    assert all(e.parent == p.hash for p, e in itertools.pairwise(events))
    assert phase_after(events[-1].type) is E2ePhase.CLOSED
    assert phase_after(EventType.GUARDIAN) is E2ePhase.CEREMONY


@pytest.mark.parametrize(
    ("tamper", "step"),
    [
        (lambda ev: dataclasses.replace(ev, payload='{"index":2}'), "V3"),
        (lambda ev: dataclasses.replace(ev, payload='{"index": 1}'), "V1"),
        (lambda ev: dataclasses.replace(ev, hash="ab" * 32), "V4"),
        (lambda ev: dataclasses.replace(ev, height=7), "V2"),
        (lambda ev: dataclasses.replace(ev, parent="cd" * 32), "V5"),
    ],
)
def test_tampering_with_one_event_is_found(tamper, step: str) -> None:  # type: ignore[no-untyped-def]
    events = _chain()
    events[1] = tamper(events[1])
    assert step in {p.step for p in check_chain(events)}
    with pytest.raises(RecordError) as err:
        require_chain(events)
    assert err.value.code == "record_broken"


def test_a_recomputed_forgery_breaks_the_next_link() -> None:
    events = _chain()
    events[1] = make_event(events[0], EventType.GUARDIAN, {"index": 2})  # consistent in itself
    assert [(p.step, p.height) for p in check_chain(events)] == [("V5", 2)]


def test_removed_reordered_or_unexpected_events_are_found() -> None:
    events = _chain()
    assert {p.step for p in check_chain([events[0], *events[2:]])} >= {"V2", "V5"}
    rebuilt = [events[0]]
    for event_type in (EventType.GUARDIAN, EventType.CREDENTIALS):
        rebuilt.append(make_event(rebuilt[-1], event_type, {}))
    assert [p.step for p in check_chain(rebuilt)] == ["V7"]
    result_early = [*events[:4], make_event(events[3], EventType.RESULT, {})]
    assert [p.step for p in check_chain(result_early)] == ["V7"]
    assert check_chain([make_event(None, EventType.CLOSE, {})])[0].step == "V7"


def test_export_files_are_exactly_two_and_refuse_a_broken_chain() -> None:
    events = _chain()
    files = record_files(events)
    assert sorted(files) == ["events.jsonl", "manifest.json"]
    lines = files["events.jsonl"].splitlines()
    assert len(lines) == len(events)
    assert all(parse_canonical(line) for line in lines)
    head = parse_canonical(files["manifest.json"].rstrip("\n"))
    assert isinstance(head, dict)
    assert head["head"] == events[-1].hash
    assert head["events"] == len(events)
    with pytest.raises(RecordError):
        record_files([*events[:2], dataclasses.replace(events[2], payload_hash="00" * 32)])


def test_a_manifest_is_validated() -> None:
    with pytest.raises(RecordError):
        Manifest("ref", "t", (), 1, 1, "last")
    with pytest.raises(RecordError):
        Manifest("ref", "t", MANIFEST.questions, 2, 3, "last")
    with pytest.raises(RecordError):
        Manifest.from_plain({**MANIFEST.plain(), "extra": 1})
