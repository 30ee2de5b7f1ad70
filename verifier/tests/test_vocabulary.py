"""One vocabulary (spec/record.md §10): for one record, the producer's `saylau e2e demo` and saylau-verify say the
same ballot summary, word for word, and report the same figures under the same JSON keys (issue 17 item 8)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from conftest import SAYLAU, needs_producer
from saylau_verify.cli import main
from saylau_verify.figures import BallotFigures

pytestmark = needs_producer

SUMMARY = re.compile(
    r"^(?P<submitted>[\d,]+) ballots? submitted: (?P<cast>[\d,]+) cast \((?P<counted>[\d,]+) counted, "
    r"(?P<replaced>[\d,]+) replaced by a re-vote\), (?P<spoiled>[\d,]+) spoiled \(challenged and opened\)$",
    re.MULTILINE,
)
KEYS = ("ballots_submitted", "ballots_cast", "ballots_counted", "revotes", "spoiled")


def _demo(out: Path, *extra: str) -> str:
    args = [str(SAYLAU), "e2e", "demo", "--voters", "30", "--seed", "1", "--out", str(out), *extra]
    done = subprocess.run(args, capture_output=True, text=True, check=True, timeout=600)
    return done.stdout


def _summary(text: str) -> tuple[str, dict[str, int]]:
    (match,) = list(SUMMARY.finditer(text))  # exactly one summary line
    return match.group(0), {k: int(v.replace(",", "")) for k, v in match.groupdict().items()}


def test_producer_and_verifier_say_the_same_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line, figures = _summary(_demo(tmp_path / "record"))
    # the seed gives spoiled ballots and re-votes, so every word of the summary is exercised
    assert min(figures["spoiled"], figures["replaced"]) > 0, line
    assert figures["submitted"] == figures["cast"] + figures["spoiled"]
    assert figures["replaced"] == figures["cast"] - figures["counted"]
    assert figures["counted"] == 30  # one counted ballot per voter
    assert main([str(tmp_path / "record"), "--jobs", "1"]) == 0
    said = capsys.readouterr().out
    assert _summary(said)[0] == line
    assert f"({_events(tmp_path / 'record')} events, {figures['submitted']} ballots submitted, " in said


def test_producer_and_verifier_report_the_same_json_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    made = json.loads(_demo(tmp_path / "record", "--json"))
    assert main([str(tmp_path / "record"), "--jobs", "1", "--json"]) == 0
    checked = json.loads(capsys.readouterr().out)
    assert {k: made[k] for k in KEYS} == {k: checked[k] for k in KEYS}
    assert checked["ballots"] == checked["ballots_submitted"]  # the key that landed first stays
    assert min(made["spoiled"], made["revotes"]) > 0


def test_the_sentence_follows_the_spec() -> None:
    assert BallotFigures(222, 13, 200).sentence() == (
        "235 ballots submitted: 222 cast (200 counted, 22 replaced by a re-vote), 13 spoiled (challenged and opened)"
    )
    assert BallotFigures(1100, 98, 1000).sentence().startswith("1,198 ballots submitted: 1,100 cast (1,000 counted")
    assert BallotFigures(1, 0, 1).sentence().startswith("1 ballot submitted: 1 cast (1 counted, 0 replaced")
    assert BallotFigures(0, 1, 0).sentence() == (
        "1 ballot submitted: 0 cast (0 counted, 0 replaced by a re-vote), 1 spoiled (challenged and opened)"
    )


def _events(record: Path) -> int:
    return len((record / "events.jsonl").read_text().splitlines())
