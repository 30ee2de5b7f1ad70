"""The parallel prepass (saylau_verify.prepass: V1 parse, ballot views, V3/V12/V14/V15 and the V21 sums in the
workers) gives exactly the findings of the one-process run, on a clean record and on every tamper of
test_record_tamper (rechained), plus unrechained byte flips, a replayed ballot and a moved joint_key."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import HAVE_PRODUCER, make_record, needs_producer
from rewrite import Events, edit, flip_hex, indices
from saylau_verify import prepass
from saylau_verify.verify import Report, verify_record
from test_record_tamper import RECHAINED

pytestmark = needs_producer


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not HAVE_PRODUCER:
        pytest.skip("`saylau e2e demo` is not available")
    return make_record(tmp_path_factory.mktemp("prepass") / "record", voters=60)


def _both(record: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Report, Report]:
    inline = verify_record(record, jobs=1)
    with monkeypatch.context() as m:
        m.setattr(prepass, "PREPASS_BELOW", 1)
        m.setattr(prepass, "CHUNK_LINES", 7)  # many chunks, boundaries everywhere
        pooled = verify_record(record, jobs=2)
    return inline, pooled


def _same(inline: Report, pooled: Report) -> None:
    assert [str(f) for f in pooled.findings] == [str(f) for f in inline.findings]
    assert (pooled.events, pooled.ballots) == (inline.events, inline.ballots)


def _replay(events: Events) -> None:
    i = indices(events, "ballot")[3]
    events.insert(i + 5, dict(events[i]))


def _joint_key_late(events: Events) -> None:
    j = indices(events, "joint_key")[0]
    events.insert(indices(events, "ballot")[2], events.pop(j))


def _counted_twice(events: Events) -> None:
    (t,) = indices(events, "tally")
    counted = events[t]["payload"]["counted"]
    counted.append(counted[0])


EXTRA: dict[str, Callable[[Events], None]] = {
    "replayed ballot": _replay,
    "joint_key after ballots": _joint_key_late,
    "a ballot counted twice": _counted_twice,
}


def test_clean_record(base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inline, pooled = _both(base, monkeypatch)
    assert inline.ok
    _same(inline, pooled)


@pytest.mark.parametrize("name", sorted(RECHAINED) + sorted(EXTRA))
def test_tampered_records(name: str, base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = tmp_path / "record"
    shutil.copytree(base, record)
    edit(record, RECHAINED[name][0] if name in RECHAINED else EXTRA[name])
    inline, pooled = _both(record, monkeypatch)
    assert not inline.ok
    _same(inline, pooled)


def test_unrechained_flips(base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = tmp_path / "record"
    shutil.copytree(base, record)

    def flips(events: Events) -> None:
        a, b = indices(events, "ballot")[5:7]
        events[a]["payload"]["ballot_hash"] = flip_hex(events[a]["payload"]["ballot_hash"])
        sel = events[b]["payload"]["ballot"]["questions"][0]["selections"][0]["ciphertext"]
        sel["beta"] = flip_hex(sel["beta"], 10)

    edit(record, flips, rechain=False)
    lines = (record / "events.jsonl").read_text(encoding="utf-8").splitlines()
    lines[9] = lines[9].replace('{"hash"', '{ "hash"', 1)  # not canonical
    (record / "events.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    inline, pooled = _both(record, monkeypatch)
    assert {f.step for f in inline.findings} >= {1, 3}
    _same(inline, pooled)
