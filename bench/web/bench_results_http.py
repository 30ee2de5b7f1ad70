"""Results JSON under load: uvicorn on loopback serving the kz-2022 demo, wrk against /api/events/kz-2022/results.

Target (issue #5): ≥ 2,000 requests/s with p99 < 100 ms. Measured, one after the other: the default (light,
``level=top``) document plain and gzip, and the full document (``?level=all``) gzip and plain.

.venv/bin/python -m bench.web.bench_results_http [--duration 10] [--connections 4] [--threads 2] [--workers 2]
    [--max-age 1.0] [--path PATH [--gzip]]

Needs `wrk` (apt-get install -y wrk). Only 127.0.0.1 is ever targeted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from saylau.services.context import Context, utc_now
from saylau.services.paper.demo import run_demo
from saylau.services.paper.results import published_json, results
from saylau.store import Store, connect, migrate

__all__ = ["main"]

HOST = "127.0.0.1"
PATH = "/api/events/kz-2022/results"
TARGET_RPS = 2000.0
TARGET_P99_MS = 100.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def build_demo(url: str) -> None:
    engine = connect(url)
    migrate(engine)
    ctx = Context(Store(engine), utc_now, "bench")
    start = time.perf_counter()
    run_demo(ctx, lambda _label, _done, _total: None)
    print(f"kz-2022 demo database built in {time.perf_counter() - start:.1f} s")
    # what one request costs in-process, without HTTP: the view refresh and the JSON document
    start = time.perf_counter()
    view = results(ctx, "kz-2022")
    view_s = time.perf_counter() - start
    n = 20
    print(f"in-process: results view (full aggregation) {view_s * 1000:.0f} ms once")
    for level in ("top", "all"):
        start = time.perf_counter()
        for _ in range(n):
            doc = published_json(view, level=level)  # type: ignore[arg-type]
        doc_s = (time.perf_counter() - start) / n
        start = time.perf_counter()
        for _ in range(n):
            body = json.dumps(doc, ensure_ascii=False).encode()
        dump_s = (time.perf_counter() - start) / n
        packed = gzip.compress(body, compresslevel=6, mtime=0)
        print(
            f"  level={level}: published_json {doc_s * 1000:.2f} ms + json.dumps {dump_s * 1000:.2f} ms once per "
            f"change; body {len(body) / 1e3:,.1f} kB, gzip {len(packed) / 1e3:,.1f} kB"
        )
    engine.dispose()


def wait_ready(port: int, path: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"uvicorn exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=30) as r:
                return bytes(r.read())
        except OSError:
            time.sleep(0.2)
    raise SystemExit("uvicorn did not answer in time")


def parse_wrk(out: str) -> tuple[float, float]:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()  # type: ignore[union-attr]
    return rps, float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(wrk: str, port: int, path: str, packed: bool, args: argparse.Namespace) -> tuple[float, float]:
    load = [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
    if packed:
        load += ["-H", "Accept-Encoding: gzip"]
    out = subprocess.run([*load, f"http://{HOST}:{port}{path}"], capture_output=True, text=True, check=True)
    if args.verbose:
        print(out.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*", out.stdout)
    if errors:
        print(f"  wrk reported: {errors.group(0)}")
    return parse_wrk(out.stdout)


def loadavg() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per case (default 10)")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes (default 2)")
    parser.add_argument("--max-age", type=float, default=1.0, help="results freshness interval, s (default 1)")
    parser.add_argument("--path", help=f"load only this route (e.g. /api/events); default: the cases of {PATH}")
    parser.add_argument("--gzip", action="store_true", help="with --path: send Accept-Encoding: gzip")
    parser.add_argument("--verbose", action="store_true", help="print wrk's own report of each case")
    args = parser.parse_args()
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    cases = (
        [(args.path, args.gzip)]
        if args.path
        else [(PATH, False), (PATH, True), (f"{PATH}?level=all", True), (f"{PATH}?level=all", False)]
    )
    figures: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        build_demo(url)
        port = free_port()
        env = {**os.environ, "SAYLAU_BENCH_DB": url, "SAYLAU_BENCH_MAX_AGE": str(args.max_age)}
        cmd = [sys.executable, "-m", "uvicorn", "bench.web._app:make_app", "--factory", "--workers", str(args.workers)]
        cmd += ["--host", HOST, "--port", str(port), "--log-level", "warning", "--no-access-log"]
        proc = subprocess.Popen(cmd, env=env)
        try:
            for path, _ in cases:  # warm every worker's cache (the first request of each builds the document)
                body = wait_ready(port, path, proc)
                for _ in range(4 * args.workers):
                    wait_ready(port, path, proc)
                print(f"{path}: {len(body) / 1e3:,.1f} kB per plain response")
            print(f"uvicorn ({args.workers} worker(s), results max age {args.max_age} s) on {HOST}:{port}")
            print(f"load average before: {loadavg()}")
            for path, packed in cases:
                rps, p99 = run_wrk(wrk, port, path, packed, args)
                label = f"{path}{' (gzip)' if packed else ''}"
                figures.append((label, rps, p99))
                met = rps >= TARGET_RPS and p99 < TARGET_P99_MS
                print(f"  {label}: {rps:,.0f} requests/s, p99 {p99:.1f} ms: {'met' if met else 'MISSED'}", flush=True)
            print(f"load average after: {loadavg()}")
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(f"target ≥ {TARGET_RPS:,.0f} requests/s and p99 < {TARGET_P99_MS:.0f} ms:")
    for label, rps, p99 in figures:
        met = rps >= TARGET_RPS and p99 < TARGET_P99_MS
        print(f"  {label:<48} {rps:>9,.0f} requests/s  p99 {p99:>8.1f} ms  {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
