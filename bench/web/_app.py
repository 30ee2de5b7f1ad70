"""A uvicorn factory for the benchmarks: the API on the database named by SAYLAU_BENCH_DB."""

from __future__ import annotations

import os

from fastapi import FastAPI

from saylau.api import create_app
from saylau.services import Context, utc_now
from saylau.store import Store, connect

__all__ = ["make_app"]


def make_app() -> FastAPI:
    engine = connect(os.environ["SAYLAU_BENCH_DB"])
    return create_app(Context(Store(engine), utc_now, "bench-web"))
