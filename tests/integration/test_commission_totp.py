"""The one-time code of a critical step is checked inside the transaction that accepts it (issue 9, High 1).

An entry that makes a protocol count, a mismatch resolution, a correction, a batch and a phase change
each need a verified code by the member who does it. Whether an entry needs one is decided under the
precinct's lock, from what the accepting transaction reads, never from the entry form read before it:
two members keying identical first entries at the same moment are not both let through without a code.
A refusal writes nothing and is audited; the accepted write's audit row says how the step was attested.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from tests.integration.small import GOOD, protocols_csv
from tests.integration.test_commission_pages import PASSWORD, code, commission_setup, form
from typer.testing import CliRunner

from saylau.cli.main import app
from saylau.model import InputError, LifecycleError, Mode, Phase
from saylau.services.access.accounts import AccessDenied, Account, Role, create_account, list_accounts
from saylau.services.access.factor import LOCAL_CLI, MemberTotp
from saylau.services.context import Context
from saylau.services.paper import commission as c
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.protocols import enter_protocols
from saylau.services.paper.results import precinct_states

FIXED = (*GOOD["P1"][:5], 499, 151, *GOOD["P1"][7:])  # a recount moves one ballot


@pytest.fixture
def app_ctx(ctx: Context) -> Context:
    ctx = commission_setup(ctx)
    create_account(ctx, "cen2", Role.CENTRAL, PASSWORD, [], "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXG")
    return ctx


def members(ctx: Context) -> dict[str, Account]:
    return {a.name: a for a in list_accounts(ctx)}


def raw(values: tuple[int, ...]) -> dict[str, str]:
    return form(values)


def entries(ctx: Context, precinct: str) -> list[Any]:
    with ctx.store.transaction() as tx:
        row = tx.find_event("small")
        assert row is not None
        return [e for e in tx.entries(row.id, Mode.LIVE) if e.precinct == precinct]


def versions(ctx: Context) -> dict[str, int]:
    return {s.precinct: s.version for s in precinct_states(ctx, "small") if s.version}


def audit(ctx: Context, action: str) -> list[dict[str, Any]]:
    with ctx.store.transaction() as tx:
        return [r for r in tx.audit_rows("small") if r["action"] == action]


def stale_forms(monkeypatch: pytest.MonkeyPatch, ctx: Context, accounts: list[Account], precinct: str) -> None:
    """Each account's entry form read now, served to ``submit_entry`` later: the read before the write."""
    seen = {a.name: c.entry_form(ctx, a, "small", precinct) for a in accounts}
    monkeypatch.setattr(c, "entry_form", lambda _ctx, account, _code, _precinct: seen[account.name])


def test_identical_first_entries_from_stale_forms_do_not_accept_without_a_code(
    app_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    who = members(app_ctx)
    d1, d2 = who["d1"], who["d2"]
    assert not c.entry_form(app_ctx, d2, "small", "P1").needs_totp  # both see an empty round
    stale_forms(monkeypatch, app_ctx, [d1, d2], "P1")
    assert c.submit_entry(app_ctx, d1, "small", "P1", raw(GOOD["P1"]), "", "").decision == "awaiting_second"
    with pytest.raises(AccessDenied) as err:  # the locked transaction sees d1's entry: this one would accept
        c.submit_entry(app_ctx, d2, "small", "P1", raw(GOOD["P1"]), "", "")
    assert err.value.code == "totp_required"
    assert "P1" not in versions(app_ctx)
    assert [e.operator for e in entries(app_ctx, "P1")] == ["d1"]  # nothing of d2's entry was written
    refused = audit(app_ctx, "protocols.enter")[-1]
    assert (refused["actor"], refused["outcome"], refused["details"]["code"]) == ("d2", "refused", "totp_required")
    with pytest.raises(AccessDenied):  # a wrong code is no better
        c.submit_entry(app_ctx, d2, "small", "P1", raw(GOOD["P1"]), "", "000000")
    with pytest.raises(AccessDenied):  # nor another member's code
        c.submit_entry(app_ctx, d2, "small", "P1", raw(GOOD["P1"]), "", code(app_ctx, "d1"))
    result = c.submit_entry(app_ctx, d2, "small", "P1", raw(GOOD["P1"]), "", code(app_ctx, "d2"))
    assert (result.decision, result.version) == ("agreed", 1)
    ok = [r for r in audit(app_ctx, "protocols.enter") if r["outcome"] == "ok"]
    assert [(r["actor"], r["details"]["factor"]) for r in ok] == [("d1", "none_required"), ("d2", "totp")]
    assert ok[-1]["details"]["totp_verified_for"] == "d2"


@pytest.mark.slow
def test_simultaneous_identical_first_entries_never_accept_without_a_code(app_ctx: Context) -> None:
    who = members(app_ctx)
    precincts = list(GOOD)
    barrier = threading.Barrier(2)
    refusals: list[str] = []
    errors: list[BaseException] = []

    def key(account: Account) -> None:
        for p in precincts:
            try:
                barrier.wait(timeout=60)
                c.submit_entry(app_ctx, account, "small", p, raw(GOOD[p]), "", "")
            except AccessDenied as exc:
                refusals.append(exc.code)
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=key, args=(who[name],)) for name in ("cen", "cen2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert versions(app_ctx) == {}  # no protocol counts without a verified code
    assert refusals == ["totp_required"] * len(precincts)  # one of each pair was asked for a code
    assert all(len(entries(app_ctx, p)) == 1 for p in precincts)
    refused = [r for r in audit(app_ctx, "protocols.enter") if r["outcome"] == "refused"]
    assert [r["details"]["code"] for r in refused] == ["totp_required"] * len(precincts)


def test_a_mismatch_resolution_needs_a_code_though_the_form_said_none(
    app_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    who = members(app_ctx)
    stale_forms(monkeypatch, app_ctx, [who["d1"], who["d2"], who["d3"]], "P1")
    c.submit_entry(app_ctx, who["d1"], "small", "P1", raw(GOOD["P1"]), "", "")
    mismatch = c.submit_entry(app_ctx, who["d2"], "small", "P1", raw(FIXED), "", code(app_ctx, "d2"))
    assert mismatch.decision == "mismatch"
    with pytest.raises(AccessDenied) as err:
        c.submit_entry(app_ctx, who["d3"], "small", "P1", raw(GOOD["P1"]), "", "")
    assert err.value.code == "totp_required"
    assert "P1" not in versions(app_ctx)
    assert [e.operator for e in entries(app_ctx, "P1")] == ["d1", "d2"]
    assert audit(app_ctx, "protocols.enter")[-1]["outcome"] == "refused"
    assert c.submit_entry(app_ctx, who["d3"], "small", "P1", raw(GOOD["P1"]), "", code(app_ctx, "d3")).version == 1


def test_a_correction_needs_a_code_though_the_form_said_none(app_ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    who = members(app_ctx)
    stale_forms(monkeypatch, app_ctx, [who["d1"], who["d2"], who["d3"]], "P1")
    c.submit_entry(app_ctx, who["d1"], "small", "P1", raw(GOOD["P1"]), "", "")
    assert c.submit_entry(app_ctx, who["d2"], "small", "P1", raw(GOOD["P1"]), "", code(app_ctx, "d2")).version == 1
    with pytest.raises(AccessDenied) as err:  # d3's form still shows the precinct missing
        c.submit_entry(app_ctx, who["d3"], "small", "P1", raw(FIXED), "recount of box 2", "")
    assert err.value.code == "totp_required"
    assert len(entries(app_ctx, "P1")) == 2  # the correction's entry was not written
    assert audit(app_ctx, "protocols.enter")[-1]["details"]["code"] == "totp_required"
    fixed = c.submit_entry(app_ctx, who["d3"], "small", "P1", raw(FIXED), "recount of box 2", code(app_ctx, "d3"))
    assert fixed.decision == "awaiting_second"
    assert audit(app_ctx, "protocols.enter")[-1]["details"]["factor"] == "totp"


def test_a_batch_needs_a_code_checked_in_the_transaction_that_enters_it(app_ctx: Context) -> None:
    cen = members(app_ctx)["cen"]
    batch = protocols_csv({"P1": GOOD["P1"], "P3": GOOD["P3"]})
    for given in ("", "000000"):
        with pytest.raises(AccessDenied) as err:
            c.upload_batch(app_ctx, cen, "small", batch, "upload.csv", given)
        assert err.value.code == "totp_required"
    assert entries(app_ctx, "P1") == []
    assert entries(app_ctx, "P3") == []
    refused = [r for r in audit(app_ctx, "protocols.enter") if r["outcome"] == "refused"]
    assert [(r["actor"], r["details"]["code"], r["details"]["factor"]) for r in refused] == [
        ("cen", "totp_required", "totp")
    ] * 2
    one = code(app_ctx, "cen")
    bad = protocols_csv({"P1": (*GOOD["P1"][:5], 600, *GOOD["P1"][6:])})
    with pytest.raises(InputError):  # refused for its figures: the code is not spent on a batch not entered
        c.upload_batch(app_ctx, cen, "small", bad, "upload.csv", one)
    rows = c.upload_batch(app_ctx, cen, "small", batch, "upload.csv", one)
    assert [r.decision for r in rows] == ["awaiting_second"] * 2
    ok = audit(app_ctx, "protocols.enter")[-1]
    assert (ok["outcome"], ok["details"]["factor"], ok["details"]["totp_verified_for"]) == ("ok", "totp", "cen")
    with pytest.raises(AccessDenied):  # and once used, the same code is a replay
        c.upload_batch(app_ctx, cen, "small", protocols_csv({"P2": GOOD["P2"]}), "upload.csv", one)


def test_a_phase_change_needs_a_code_checked_in_the_transaction_that_moves_it(app_ctx: Context) -> None:
    cen = members(app_ctx)["cen"]
    for given in ("", "000000"):
        with pytest.raises(AccessDenied) as err:
            c.change_phase(app_ctx, cen, "small", Phase.PROVISIONAL, given)
        assert err.value.code == "totp_required"
    assert c.board(app_ctx, cen, "small", None).phase is Phase.COUNTING
    refused = [r for r in audit(app_ctx, "phase.change") if r["outcome"] == "refused"]
    assert [(r["actor"], r["details"]["code"]) for r in refused] == [("cen", "totp_required")] * 2
    one = code(app_ctx, "cen")
    with pytest.raises(LifecycleError):  # no such step from counting: the code is not spent on it
        c.change_phase(app_ctx, cen, "small", Phase.FINAL, one)
    c.change_phase(app_ctx, cen, "small", Phase.PROVISIONAL, one)
    assert c.board(app_ctx, cen, "small", None).phase is Phase.PROVISIONAL
    ok = audit(app_ctx, "phase.change")[-1]
    assert (ok["outcome"], ok["details"]["factor"], ok["details"]["totp_verified_for"]) == ("ok", "totp", "cen")
    assert ok["details"]["to"] == "provisional"


def test_a_members_factor_attests_only_that_member(app_ctx: Context) -> None:
    with pytest.raises(AccessDenied) as err:
        advance(app_ctx, "small", Phase.PROVISIONAL, MemberTotp("cen", code(app_ctx, "cen")))  # actor: the test
    assert err.value.code == "factor_not_actor"
    as_d2 = Context(app_ctx.store, app_ctx.clock, "d2", app_ctx.settings)
    with pytest.raises(AccessDenied):
        enter_protocols(as_d2, "small", [], mode=Mode.LIVE, source="x.csv", factor=MemberTotp("d1", "123456"))


def test_the_command_line_is_a_local_operator_and_audited_as_such(app_ctx: Context, db_url: str, tmp_path) -> None:
    runner = CliRunner()
    (tmp_path / "a.csv").write_bytes(protocols_csv(GOOD))
    db = ["--db", db_url]
    for operator in ("alice", "bob"):
        result = runner.invoke(
            app, ["protocols", "import", "small", str(tmp_path / "a.csv"), "--operator", operator, *db]
        )
        assert result.exit_code == 0, result.output
    assert set(versions(app_ctx)) == set(GOOD)  # the second batch made every protocol count, with no code
    result = runner.invoke(app, ["phase", "small", "provisional", "--actor", "carol", *db])
    assert result.exit_code == 0, result.output
    enter = [(r["actor"], r["details"]["factor"]) for r in audit(app_ctx, "protocols.enter")]
    assert enter == [("alice", "local_cli"), ("bob", "local_cli")]
    phase = [(r["actor"], r["details"]["factor"], r["details"]["to"]) for r in audit(app_ctx, "phase.change")]
    assert phase[-1] == ("carol", "local_cli", "provisional")
    assert advance(app_ctx, "small", Phase.FINAL, LOCAL_CLI).after is Phase.FINAL
