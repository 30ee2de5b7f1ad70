"""The audit's one-time code is checked and consumed inside the transaction that writes (issue 11).

Each audit action on the commission pages (plan, manifest, seed, draw, a hand count) takes the member's
code as the use case's second factor (``access.factor.MemberTotp``), attested under the audit's lock in
the transaction of the write: a refused write spends no code and writes nothing (the refusal is audited),
a code attests one write only, even when two are sent at the same moment, and the write's audit row says
how it was attested. The command line attests as the local operator (``local_cli``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from typing import Any

import pyotp
import pytest
from tests.integration.test_audit_pages import SEED, _secret, final  # noqa: F401  # the fixture

from saylau.model import NotFound
from saylau.services.access.accounts import AccessDenied, Account, list_accounts
from saylau.services.access.factor import LOCAL_CLI, MemberTotp
from saylau.services.audit import desk as d
from saylau.services.audit.reading import audit_view, public_json
from saylau.services.audit.workflow import plan_audit
from saylau.services.context import Context


def members(ctx: Context) -> dict[str, Account]:
    return {a.name: a for a in list_accounts(ctx)}


def code(ctx: Context, name: str) -> str:
    ctx.clock.now += dt.timedelta(seconds=31)  # type: ignore[attr-defined]  # a fresh TOTP step
    return pyotp.TOTP(_secret(name)).at(ctx.clock.now)  # type: ignore[attr-defined]


def audit(ctx: Context, action: str) -> list[dict[str, Any]]:
    with ctx.store.transaction() as tx:
        return [r for r in tx.audit_rows("small") if r["action"] == action]


def facts(ctx: Context) -> dict[str, Any]:
    return public_json(audit_view(ctx, "small"))


def test_a_refused_write_spends_no_code_and_writes_nothing(final: Context) -> None:  # noqa: F811
    cen1 = members(final)["cen1"]
    for given in ("", "000000"):
        with pytest.raises(AccessDenied) as err:
            d.desk_plan(final, cen1, "small", "0.05", "macro", given)
        assert err.value.code == "totp_required"
    with pytest.raises(NotFound):  # no audit was planned
        audit_view(final, "small")
    refused = [r for r in audit(final, "audit.plan") if r["outcome"] == "refused"]
    assert [(r["actor"], r["details"]["code"], r["details"]["factor"]) for r in refused] == [
        ("cen1", "totp_required", "totp")
    ] * 2
    one = code(final, "cen1")
    with pytest.raises(NotFound):  # no plan yet: the manifest is refused, and the code is not spent
        d.desk_manifest(final, cen1, "small", one)
    d.desk_plan(final, cen1, "small", "0.05", "macro", one)
    ok = audit(final, "audit.plan")[-1]
    assert (ok["outcome"], ok["details"]["factor"], ok["details"]["totp_verified_for"]) == ("ok", "totp", "cen1")
    with pytest.raises(AccessDenied) as err:  # once used, the same code is a replay: nothing published
        d.desk_manifest(final, cen1, "small", one)
    assert err.value.code == "totp_required"
    assert facts(final)["manifest"] is None
    d.desk_manifest(final, cen1, "small", code(final, "cen1"))
    assert facts(final)["manifest"] is not None
    assert audit(final, "audit.manifest")[-1]["details"]["factor"] == "totp"


def test_the_seed_draw_and_hand_count_each_take_a_code_in_their_transaction(final: Context) -> None:  # noqa: F811
    who = members(final)
    d.desk_plan(final, who["cen1"], "small", "0.05", "macro", code(final, "cen1"))
    d.desk_manifest(final, who["cen1"], "small", code(final, "cen1"))
    with pytest.raises(AccessDenied):
        d.desk_seed(final, who["cen1"], "small", SEED, "000000")
    assert facts(final)["seed_entries"] == 0
    d.desk_seed(final, who["cen1"], "small", SEED, code(final, "cen1"))
    d.desk_seed(final, who["cen2"], "small", SEED, code(final, "cen2"))
    with pytest.raises(AccessDenied):
        d.desk_draw(final, who["cen1"], "small", "")
    assert facts(final)["rounds"] == []
    d.desk_draw(final, who["cen1"], "small", code(final, "cen1"))
    figures = {"yes": "300", "no": "560", "invalid": "10", "not_counted": "10"}
    with pytest.raises(AccessDenied):
        d.desk_enter(final, who["r2a"], "small", "P3", figures, "123456")
    assert facts(final)["rounds"][0]["batches"][0]["state"] == "to_count"
    d.desk_enter(final, who["r2a"], "small", "P3", figures, code(final, "r2a"))
    assert facts(final)["rounds"][0]["batches"][0]["state"] == "awaiting_second"
    for action in ("audit.seed", "audit.draw", "audit.enter"):
        rows = audit(final, action)
        assert [r["outcome"] for r in rows][:2] == ["refused", "ok"]
        assert rows[1]["details"]["factor"] == "totp"


def test_a_code_attests_its_own_member_only(final: Context) -> None:  # noqa: F811
    as_cen1 = dataclasses.replace(final, actor="cen1")
    factor = MemberTotp("cen2", code(final, "cen2"))  # cen2's valid code, for a step by cen1
    with pytest.raises(AccessDenied) as err:
        plan_audit(as_cen1, "small", factor=factor)
    assert err.value.code == "factor_not_actor"
    with pytest.raises(NotFound):
        audit_view(final, "small")
    plan_audit(final, "small", factor=LOCAL_CLI)
    assert audit(final, "audit.plan")[-1]["details"]["factor"] == "local_cli"


def test_a_code_cannot_attest_two_writes_at_the_same_moment(final: Context) -> None:  # noqa: F811
    """Two hand counts by one member of two drawn batches, sent together with one code: one is kept."""
    who = members(final)
    d.desk_plan(final, who["cen1"], "small", "1/20", "bravo", code(final, "cen1"))
    d.desk_manifest(final, who["cen1"], "small", code(final, "cen1"))
    d.desk_seed(final, who["cen1"], "small", SEED, code(final, "cen1"))
    d.desk_seed(final, who["cen2"], "small", SEED, code(final, "cen2"))
    d.desk_draw(final, who["cen1"], "small", code(final, "cen1"))
    batches = facts(final)["rounds"][0]["batches"]
    assert len(batches) >= 2
    one = code(final, "cen3")
    barrier = threading.Barrier(2)
    kept: list[str] = []
    refusals: list[str] = []
    errors: list[BaseException] = []

    def count(batch: dict[str, Any]) -> None:
        figures = {"yes": str(batch["drawn"]), "no": "0", "invalid": "0", "not_counted": "0"}
        try:
            barrier.wait(timeout=60)
            d.desk_enter(final, who["cen3"], "small", batch["batch"], figures, one)
            kept.append(batch["batch"])
        except AccessDenied as exc:
            refusals.append(exc.code)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=count, args=(b,)) for b in batches[:2]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert len(kept) == 1
    assert refusals == ["totp_required"]
    states = {b["batch"]: b["state"] for b in facts(final)["rounds"][0]["batches"]}
    assert states[kept[0]] == "awaiting_second"
    assert [states[b["batch"]] for b in batches[:2] if b["batch"] != kept[0]] == ["to_count"]
    outcomes = [(r["outcome"], r["details"].get("code")) for r in audit(final, "audit.enter")]
    assert sorted(outcomes, key=str) == sorted([("ok", None), ("refused", "totp_required")], key=str)
