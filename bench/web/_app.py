"""A uvicorn factory for the benchmarks: the API on the database named by SAYLAU_BENCH_DB, with the
results freshness interval of SAYLAU_BENCH_MAX_AGE seconds (default 1, as `saylau serve`)."""

from __future__ import annotations

import os

from fastapi import FastAPI

from saylau.api import create_app
from saylau.services.context import Context, utc_now
from saylau.store import Store, connect

__all__ = ["make_app"]


def make_app() -> FastAPI:
    engine = connect(os.environ["SAYLAU_BENCH_DB"])
    max_age = float(os.environ.get("SAYLAU_BENCH_MAX_AGE", "1.0"))
    return create_app(Context(Store(engine), utc_now, "bench-web"), results_max_age=max_age)
