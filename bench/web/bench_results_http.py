"""Results JSON under load: uvicorn on loopback serving the kz-2022 demo, wrk against /api/events/kz-2022/results.

Target (issue #5): ≥ 2,000 requests/s with p99 < 100 ms.

.venv/bin/python -m bench.web.bench_results_http [--duration 20] [--connections 4] [--threads 2]

Needs `wrk` (apt-get install -y wrk). Only 127.0.0.1 is ever targeted.
"""

from __future__ import annotations

import argparse
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

from saylau.services import Context, run_demo, utc_now
from saylau.services.results import published_json, results
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
    start = time.perf_counter()
    for _ in range(n):
        doc = published_json(view)
    doc_s = (time.perf_counter() - start) / n
    start = time.perf_counter()
    for _ in range(n):
        body = json.dumps(doc, ensure_ascii=False)
    dump_s = (time.perf_counter() - start) / n
    print(
        f"in-process: results view (full aggregation) {view_s * 1000:.0f} ms once; per request "
        f"published_json {doc_s * 1000:.2f} ms + json.dumps {dump_s * 1000:.2f} ms, "
        f"body {len(body.encode()) / 1e3:.0f} kB"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=20, help="seconds of load (default 20)")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--path", default=PATH, help=f"the route to load (default {PATH}; e.g. /api/events)")
    args = parser.parse_args()
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        build_demo(url)
        port = free_port()
        env = {**os.environ, "SAYLAU_BENCH_DB": url}
        cmd = [sys.executable, "-m", "uvicorn", "bench.web._app:make_app", "--factory"]
        cmd += ["--host", HOST, "--port", str(port), "--log-level", "warning", "--no-access-log"]
        proc = subprocess.Popen(cmd, env=env)
        try:
            body = wait_ready(port, args.path, proc)
            print(f"uvicorn (1 worker) on {HOST}:{port}, {args.path}: {len(body) / 1e3:.1f} kB per response")
            load = [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
            out = subprocess.run(
                [*load, f"http://{HOST}:{port}{args.path}"], capture_output=True, text=True, check=True
            )
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(out.stdout)
    rps, p99 = parse_wrk(out.stdout)
    met = rps >= TARGET_RPS and p99 < TARGET_P99_MS
    print(
        f"{args.path}: {rps:,.0f} requests/s, p99 {p99:.1f} ms "
        f"(target ≥ {TARGET_RPS:,.0f} requests/s and p99 < {TARGET_P99_MS:.0f} ms: {'met' if met else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
