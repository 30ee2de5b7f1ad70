"""Reading a record directory (spec/record.md §1) and the envelope parse of V1."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from saylau_verify.findings import Finding, RecordUnreadable
from saylau_verify.jsonread import ParseError, canon, hex64, integer, obj, parse_canonical, string

__all__ = ["Event", "RawRecord", "event_from_line", "line_findings", "load", "parse_events", "parse_manifest_file"]

FILES = ("events.jsonl", "manifest.json")
EVENT_KEYS = frozenset({"hash", "height", "parent", "payload", "payload_hash", "type"})
MANIFEST_KEYS = frozenset({"events", "fingerprint", "format", "head", "manifest"})


@dataclass(frozen=True, slots=True)
class RawRecord:
    manifest_text: str
    lines: tuple[str, ...]
    trailing_newline: bool
    other_files: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Event:
    line: int
    height: int
    type: str
    parent: str
    hash: str
    payload_hash: str
    payload: Any
    payload_text: str
    payload_checked: bool = False  # V3 already decided (equal) where the line was parsed; payload_text dropped
    hash_checked: bool = False  # V4 already decided (equal) where the line was parsed


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError as exc:
        raise RecordUnreadable(f"{path.name} is missing") from exc
    except UnicodeDecodeError as exc:
        raise RecordUnreadable(f"{path.name} is not UTF-8") from exc
    except OSError as exc:
        raise RecordUnreadable(f"{path.name}: {exc.strerror}") from exc


def load(directory: Path) -> RawRecord:
    """Read the two files; RecordUnreadable when the directory or a file cannot be read at all."""
    if not directory.is_dir():
        raise RecordUnreadable(f"{directory} is not a directory")
    manifest_text = _read(directory / "manifest.json")
    events_text = _read(directory / "events.jsonl")
    others = tuple(sorted(p.name for p in directory.iterdir() if p.name not in FILES))
    trailing = events_text.endswith("\n")
    body = events_text[:-1] if trailing else events_text
    lines = tuple(body.split("\n")) if body else ()
    return RawRecord(manifest_text, lines, trailing, others)


def parse_manifest_file(raw: RawRecord) -> tuple[dict[str, Any] | None, list[Finding]]:
    """V1 for manifest.json: one canonical object with exactly the keys of §1, then one newline."""
    text = raw.manifest_text
    if not text.endswith("\n") or text.count("\n") != 1:
        return None, [Finding(1, "manifest.json", "must be one line of canonical JSON followed by one newline")]
    try:
        value = obj(parse_canonical(text[:-1]), "$", MANIFEST_KEYS)
        integer(value["events"], "$.events")
        hex64(value["fingerprint"], "$.fingerprint")
        hex64(value["head"], "$.head")
        if value["format"] != "saylau-record-v1":
            raise ParseError("$.format", "expected 'saylau-record-v1'")
    except ParseError as exc:
        return None, [Finding(1, "manifest.json", str(exc))]
    return value, []


def event_from_line(line: int, text: str) -> Event:
    """V1 for one line of events.jsonl: canonical JSON with exactly the keys of §1 (raises ParseError)."""
    value = obj(parse_canonical(text), "$", EVENT_KEYS)
    height = integer(value["height"], "$.height")
    event_type = string(value["type"], "$.type")
    parent = string(value["parent"], "$.parent")
    if parent:
        hex64(parent, "$.parent")
    return Event(
        line,
        height,
        event_type,
        parent,
        hex64(value["hash"], "$.hash"),
        hex64(value["payload_hash"], "$.payload_hash"),
        value["payload"],
        canon(value["payload"]),
    )


def line_findings(raw: RawRecord, problems: list[str | None]) -> list[Finding]:
    """V1 findings in their order: the missing final newline, each line's problem, then foreign files."""
    findings: list[Finding] = []
    if raw.lines and not raw.trailing_newline:
        findings.append(Finding(1, "events.jsonl", "the last line is not followed by a newline"))
    findings += [Finding(1, f"events.jsonl line {i + 1}", p) for i, p in enumerate(problems) if p is not None]
    for name in raw.other_files:
        findings.append(Finding(1, name, "the record directory holds a file other than manifest.json and events.jsonl"))
    return findings


def parse_events(raw: RawRecord) -> tuple[list[Event | None], list[Finding]]:
    """V1 for events.jsonl: every line canonical JSON with exactly the keys of §1; no blank lines."""
    events: list[Event | None] = []
    problems: list[str | None] = []
    for index, text in enumerate(raw.lines):
        try:
            events.append(event_from_line(index, text))
            problems.append(None)
        except ParseError as exc:
            events.append(None)
            problems.append(str(exc))
    return events, line_findings(raw, problems)
