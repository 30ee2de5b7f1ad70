"""Test helper: edit a record's events and re-chain it (payload hashes, event hashes, parents, manifest head),
so that a tamper is caught by the step that owns it rather than only by the hash chain (V3–V5)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from saylau_verify.crypto.hashing import h_hex

Events = list[dict[str, Any]]


def canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def read_events(record: Path) -> Events:
    return [json.loads(line) for line in (record / "events.jsonl").read_text(encoding="utf-8").splitlines()]


def chain(events: Events) -> None:
    """Heights, parents, payload hashes and hashes made right again (spec/record.md §1–§3), in place."""
    parent = ""
    for height, event in enumerate(events):
        event["height"] = height
        event["parent"] = parent
        event["payload_hash"] = h_hex("record-payload", event["type"], canon(event["payload"]))
        event["hash"] = h_hex("record-event", parent, height, event["type"], event["payload_hash"])
        parent = event["hash"]


def write_events(record: Path, events: Events, rechain: bool = True) -> None:
    if rechain:
        chain(events)
        manifest = json.loads((record / "manifest.json").read_text(encoding="utf-8"))
        manifest["events"] = len(events)
        manifest["head"] = events[-1]["hash"]
        if events and events[0]["type"] == "setup":
            manifest["manifest"] = events[0]["payload"]["manifest"]
            manifest["fingerprint"] = events[0]["payload"]["fingerprint"]
        (record / "manifest.json").write_text(canon(manifest) + "\n", encoding="utf-8")
    (record / "events.jsonl").write_text("".join(canon(e) + "\n" for e in events), encoding="utf-8")


def edit(record: Path, change: Callable[[Events], None], rechain: bool = True) -> None:
    events = read_events(record)
    change(events)
    write_events(record, events, rechain)


def indices(events: Events, kind: str) -> list[int]:
    return [i for i, e in enumerate(events) if e["type"] == kind]


def flip_hex(value: str, position: int = 0) -> str:
    """Change one hex digit (one byte changes)."""
    digit = value[position]
    return value[:position] + ("1" if digit == "0" else "0") + value[position + 1 :]


def copy_report(report: Path, tmp_path: Path) -> Path:
    """A copy of an audit report folder (spec/audit.md §14) to tamper with."""
    target = tmp_path / "report"
    shutil.copytree(report, target)
    return target


def read_audit_record(report: Path) -> Events:
    return [json.loads(line) for line in (report / "record.jsonl").read_text(encoding="utf-8").splitlines()]


def write_audit_record(report: Path, events: Events, rechain: bool = True) -> None:
    """An audit report's record.jsonl (its own chain; it has no manifest head to update)."""
    if rechain:
        chain(events)
    (report / "record.jsonl").write_text("".join(canon(e) + "\n" for e in events), encoding="utf-8")
