"""The petitions' use cases on SQLite and PostgreSQL (spec/petitions.md §10): create against a known
scope, paper sheets under double entry (nothing written on a disagreement), online signatures verified at
intake, withdrawals, a full verification with every verdict kept, and a qualified recall's vote created
under kz-recall with the district's territory."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from tests.conftest import FixedClock
from tests.integration.petitions_scenario import IDS, PEOPLE, TERRITORY, event_json, register_csv, sheet_csv
from tests.unit.petitions_helpers import online

from saylau.model import Conflict, InputError, NotFound
from saylau.petitions import PetitionError
from saylau.services.context import Context
from saylau.services.paper.events import create_event, import_territory
from saylau.services.petitions import (
    PetitionFlowCode,
    create_petition,
    create_recall_vote,
    import_sheet,
    petition_report,
    petition_status,
    sign_online,
    verify,
    withdraw,
)
from saylau.services.register import ImportOptions, import_register

SCAN = b"%PDF-1.4 sheet S1 scan"


def _at(ctx: Context, when: str) -> None:
    clock: FixedClock = ctx.clock  # type: ignore[assignment]  # the ctx fixture's
    clock.now = dt.datetime.fromisoformat(when).replace(tzinfo=dt.UTC)


def _setup(ctx: Context, tmp_path: Path) -> None:
    _at(ctx, "2024-03-01T09:00:00")
    create_event(ctx, event_json("kar-base"), "base.json")
    import_territory(ctx, "kar-base", TERRITORY.encode(), "territory.csv", "csv")
    path = tmp_path / "register.csv"
    path.write_text(register_csv(), encoding="utf-8")
    import_register(ctx, path, ImportOptions(apply=True))
    _at(ctx, "2024-03-08T09:00:00")
    created = create_petition(ctx, "d7", "kz-recall", "KAR-D7", dt.date(2024, 3, 10), dt.date(2024, 4, 10), count=3)
    assert (created.scope.event, created.scope.precincts) == ("kar-base", ("P1", "P2"))


def _sheet(ctx: Context, *, differ: bool = False, second: str = "bob") -> list[str]:
    keyings = [("alice", sheet_csv().encode(), "s1-alice.csv"), (second, sheet_csv(differ=differ).encode(), "s1-b.csv")]
    return import_sheet(ctx, "d7", "S1", "collector-1", SCAN, keyings)


def _sign(ctx: Context, person: int, day: dt.date) -> str:
    sur, given, patr, born, _, _ = PEOPLE[person]
    name = " ".join(p for p in (sur, given, patr) if p)
    s = online("x", IDS[person], name, born, day, "ed25519", seq=0, code="d7")
    return sign_online(ctx, "d7", s.statement, s.algorithm, s.public_key, s.signature)


def test_a_recall_petition_is_taken_verified_and_calls_its_vote(ctx: Context, tmp_path: Path) -> None:
    _setup(ctx, tmp_path)
    _at(ctx, "2024-03-20T10:00:00")  # person 4 moves out of the district
    moved = tmp_path / "register2.csv"
    moved.write_text(register_csv(moved=True), encoding="utf-8")
    assert import_register(ctx, moved, ImportOptions(apply=True)).counts["moved"] == 1
    _at(ctx, "2024-03-21T10:00:00")
    assert _sign(ctx, 0, dt.date(2024, 3, 21)) == "online:1"  # a duplicate of sheet line 1
    assert _sign(ctx, 3, dt.date(2024, 3, 21)) == "online:2"
    _at(ctx, "2024-04-12T10:00:00")
    assert _sheet(ctx) == [f"paper:S1:{n}" for n in range(1, 6)]
    withdraw(ctx, "d7", "paper:S1:2", dt.date(2024, 3, 15))

    status = petition_status(ctx, "d7")
    assert (status.paper, status.online, status.withdrawn, status.required, status.verified) == (5, 2, 1, 3, None)

    done = verify(ctx, "d7")
    assert (done.qualified, done.decided_by, done.valid, done.raw) == (True, "full_count", 3, 7)
    assert done.recall_event == "recall-d7"
    report = petition_report(ctx, "d7", verdicts=True)
    verdicts = {v["signature"]: v["status"] for v in report["verifications"][0]["verdicts"]["full"]}
    assert verdicts == {
        "paper:S1:1": "matched",
        "paper:S1:2": "withdrawn",
        "paper:S1:3": "not_in_scope",
        "paper:S1:4": "after_deadline",
        "paper:S1:5": "matched",  # by name across scripts and birth date
        "online:1": "duplicate",
        "online:2": "matched",
    }
    assert report["sheets"][0]["scan_sha256"] == hashlib.sha256(SCAN).hexdigest()
    with ctx.store.transaction() as tx:
        row = tx.find_event("recall-d7")
        assert row is not None
        assert (row.referendum.preset, row.referendum.date) == ("kz-recall", dt.date(2024, 6, 11))
        territory = tx.territory(row.id)
        assert territory is not None
        assert sorted(territory.precincts()) == ["P1", "P2"]
        actions = [r["action"] for r in tx.audit_rows(None) if r["action"].startswith("petition.")]
    assert actions.count("petition.verify") == 1
    assert "petition.report" in actions  # the verdicts name persons: a logged read
    assert petition_status(ctx, "d7").verified == done
    again = verify(ctx, "d7")  # run again: a second record, the same vote (not called twice)
    assert (again.qualified, again.recall_event) == (True, "recall-d7")
    assert len(petition_report(ctx, "d7")["verifications"]) == 2


def test_a_disagreeing_double_entry_writes_nothing(ctx: Context, tmp_path: Path) -> None:
    _setup(ctx, tmp_path)
    with pytest.raises(InputError) as caught:
        _sheet(ctx, differ=True)
    assert [(p.rule, p.field) for p in caught.value.problems] == [("petition_keying_mismatch", "birth_date")]
    with pytest.raises(InputError) as same:
        _sheet(ctx, second="alice")
    assert {p.rule for p in same.value.problems} == {"petition_same_operator"}
    assert petition_status(ctx, "d7").paper == 0
    _sheet(ctx)
    with pytest.raises(Conflict) as again:
        _sheet(ctx)
    assert again.value.code == PetitionFlowCode.PETITION_SHEET_EXISTS


def test_refusals_name_the_rule(ctx: Context, tmp_path: Path) -> None:
    _setup(ctx, tmp_path)
    with pytest.raises(Conflict) as exists:
        create_petition(ctx, "d7", "kz-recall", "KAR-D7", dt.date(2024, 3, 10), dt.date(2024, 4, 10), count=3)
    assert exists.value.code == PetitionFlowCode.PETITION_EXISTS
    with pytest.raises(NotFound) as unknown:
        create_petition(ctx, "d9", "kz-recall", "NOWHERE", dt.date(2024, 3, 10), dt.date(2024, 4, 10), count=3)
    assert unknown.value.code == PetitionFlowCode.PETITION_UNKNOWN_SCOPE
    sur, _, _, born, _, _ = PEOPLE[0]
    forged = online("x", IDS[0], sur, born, dt.date(2024, 3, 8), "ecdsa-p256", seq=0, code="d7", forge=True)
    with pytest.raises(Conflict) as refused:
        sign_online(ctx, "d7", forged.statement, forged.algorithm, forged.public_key, forged.signature)
    assert refused.value.code == PetitionFlowCode.PETITION_SIGNATURE_REFUSED
    with pytest.raises(NotFound):
        withdraw(ctx, "d7", "paper:S1:1")
    sid = _sign(ctx, 1, dt.date(2024, 3, 8))
    withdraw(ctx, "d7", sid)
    with pytest.raises(Conflict) as twice:
        withdraw(ctx, "d7", sid)
    assert twice.value.code == PetitionFlowCode.PETITION_ALREADY_WITHDRAWN
    with pytest.raises(PetitionError):  # a petition that did not qualify calls no vote
        create_recall_vote(ctx, "d7")
    create_petition(
        ctx, "d7-s", "kz-recall", "KAR-D7", dt.date(2024, 3, 10), dt.date(2024, 4, 10), count=3, rule="random_sample"
    )
    with pytest.raises(PetitionError) as no_seed:
        verify(ctx, "d7-s")
    assert no_seed.value.code == "petition_bad_sample"
    sampled = verify(ctx, "d7-s", "12345678901234567890")  # no signature: nothing to sample, counted in full
    assert (sampled.qualified, sampled.raw) == (False, 0)


def test_a_share_threshold_counts_the_scopes_register(ctx: Context, tmp_path: Path) -> None:
    _setup(ctx, tmp_path)
    create_petition(ctx, "d7-share", "kz-recall", "KAR-D7", dt.date(2024, 3, 10), dt.date(2024, 4, 10))
    status = petition_status(ctx, "d7-share")
    assert (status.registered, status.required) == (6, 2)  # ⌈1/4 × 6⌉: P1 and P2 on the opening day
