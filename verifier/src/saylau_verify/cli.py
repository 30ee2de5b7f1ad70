"""``saylau-verify RECORD_DIR [--jobs N] [--dask ADDRESS] [--json]``: exit 0 all hold, 1 a check fails, 2 unreadable."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from saylau_verify.findings import RecordUnreadable
from saylau_verify.verify import verify_record

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="saylau-verify",
        description="Independently verify a saylau public election record (spec/record.md §6, steps V1..V24).",
    )
    parser.add_argument("record", type=Path, help="record directory (manifest.json, events.jsonl)")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes for ballot checks (0 = all cores)")
    parser.add_argument("--dask", metavar="ADDRESS", help="send ballot-check chunks to this Dask scheduler")
    parser.add_argument("--json", action="store_true", help="print one JSON report instead of text")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.jobs < 0:
        print("saylau-verify: --jobs must be ≥ 0", file=sys.stderr)
        return 2
    start = time.perf_counter()
    try:
        report = verify_record(args.record, args.jobs, args.dask)
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
                },
                ensure_ascii=False,
                sort_keys=True,
            )
        )
    else:
        for finding in report.findings:
            print(finding)
        verdict = "OK: all steps V1..V24 hold" if report.ok else f"FAILED: {len(report.findings)} problem(s)"
        print(f"{verdict} ({report.events} events, {report.ballots} ballots, {elapsed:.2f} s)")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
