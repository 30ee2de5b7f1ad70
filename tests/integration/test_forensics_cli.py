"""`saylau forensics EVENT`: the terminal summary, --json, and --out with SVG, PNG and PDF plots; and the
kz-2022 demo, labelled synthetic with the precincts abroad left out (slow)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from tests.elections import load
from tests.integration.forensics_election import ABROAD, forensics_election
from typer.testing import CliRunner

from saylau.cli.main import app
from saylau.services.context import Context

runner = CliRunner()
PLOTS = ("fingerprint", "turnout", "share", "slopes")  # and the digits: one SVG, or one file per test
MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}


def _run(*args: str, ok: bool = True) -> Any:
    result = runner.invoke(app, list(args), terminal_width=200)
    assert (result.exit_code == 0) == ok, result.output
    return result


@pytest.fixture
def counted(ctx: Context, db_url: str) -> str:
    load(ctx, forensics_election(), operators=("alice", "bob"))
    return db_url


def test_the_summary_names_each_check_with_its_figure_and_the_caveat(counted: str) -> None:
    out = _run("forensics", "small", "--db", counted).stdout
    assert "These checks flag anomalies, not fraud." in out
    assert "SYNTHETIC" not in out
    assert f"left out, special: {ABROAD}" in out
    for check in ("Fingerprint and fraud fit", "Turnout at integer percentages", "Paper against e-ballots"):
        assert check in out
    assert "Second digits (Benford) (weak evidence): χ² = " in out
    assert "NOT RUN      Paper against e-ballots: no unit has both paper and electronic votes" in out


def test_json_is_the_published_document(counted: str) -> None:
    doc = json.loads(_run("forensics", "small", "--db", counted, "--json").stdout)
    assert doc["format"] == "saylau-forensics-v1"
    assert doc["synthetic"] is False
    (contest,) = doc["contests"]
    assert contest["excluded_by_reason"]["special"] == ABROAD


def test_out_writes_the_report_and_valid_svg_plots(counted: str, tmp_path: Path) -> None:
    out = tmp_path / "forensics"
    _run("forensics", "small", "--db", counted, "--out", str(out))
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert doc["caveat"].startswith("These checks flag anomalies")
    for name in (*PLOTS, "digits"):
        svg = ET.fromstring((out / f"q1-{name}.svg").read_bytes())  # an XML declaration, then the figure
        assert svg.tag == "{http://www.w3.org/2000/svg}svg"
        assert svg.find("{http://www.w3.org/2000/svg}title") is not None


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_out_writes_png_and_pdf_plots_through_matplotlib(counted: str, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / fmt
    result = _run("forensics", "small", "--db", counted, "--out", str(out), "--format", fmt)
    for name in (*PLOTS, "second_digit", "last_digit"):
        path = out / f"q1-{name}.{fmt}"
        data = path.read_bytes()
        assert data.startswith(MAGIC[fmt]), path
        assert len(data) > 1000
        assert f"written: {path}" in result.stdout.replace("\n", "")


def test_an_unknown_event_is_a_plain_error(counted: str) -> None:
    result = _run("forensics", "nope", "--db", counted, ok=False)
    assert "no event 'nope'" in result.output


def test_the_demo_is_labelled_synthetic_and_its_precincts_abroad_left_out(demo_db: str) -> None:
    db = demo_db
    doc = json.loads(_run("forensics", "kz-2022", "--db", db, "--json").stdout)
    assert doc["synthetic"] is True
    assert doc["synthetic_note"].startswith("This data set is synthetic")
    (contest,) = doc["contests"]
    assert contest["precincts"] == 10_012
    abroad = [e for e in contest["exclusions"] if e["reason"] == "special"]
    assert len(abroad) == 65
    assert {e["region"] for e in abroad} == {"ABR"}
    assert {e["special"] for e in abroad} == {"abroad"}
    assert "ABR" not in {r["region"] for r in contest["slopes"]["regions"] if not r.get("skipped")}
    summary = _run("forensics", "kz-2022", "--db", db).stdout
    assert summary.startswith("SYNTHETIC DATA: This data set is synthetic")
