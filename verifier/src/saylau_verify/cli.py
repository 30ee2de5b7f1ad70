"""``saylau-verify RECORD_DIR [--jobs N] [--dask ADDRESS] [--json]``, ``saylau-verify --audit REPORT_DIR [--json]``:
exit 0 all hold, 1 a check fails, 2 unreadable."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from saylau_verify.audit.verify import AuditReport, is_audit_report, verify_audit
from saylau_verify.findings import RecordUnreadable
from saylau_verify.verify import Report, verify_record

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="saylau-verify",
        description="Independently verify a saylau public election record (spec/record.md §6, steps V1..V24), "
        "or with --audit the report of a risk-limiting audit (spec/audit.md §14, checks A1..A7).",
    )
    parser.add_argument(
        "record", type=Path, help="record directory (manifest.json, events.jsonl) or audit report directory"
    )
    parser.add_argument(
        "--audit",
        action="store_true",
        help="check an audit report (record.jsonl, manifest.json, plan.json); "
        "chosen by itself when the directory has record.jsonl and no events.jsonl",
    )
    parser.add_argument("--jobs", type=int, default=0, help="worker processes for ballot checks (0 = all cores)")
    parser.add_argument("--dask", metavar="ADDRESS", help="send ballot-check chunks to this Dask scheduler")
    parser.add_argument("--json", action="store_true", help="print one JSON report instead of text")
    parser.add_argument(
        "--partial",
        action="store_true",
        help="accept a record that ends at a phase boundary (spec/record.md §9); result steps are then skipped",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.jobs < 0:
        print("saylau-verify: --jobs must be ≥ 0", file=sys.stderr)
        return 2
    start = time.perf_counter()
    if args.audit or is_audit_report(args.record):
        return _audit(args.record, as_json=args.json, start=start)
    try:
        report = verify_record(args.record, args.jobs, args.dask, partial=args.partial)
    except RecordUnreadable as exc:
        if args.json:
            print(json.dumps({"status": "unreadable", "error": str(exc)}, ensure_ascii=False))
        else:
            print(f"saylau-verify: record cannot be read: {exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - start
    if args.json:
        print(
            json.dumps(
                {
                    "status": "ok" if report.ok else "failed",
                    "events": report.events,
                    "ballots": report.ballots,
                    "seconds": round(elapsed, 3),
                    "findings": [f.as_dict() for f in report.findings],
                    "phase": report.phase,
                    "partial": report.partial,
                    "skipped": [f"V{n}" for n in report.skipped],
                    **report.figures.as_dict(),
                },
                ensure_ascii=False,
                sort_keys=True,
            )
        )
    else:
        for finding in report.findings:
            print(finding)
        print(report.figures.sentence())  # the producer's words and numbers (spec/record.md §10)
        noun = "ballot" if report.ballots == 1 else "ballots"
        print(f"{_verdict(report)} ({report.events:,} events, {report.ballots:,} {noun} submitted, {elapsed:.2f} s)")
    return 0 if report.ok else 1


def _audit(directory: Path, *, as_json: bool, start: float) -> int:
    try:
        report = verify_audit(directory)
    except RecordUnreadable as exc:
        if as_json:
            print(json.dumps({"status": "unreadable", "error": str(exc)}, ensure_ascii=False))
        else:
            print(f"saylau-verify: audit report cannot be read: {exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - start
    if as_json:
        print(
            json.dumps(
                {
                    "status": "ok" if report.ok else "failed",
                    "kind": "audit",
                    "events": report.events,
                    "method": report.method,
                    "rounds": report.rounds,
                    "finished": report.finished,
                    "outcome": report.outcome or None,
                    "seconds": round(elapsed, 3),
                    "findings": [f.as_dict() for f in report.findings],
                },
                ensure_ascii=False,
                sort_keys=True,
            )
        )
    else:
        for finding in report.findings:
            print(finding)
        print(f"{_audit_verdict(report)} ({report.events} events, {elapsed:.2f} s)")
    return 0 if report.ok else 1


def _audit_verdict(report: AuditReport) -> str:
    if not report.ok:
        return f"FAILED: {len(report.findings)} problem(s)"
    rounds = f"{report.rounds} round" + ("" if report.rounds == 1 else "s")
    if report.finished:
        what = "confirmed" if report.outcome == "confirmed" else "a full hand count of the failing scopes"
        return f"OK: audit checks A1..A7 hold; {report.method}, {rounds}, outcome: {what}"
    return f"OK: audit checks A1..A7 hold so far; {report.method}, {rounds}; the audit is not finished"


def _verdict(report: Report) -> str:
    if not report.ok:
        return f"FAILED: {len(report.findings)} problem(s)"
    if not report.partial:
        return "OK: all steps V1..V24 hold"
    held = [n for n in range(1, 25) if n not in report.skipped]
    return (
        f"OK: partial record up to {report.phase}: steps {_ranges(held)} hold; "
        f"{_ranges(list(report.skipped))} do not apply yet (no result is claimed)"
    )


def _ranges(steps: list[int]) -> str:
    parts: list[tuple[int, int]] = []
    for n in steps:
        if parts and parts[-1][1] == n - 1:
            parts[-1] = (parts[-1][0], n)
        else:
            parts.append((n, n))
    return ", ".join(f"V{a}" if a == b else f"V{a}..V{b}" for a, b in parts)


if __name__ == "__main__":
    sys.exit(main())
