"""Partial records (spec/record.md §9): a prefix of a producer's record ending at a phase boundary verifies with
``--partial`` (result steps skipped, phase named); a cut inside a phase, a tamper or a missing flag fails."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import needs_producer
from rewrite import Events, edit, flip_hex, indices, read_events
from saylau_verify.cli import main

pytestmark = needs_producer


def run(record: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[int, dict[str, Any]]:
    code = main([str(record), "--jobs", "1", "--json", *flags])
    return code, json.loads(capsys.readouterr().out)


def _boundary(events: Events, phase: str) -> int:
    """How many events a record ending at ``phase`` keeps."""
    first = {kind: indices(events, kind)[0] for kind in ("joint_key", "credentials", "close", "tally", "decryption")}
    match phase:
        case "setup":
            return 1
        case "ceremony":
            return first["joint_key"] + 1
        case "voting":
            return first["close"]
        case "close":
            return first["close"] + 1
        case "tally":
            return first["tally"] + 1
        case "decryption":
            return first["decryption"] + 1
        case _:
            raise AssertionError(phase)


@pytest.mark.parametrize(
    ("phase", "skipped"),
    [
        ("setup", 16),
        ("ceremony", 14),
        ("voting", 6),
        ("close", 5),
        ("tally", 2),
        ("decryption", 2),
    ],
)
def test_prefix_at_a_phase_boundary_verifies_as_partial(
    record_copy: Path, capsys: pytest.CaptureFixture[str], phase: str, skipped: int
) -> None:
    keep = _boundary(read_events(record_copy), phase)
    edit(record_copy, lambda events: events.__delitem__(slice(keep, None)))
    code, report = run(record_copy, capsys, "--partial")
    assert (code, report["phase"], report["partial"], report["findings"]) == (0, phase, True, [])
    assert len(report["skipped"]) == skipped
    assert "V23" in report["skipped"]
    code, report = run(record_copy, capsys)  # without --partial a record must be complete
    assert code == 1
    assert any("--partial" in f["message"] for f in report["findings"])


def test_text_output_names_the_phase(record_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keep = _boundary(read_events(record_copy), "close")
    edit(record_copy, lambda events: events.__delitem__(slice(keep, None)))
    assert main([str(record_copy), "--jobs", "1", "--partial"]) == 0
    assert "OK: partial record up to close: steps V1..V19 hold; V20..V24 do not apply yet" in capsys.readouterr().out


def test_complete_record_with_partial_flag_is_complete(small_record: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = run(small_record, capsys, "--partial")
    assert (code, report["phase"], report["partial"], report["skipped"]) == (0, "result", False, [])


@pytest.mark.parametrize("cut", ["guardian", "tally_only_decryptions"])
def test_cut_inside_a_phase_fails(record_copy: Path, capsys: pytest.CaptureFixture[str], cut: str) -> None:
    def change(events: Events) -> None:
        if cut == "guardian":  # setup and the first guardian only
            del events[2:]
        else:  # the tally dropped, the decryptions kept
            del events[indices(events, "tally")[0]]
            del events[indices(events, "result")[0] :]

    edit(record_copy, change)
    code, report = run(record_copy, capsys, "--partial")
    assert code == 1
    messages = [f["message"] for f in report["findings"]]
    assert any("stops inside a phase" in m for m in messages)


def test_truncated_without_rechaining_fails(record_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(record_copy, lambda events: events.__delitem__(slice(5, None)), rechain=False)
    code, report = run(record_copy, capsys, "--partial")
    assert code == 1
    assert {f["step"] for f in report["findings"]} >= {"V2", "V6"}


def test_tampered_partial_record_fails(record_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def change(events: Events) -> None:
        del events[indices(events, "close")[0] :]
        ballot = events[indices(events, "ballot")[0]]["payload"]
        ballot["tracking_code"] = flip_hex(ballot["tracking_code"])

    edit(record_copy, change)
    code, report = run(record_copy, capsys, "--partial")
    assert (code, report["phase"]) == (1, "voting")
    assert "V16" in {f["step"] for f in report["findings"]}
