"""Intake under faults, the small versions of bench/faults (issue #9), on SQLite and PostgreSQL.

Ballots: 400 bodies over HTTP (5 % malformed, 2 % duplicates, 1 % replays) to `saylau serve --workers 2`,
SIGKILLed 3 times (the shared PostgreSQL is never restarted): every acknowledged ballot is in the record
exactly once with its receipt's tracking code, no malformed one is, and `saylau-verify` accepts the record.
Protocols: 200 protocols keyed by two operators in batches of 20 through `saylau protocols import`, 3 of
the processes SIGKILLed: every acknowledged batch is there whole, none half-written, none twice.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.faults import ballots, protocols


@pytest.mark.slow
def test_ballot_intake_survives_kills(db_url: str, tmp_path: Path) -> None:
    counts = ballots.run(db_url, ballots.Config(ballots=400, kills=3, seed=11), tmp_path, say=lambda _s: None)
    assert counts.kills == 3
    assert counts.acknowledged > 260
    assert counts.lost == 0
    assert counts.duplicated == 0
    assert counts.double_acknowledged == 0
    assert counts.malformed_recorded == 0, counts.refused
    assert counts.honest_unrecorded == 0, counts.refused
    assert counts.result_matches
    assert counts.verifier.startswith("accepted"), counts.verifier
    assert counts.ok


@pytest.mark.slow
def test_protocol_intake_survives_kills(db_url: str, tmp_path: Path) -> None:
    # batches of 20: ten processes an operator, so that a kill passed on (its process ended first) has processes
    # left to land on (with five, three in a row could pass it off the end on a loaded machine)
    cfg = protocols.Config(protocols=200, batch=20, kills=3, seed=5, bad_batches=0.2)
    counts = protocols.run(db_url, cfg, tmp_path, say=lambda _s: None)
    assert counts.kills == 3
    # every good batch file of each operator (200 / 20 = 10) is in, acknowledged or found already recorded
    assert counts.acknowledged + counts.already_recorded == 2 * (cfg.protocols // cfg.batch)
    assert counts.refused.get("control_relation", 0) >= 1  # a bad batch, refused whole, then sent corrected
    assert counts.lost == 0
    assert counts.half_written == 0
    assert counts.duplicated == 0
    assert counts.refused_written == 0
    assert counts.totals_match
    assert counts.ok
