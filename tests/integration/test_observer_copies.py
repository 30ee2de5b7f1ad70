"""Observers' copies of precinct protocols (services.audit.parallel) on SQLite and PostgreSQL: kept
append-only with their photo, compared field by field with the official version, never changing the count,
bounded (photo size and type, copies per account and precinct, the anonymous throttle, the label), and the
precincts that differ given as the audit's targeted batches."""

from __future__ import annotations

import dataclasses

import pyotp
import pytest
from sqlalchemy import func, select
from tests.elections import SMALL, load
from tests.integration.small import FIELDS, GOOD

from saylau.model import Conflict, InputError, LifecycleError, Phase, QuestionCode
from saylau.services.access.accounts import AccessDenied, Account, Role, create_account
from saylau.services.access.throttle import TooManyAttempts
from saylau.services.audit import parallel
from saylau.services.audit.parallel import (
    ANON_ADDRESS,
    MAX_COPIES,
    Anonymous,
    FieldDifference,
    compare,
    list_copies,
    parse_copy_file,
    parse_copy_form,
    submit_copy,
    targeted_precincts,
)
from saylau.services.context import Context
from saylau.services.paper.results import published_json, results
from saylau.services.secret_key import SecretKey
from saylau.services.settings import DeploymentSettings, ScanPolicy
from saylau.store.observer_schema import observer_copy

KEY = SecretKey(bytes(range(32)))
PASSWORD = "correct horse battery staple 42"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40)
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
Q1 = QuestionCode("q1")


def figures(values: tuple[int, ...]) -> dict[QuestionCode, dict[str, int]]:
    return {Q1: dict(zip(FIELDS, values, strict=True))}


def counted(ctx: Context) -> Context:
    """The small event in counting with every precinct's protocol accepted (two agreeing operators)."""
    ctx = dataclasses.replace(ctx, settings=DeploymentSettings(secret_key=KEY))
    load(ctx, SMALL, operators=("op1", "op2"))
    return ctx


def observer(ctx: Context, name: str = "obs", role: Role = Role.OBSERVER) -> Account:
    account, _ = create_account(
        ctx, name, role, PASSWORD, [] if role is Role.OBSERVER else ["R1-D1"], pyotp.random_base32()
    )
    return account


@pytest.fixture
def octx(ctx: Context) -> Context:
    return counted(ctx)


def test_a_copy_equal_to_the_official_entry_shows_no_difference(octx: Context) -> None:
    got = submit_copy(octx, "small", "P1", figures(GOOD["P1"]), PNG, observer(octx))
    assert (got.status, got.official_version, got.differences) == ("equal", 1, ())
    assert got.copy.submitter == "obs"
    assert not got.copy.anonymous
    assert targeted_precincts(octx, "small") == []


def test_a_different_copy_lists_each_differing_field(octx: Context) -> None:
    changed = (*GOOD["P2"][:5], 380, 200, *GOOD["P2"][7:])  # yes and no swapped by 20 votes
    got = submit_copy(octx, "small", "P2", figures(changed), JPEG, Anonymous("citizen of Almaty", "10.0.0.7"))
    assert got.status == "different"
    assert got.differences == (FieldDifference(Q1, "yes", 400, 380), FieldDifference(Q1, "no", 180, 200))
    assert got.copy.violations == ()  # the swap keeps every control relation
    assert got.copy.anonymous
    assert got.copy.submitter == "citizen of Almaty"
    assert targeted_precincts(octx, "small") == ["P2"]
    found = list_copies(octx, "small", "R1")
    listed, total = found.copies, found.total
    assert total == 1
    assert [c.copy.precinct for c in listed] == ["P2"]
    assert (list_copies(octx, "small", "R2").copies, list_copies(octx, "small", "R2").total) == ([], 0)


def test_a_copy_breaking_control_relations_is_kept_and_marked(octx: Context) -> None:
    broken = (*GOOD["P3"][:5], 900, *GOOD["P3"][6:])  # more yes votes than took part
    got = submit_copy(octx, "small", "P3", figures(broken), PNG, observer(octx))
    assert got.status == "different"
    assert got.copy.violations
    assert all("q1" in v for v in got.copy.violations)
    assert [d.field for d in got.differences] == ["yes"]


def test_no_official_entry_yet(ctx: Context) -> None:
    octx = dataclasses.replace(ctx, settings=DeploymentSettings(secret_key=KEY))
    load(octx, SMALL)  # counting, nothing entered
    got = submit_copy(octx, "small", "P1", figures(GOOD["P1"]), PNG, observer(octx))
    assert (got.status, got.official_version) == ("no_official", None)
    assert targeted_precincts(octx, "small") == []


def _published(ctx: Context) -> dict[str, object]:
    return {k: v for k, v in published_json(results(ctx, "small")).items() if k != "generated_at"}


def test_the_count_never_changes(octx: Context) -> None:
    before = _published(octx)
    account = observer(octx)
    for p, values in GOOD.items():
        submit_copy(octx, "small", p, figures(tuple(v + 1 for v in values)), PNG, account)
    assert targeted_precincts(octx, "small") == sorted(GOOD)
    assert _published(octx) == before
    assert "units" in before or len(before) > 3  # the comparison covers the figures, not an empty shell


def test_the_photo_is_required_bounded_and_typed(octx: Context) -> None:
    small = dataclasses.replace(octx, settings=DeploymentSettings(secret_key=KEY, scans=ScanPolicy(max_bytes=100)))
    account = observer(small)
    for photo, rule in [
        (b"", "scan_empty"),
        (PNG + bytes(200), "scan_too_large"),
        (PDF, "copy_photo_type"),
        (b"GIF89a" + bytes(9), "scan_type"),
    ]:
        with pytest.raises(InputError) as refused:
            submit_copy(small, "small", "P1", figures(GOOD["P1"]), photo, account)
        assert [p.rule for p in refused.value.problems] == [rule]
        assert refused.value.problems[0].field == "photo"
    with small.store.transaction() as tx:
        assert tx.conn.execute(select(func.count()).select_from(observer_copy)).scalar_one() == 0
        refusals = [r for r in tx.audit_rows("small") if r["action"] == "copy.submit"]
    assert [r["outcome"] for r in refusals] == ["refused"] * 4


def test_only_observers_and_at_most_max_copies_per_precinct(octx: Context) -> None:
    member = observer(octx, "d1", Role.DISTRICT)
    with pytest.raises(AccessDenied):
        submit_copy(octx, "small", "P1", figures(GOOD["P1"]), PNG, member)
    account = observer(octx)
    for _ in range(MAX_COPIES):
        submit_copy(octx, "small", "P1", figures(GOOD["P1"]), PNG, account)
    with pytest.raises(Conflict) as refused:
        submit_copy(octx, "small", "P1", figures(GOOD["P1"]), PNG, account)
    assert refused.value.code == "copy_limit"
    submit_copy(octx, "small", "P2", figures(GOOD["P2"]), PNG, account)  # another precinct is counted apart


def test_anonymous_copies_are_throttled_per_address(octx: Context) -> None:
    who = Anonymous("a voter", "192.0.2.1")
    precincts = list(GOOD)
    for i in range(ANON_ADDRESS.free):
        submit_copy(
            octx, "small", precincts[i % len(precincts)], figures(GOOD[precincts[i % len(precincts)]]), PNG, who
        )
    with pytest.raises(TooManyAttempts) as throttled:
        submit_copy(octx, "small", "P1", figures(GOOD["P1"]), PNG, who)
    assert throttled.value.retry_after >= 1
    submit_copy(octx, "small", "P1", figures(GOOD["P1"]), PNG, Anonymous("a voter", "192.0.2.2"))  # another address


@pytest.mark.parametrize("label", ["", "x" * 65, "me@example.org", "+7 701 123 45 67", "tab\there"])
def test_an_anonymous_label_is_short_and_no_contact(octx: Context, label: str) -> None:
    with pytest.raises(InputError) as refused:
        submit_copy(octx, "small", "P1", figures(GOOD["P1"]), PNG, Anonymous(label, "192.0.2.9"))
    assert [p.rule for p in refused.value.problems] == ["copy_label"]


def test_copies_are_taken_from_counting_on(ctx: Context) -> None:
    octx = dataclasses.replace(ctx, settings=DeploymentSettings(secret_key=KEY))
    load(octx, SMALL, until=Phase.VOTING)
    with pytest.raises(LifecycleError) as refused:
        submit_copy(octx, "small", "P1", figures(GOOD["P1"]), PNG, observer(octx))
    assert refused.value.code == "copy_phase"


def test_figures_are_parsed_with_the_event_layout(octx: Context) -> None:
    raw = {f"q1.{f}": str(v) for f, v in zip(FIELDS, GOOD["P1"], strict=True)}
    assert parse_copy_form(octx, "small", "P1", raw) == figures(GOOD["P1"])
    with pytest.raises(InputError) as refused:
        parse_copy_form(octx, "small", "P1", raw | {"q1.yes": "5OO"})
    assert [p.field for p in refused.value.problems] == ["q1.yes"]
    csv = ("precinct,question," + ",".join(FIELDS) + "\nP1,q1," + ",".join(map(str, GOOD["P1"])) + "\n").encode()
    assert parse_copy_file(octx, "small", "P1", csv, "copy.csv", "csv") == figures(GOOD["P1"])
    with pytest.raises(InputError) as wrong:
        parse_copy_file(octx, "small", "P2", csv, "copy.csv", "csv")
    assert [p.rule for p in wrong.value.problems] == ["copy_precinct"]


def test_compare_names_missing_and_extra_fields() -> None:
    official = {Q1: {"yes": 1, "no": 2}}
    assert compare(official, {Q1: {"yes": 1, "no": 2}}) == ()
    assert compare(official, {Q1: {"yes": 1, "other": 2}}) == (
        FieldDifference(Q1, "no", 2, None),
        FieldDifference(Q1, "other", None, 2),
    )


def test_a_list_shows_the_newest_copies_and_counts_all(octx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel.listing, "MAX_LISTED", 2)
    account = observer(octx)
    ids = [submit_copy(octx, "small", p, figures(GOOD[p]), PNG, account).copy.id for p in ("P1", "P2", "P3")]
    found = list_copies(octx, "small")
    assert [c.copy.id for c in found.copies] == ids[1:]
    assert found.total == 3
    assert list_copies(octx, "small", "R1-D1").total == 2
