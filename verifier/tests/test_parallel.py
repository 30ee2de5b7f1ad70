"""Ballot checks in a local process pool and on a Dask scheduler (LocalCluster, in-process) give the same verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import HAVE_PRODUCER, make_record, needs_producer
from rewrite import edit, indices
from saylau_verify.cli import main
from saylau_verify.crypto.group import ELL
from saylau_verify.verify import verify_record

pytestmark = needs_producer


@pytest.fixture(scope="module")
def pool_record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not HAVE_PRODUCER:
        pytest.skip("`saylau e2e demo` is not available")
    record = make_record(tmp_path_factory.mktemp("pool") / "record", voters=70)

    def corrupt(events: list) -> None:
        proof = events[indices(events, "ballot")[40]]["payload"]["ballot"]["signature"]
        proof["response"] = (
            ((int.from_bytes(bytes.fromhex(proof["response"]), "little") + 1) % ELL).to_bytes(32, "little").hex()
        )

    edit(record, corrupt)
    return record


def _v12(report: object) -> list[str]:
    return sorted(str(f) for f in report.findings if f.step == 12)  # type: ignore[attr-defined]


def test_pool_matches_inline(pool_record: Path) -> None:
    inline = verify_record(pool_record, jobs=1)
    pooled = verify_record(pool_record, jobs=2)
    assert _v12(inline) == _v12(pooled)
    assert len(_v12(inline)) == 1
    assert "signature fails" in _v12(inline)[0]


def test_dask_local_cluster(pool_record: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        report = verify_record(pool_record, dask_address=cluster.scheduler_address)
        assert _v12(report) == _v12(verify_record(pool_record, jobs=1))
        assert main([str(pool_record), "--dask", cluster.scheduler_address]) == 1
    assert "V12 ballot" in capsys.readouterr().out
