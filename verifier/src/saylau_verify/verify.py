"""Run every numbered step of spec/record.md §6 over a record directory; collect all findings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from saylau_verify import steps_ballots as sb
from saylau_verify import steps_chain as sc
from saylau_verify import steps_setup as ss
from saylau_verify import steps_tally as st
from saylau_verify.figures import BallotFigures, ballot_figures
from saylau_verify.findings import Finding
from saylau_verify.prepass import prepass, use_prepass
from saylau_verify.record import load, parse_events, parse_manifest_file
from saylau_verify.state import State
from saylau_verify.views import build_views

__all__ = ["STEPS", "Report", "verify_record"]

Step = Callable[[State], list[Finding]]

STEPS: tuple[tuple[int, Step], ...] = (
    (2, sc.v2_heights),
    (3, sc.v3_payload_hashes),
    (4, sc.v4_event_hashes),
    (5, sc.v5_parents),
    (6, sc.v6_manifest_file),
    (7, sc.v7_grammar),
    (8, ss.v8_manifest),
    (9, ss.v9_guardians),
    (10, ss.v10_joint_key),
    (11, ss.v11_credentials),
    (12, sb.v12_ballots),
    (13, sb.v13_credentials_known),
    (14, sb.v14_ballot_hashes),
    (15, sb.v15_uniqueness),
    (16, sb.v16_tracking),
    (17, sb.v17_revote),
    (18, sb.v18_spoiled),
    (19, sb.v19_close),
    (20, st.v20_counted),
    (21, st.v21_tally_sums),
    (22, st.v22_decryptions),
    (23, st.v23_present),
    (24, st.v24_result),
)
"""V2..V24 in order; V1 is the parse (record.parse_*), whose findings come first."""

NO_BALLOTS = BallotFigures(0, 0, 0)


@dataclass(frozen=True, slots=True)
class Report:
    events: int
    ballots: int  # submitted: every ballot and spoiled event (spec/record.md §10)
    findings: tuple[Finding, ...]
    phase: str = sc.COMPLETE  # where the record ends: sc.COMPLETE, or a phase of a partial record (§9)
    skipped: tuple[int, ...] = ()  # steps that do not apply to a partial record
    figures: BallotFigures = NO_BALLOTS  # the ballot summary's figures (spec/record.md §10)

    @property
    def partial(self) -> bool:
        return self.phase != sc.COMPLETE

    @property
    def ok(self) -> bool:
        return not self.findings


def verify_record(directory: Path, jobs: int = 0, dask_address: str | None = None, *, partial: bool = False) -> Report:
    """Every step runs, whatever failed before it; RecordUnreadable only when the files cannot be read.

    With ``partial``, a record ending at a phase boundary (spec/record.md §9) is checked by the steps that apply
    to it; one that stops inside a phase, or is out of order, fails V7 and gets every step.
    """
    raw = load(directory)
    manifest_file, findings = parse_manifest_file(raw)
    workers = 0 if dask_address is not None else use_prepass(len(raw.lines), jobs)
    prepassed = None
    if workers:  # large record, several cores: V1 and the per-ballot work in one parallel pass
        events, event_findings, views, prepassed = prepass(raw, workers)
    else:
        events, event_findings = parse_events(raw)
        views = build_views(events)
    del raw  # the lines are parsed: free them before the steps run
    findings += event_findings
    state = State(manifest_file, events, views, jobs, dask_address, partial, prepassed)
    phase = (sc.record_phase(state) if partial else None) or sc.COMPLETE
    step_findings: list[Finding] = list(views.findings)
    skipped: list[int] = []
    for number, step in STEPS:
        if sc.step_applies(number, phase):
            step_findings += step(state)
        else:
            skipped.append(number)
    findings += sorted(step_findings, key=lambda f: f.step)
    figures = ballot_figures(views)
    return Report(len(events), figures.submitted, tuple(findings), phase, tuple(skipped), figures)
