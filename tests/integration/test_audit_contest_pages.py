"""An election contest's risk-limiting audit through its pages (TestClient, SQLite and PostgreSQL;
spec/audit.md §15): the mini election's party list planned from the commission page (the contest chosen in
the plan form), its manifest, seed and draw, the drawn batches hand counted per option by two central
members (a mismatch shown with the parties' names to who may not key it again), confirmed; the public page
in kk/ru/en with the parties' names, the reported seats and each assertion's statement in the page's
language, audit.json with the contest's facts, and a static release with the audit's pages."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from tests.elections import MINI, load
from tests.integration.members import PASSWORD, SignedIn, totp_secret

from saylau.model import Phase, QuestionCode
from saylau.services.access.accounts import Role, create_account
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.audit.parallel import observer_account, submit_copy
from saylau.services.audit.release import published_audit
from saylau.services.context import Context
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.publication import publish_release
from saylau.services.secret_key import SecretKey
from saylau.services.settings import DeploymentSettings

KEY = SecretKey(bytes(range(32)))
ACCOUNTS = {"cen1": Role.CENTRAL, "cen2": Role.CENTRAL, "cen3": Role.CENTRAL, "obs": Role.OBSERVER}
SEED = "31415926535897932384"
# The mini election's protocols (tests/elections/mini-election/protocols.csv): the list's votes and invalid
LIST = {
    "P1": {"amanat": 400, "auyl": 100, "respublica": 60, "against_all": 30, "invalid": 10},
    "P2": {"amanat": 300, "auyl": 120, "respublica": 50, "against_all": 20, "invalid": 10},
    "P3": {"amanat": 450, "auyl": 90, "respublica": 100, "against_all": 40, "invalid": 20},
    "P4": {"amanat": 40, "auyl": 5, "respublica": 10, "against_all": 5, "invalid": 0},
}


def _secret(name: str) -> str:
    return totp_secret("audit-contest-pages", name)


@pytest.fixture
def final(ctx: Context) -> tuple[Context, str]:
    ctx = dataclasses.replace(ctx, settings=DeploymentSettings(secret_key=KEY))
    code = load(ctx, MINI, operators=("alice", "bob"))
    advance(ctx, code, Phase.PROVISIONAL, LOCAL_CLI)
    advance(ctx, code, Phase.FINAL, LOCAL_CLI)
    for name, role in ACCOUNTS.items():
        create_account(ctx, name, role, PASSWORD, [], _secret(name))
    return ctx, code


class Member(SignedIn):
    def __init__(self, ctx: Context, code: str, name: str):
        self.desk = f"/commission/events/{code}/rla"
        super().__init__(ctx, name, _secret(name), self.desk)

    def post(self, path: str, **form: str | int):  # type: ignore[no-untyped-def]
        return self.send(self.desk + path, **{k: str(v) for k, v in form.items()})

    def page(self, path: str = "") -> str:
        r = self.client.get(self.desk + path)
        assert r.status_code == 200, r.text
        return r.text


def _manifest_seed_draw(cen1: Member, cen2: Member) -> None:
    assert cen1.post("/manifest").status_code == 303
    assert cen1.post("/seed", digits=SEED).status_code == 303
    assert cen2.post("/seed", digits=SEED).status_code == 303
    assert cen1.post("/draw").status_code == 303


def _static_release(ctx: Context, code: str, out: Path, facts: dict[str, object], manifest: bytes) -> None:
    """The static release holds the same page, audit.json and the manifest's bytes (spec/formats.md §9)."""
    publish_release(ctx, code, out, audit=published_audit(ctx, code))
    assert json.loads((out / "audit.json").read_text(encoding="utf-8")) == facts
    assert (out / "audit" / "manifest.json").read_bytes() == manifest
    assert "«AMANAT»" in (out / "ru" / "audit.html").read_text(encoding="utf-8")
    assert "data-audit" in (out / "kk" / "units" / "KZ.html").read_text(encoding="utf-8")  # the results link to it


def test_a_party_list_audit_through_the_pages(final: tuple[Context, str], tmp_path: Path) -> None:
    ctx, code = final
    cen1, cen2, cen3, obs = (Member(ctx, code, n) for n in ACCOUNTS)
    page = cen1.page()
    assert 'name="contest" data-contests><option value="list">' in page  # the election's contests; no question
    assert all(f'<option value="{c}">' in page for c in ("list", "smd-1", "smd-2"))
    assert cen1.post("/plan", risk_limit="0.05", method="macro", contest="list").status_code == 303
    page = cen1.page()
    assert 'data-contest="list"' in page
    assert "data-reported-outcome>AMANAT: 7 · Auyl: 2 · Respublica: 1</td>" in page
    assert "<td data-statement>Auyl reaches the 5% threshold (≥ 5% of the votes for every option)</td>" in page
    _manifest_seed_draw(cen1, cen2)
    facts = cen1.client.get(f"/events/{code}/audit.json").json()
    assert facts["contest"] == "list"
    assert facts["kind"] == "party_list"
    assert "question" not in facts
    assert facts["plan"]["seats"] == {"amanat": 7, "auyl": 2, "respublica": 1}
    assert [o["code"] for o in facts["plan"]["options"]] == ["amanat", "auyl", "respublica", "against_all"]
    batches = [b["batch"] for b in facts["rounds"][0]["batches"]]
    assert batches
    assert facts["rounds"][0]["batches"][0]["reported"] == LIST[batches[0]]
    first = batches[0]
    form = cen1.page(f"/batches/{first}")
    assert '<label for="f-amanat">AMANAT</label>' in form
    assert '<label for="f-invalid">Invalid or blank</label>' in form
    wrong = LIST[first] | {"amanat": LIST[first]["amanat"] - 1, "auyl": LIST[first]["auyl"] + 1}
    assert cen1.post(f"/batches/{first}", **LIST[first]).status_code == 200
    mismatch = cen2.post(f"/batches/{first}", **wrong)
    assert 'data-state="mismatch"' in mismatch.text
    for reader in (cen3, obs):  # who may not key it again sees the differing fields by the parties' names
        assert f"AMANAT ({LIST[first]['amanat']} / {LIST[first]['amanat'] - 1}); Auyl (" in reader.page()
    assert "data-differences" not in cen1.page()
    assert cen3.post(f"/batches/{first}", **wrong).status_code == 200  # agrees with cen2's: accepted
    for b in batches[1:]:
        assert cen1.post(f"/batches/{b}", **LIST[b]).status_code == 200
        assert cen2.post(f"/batches/{b}", **LIST[b]).status_code == 200
    facts = cen1.client.get(f"/events/{code}/audit.json").json()
    assert facts["finish"]["outcome"] == "confirmed"
    accepted = facts["rounds"][0]["batches"][0]
    assert accepted["hand_count"] == wrong
    assert accepted["discrepancy"] == {"amanat": -1, "auyl": 1}
    assert accepted["operators"] == ["cen2", "cen3"]
    assert all(r["confirmed"] == "yes" for r in facts["rounds"][0]["risks"])
    public = {lang: cen1.client.get(f"/events/{code}/audit?lang={lang}").text for lang in ("en", "ru", "kk")}
    assert "<td data-discrepancy>AMANAT -1, Auyl +1</td>" in public["en"]
    assert 'data-outcome="confirmed"' in public["en"]
    assert "«Auyl» преодолевает порог 5% (≥ 5% от голосов за все варианты)" in public["ru"]
    assert "«Auyl» 5% шегінен өтеді (барлық нұсқаларға берілген дауыстардың 5% ≥)" in public["kk"]
    assert "место № 7 списка «AMANAT»" in public["ru"]
    manifest = cen1.client.get(f"/events/{code}/audit/manifest.json")
    assert manifest.headers["x-content-sha256"] == facts["manifest"]["sha256"]
    assert json.loads(manifest.content)["contest"] == "list"
    _static_release(ctx, code, tmp_path / "site", facts, manifest.content)


def test_a_targeted_batch_the_draw_missed_is_counted_from_its_page(final: tuple[Context, str]) -> None:
    """spec/audit.md §13a, §15: the embassy's copy differs on the party list; the seed's draws miss it, so the
    round lists it after the drawn batches, and its hand-count form is there for the central members."""
    ctx, code = final
    figures = {
        QuestionCode("list"): {"registered": 100, "received": 100, "issued": 60, "cancelled": 40, "participated": 60,
                               "invalid": 0, "amanat": 39, "auyl": 6, "respublica": 10, "against_all": 5},
    }  # fmt: skip
    submit_copy(ctx, code, "P4", figures, b"\x89PNG\r\n\x1a\n" + bytes(64), observer_account(ctx, "obs"))
    cen1, cen2 = Member(ctx, code, "cen1"), Member(ctx, code, "cen2")
    assert cen1.post("/plan", risk_limit="0.05", method="macro", contest="list").status_code == 303
    assert cen1.post("/manifest").status_code == 303
    for member in (cen1, cen2):
        assert member.post("/seed", digits="27182818284590452353").status_code == 303  # its draws miss P4
    assert cen1.post("/draw").status_code == 303
    page = cen1.page()
    assert 'data-batch="P4" data-state="to_count" data-targeted>' in page
    assert "/rla/batches/P4" in page
    assert 'data-form="count"' in cen1.page("/batches/P4")
    assert cen1.post("/batches/P4", **LIST["P4"]).status_code == 200
    assert 'data-state="accepted"' in cen2.post("/batches/P4", **LIST["P4"]).text
    targeted = cen1.client.get(f"/events/{code}/audit.json").json()["rounds"][0]["targeted"]
    assert [(b["batch"], b["drawn"], b["state"]) for b in targeted] == [("P4", 0, "accepted")]
