"""Run every numbered check of spec/audit.md §14 over an audit report directory; collect all findings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from saylau_verify.audit.checks import CHECKS, parse
from saylau_verify.audit.contest import CONTEST_CHECKS, is_contest_report, parse_contest
from saylau_verify.audit.files import AuditFiles, load
from saylau_verify.findings import Finding

__all__ = ["AuditReport", "is_audit_report", "verify_audit"]


@dataclass(frozen=True, slots=True)
class AuditReport:
    events: int
    method: str
    rounds: int
    outcome: str  # the finish's outcome, "" while the audit is not finished
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def finished(self) -> bool:
        return bool(self.outcome)


def is_audit_report(directory: Path) -> bool:
    """An audit report holds record.jsonl (and no e2e events.jsonl)."""
    return (directory / "record.jsonl").is_file() and not (directory / "events.jsonl").exists()


def verify_audit(directory: Path) -> AuditReport:
    """Every check runs, whatever failed before it; RecordUnreadable only when a file cannot be read."""
    files = load(directory)
    if is_contest_report(files):  # an election contest's audit (spec/audit.md §3a, §10a-§14)
        return _verify_contest(files)
    state = parse(files)
    findings = list(state.findings)
    for check in CHECKS:
        findings += check(state)
    findings.sort(key=lambda f: f.step)
    finish = state.first("finish")
    outcome = str(finish.payload.get("outcome", "")) if finish is not None and isinstance(finish.payload, dict) else ""
    return AuditReport(len(state.events), state.method, len(state.rounds()), outcome, tuple(findings))


def _verify_contest(files: AuditFiles) -> AuditReport:
    state = parse_contest(files)
    findings = list(state.findings)
    for check in CONTEST_CHECKS:
        findings += check(state)
    findings.sort(key=lambda f: f.step)
    finish = state.base.first("finish")
    outcome = str(finish.payload.get("outcome", "")) if finish is not None and isinstance(finish.payload, dict) else ""
    return AuditReport(len(state.base.events), "macro", len(state.base.rounds()), outcome, tuple(findings))
