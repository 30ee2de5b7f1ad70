"""The risk-limiting audit through its pages (TestClient, SQLite and PostgreSQL; spec/audit.md §15): a
whole audit of the small referendum done by members in the browser's forms (plan, manifest, the seed by
two central members, the draw, two operators per batch), a seed mismatch shown, a hand-count mismatch
whose figures only those who may not key it again see, the public page and its JSON in kk/ru/en, and the
refusals (403) of roles that may not act."""

from __future__ import annotations

import dataclasses
import hashlib
import html
import json
import re

import pytest
from fastapi.testclient import TestClient
from tests.elections import SMALL, load
from tests.integration.members import CSRF, PASSWORD, SignedIn, totp_secret

from saylau.api import create_app
from saylau.io.cvr import cvr_text
from saylau.model import Phase
from saylau.services.access.accounts import Role, create_account
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context
from saylau.services.paper.lifecycle import advance
from saylau.services.secret_key import SecretKey
from saylau.services.settings import DeploymentSettings

KEY = SecretKey(bytes(range(32)))
ACCOUNTS = {  # name: (role, units)
    "cen1": (Role.CENTRAL, []),
    "cen2": (Role.CENTRAL, []),
    "cen3": (Role.CENTRAL, []),
    "r2a": (Role.REGIONAL, ["R2"]),
    "r2b": (Role.REGIONAL, ["R2"]),
    "d1": (Role.DISTRICT, ["R1-D1"]),
    "obs": (Role.OBSERVER, []),
}
SEED = "12345678901234567890"
P3 = {"yes": "300", "no": "560", "invalid": "10", "not_counted": "10"}  # P3's reported figures
DESK = "/commission/events/small/rla"


def _secret(name: str) -> str:
    """A fixed TOTP secret per account (base32)."""
    return totp_secret("audit-pages", name)


@pytest.fixture
def final(ctx: Context) -> Context:
    """The small referendum, final, with the accounts above (and a key for their TOTP secrets)."""
    ctx = dataclasses.replace(ctx, settings=DeploymentSettings(secret_key=KEY))
    load(ctx, SMALL, operators=("alice", "bob"))
    advance(ctx, "small", Phase.PROVISIONAL, LOCAL_CLI)
    advance(ctx, "small", Phase.FINAL, LOCAL_CLI)
    for name, (role, units) in ACCOUNTS.items():
        create_account(ctx, name, role, PASSWORD, units, _secret(name))
    return ctx


class Member(SignedIn):
    """A signed-in member's browser: its own cookies and CSRF token."""

    def __init__(self, ctx: Context, name: str):
        super().__init__(ctx, name, _secret(name), DESK)

    def post(self, path: str, **form: str):  # type: ignore[no-untyped-def]
        return self.send(path, **form)

    def page(self, path: str = DESK) -> str:
        r = self.client.get(path)
        assert r.status_code == 200, r.text
        return CSRF.sub('name="csrf"', r.text)


def _to_seed(cen1: Member) -> None:
    assert cen1.post(DESK + "/plan", risk_limit="0.05", method="macro").status_code == 303
    assert "data-hardest" in cen1.page()
    assert cen1.post(DESK + "/manifest").status_code == 303


def test_a_whole_audit_through_the_pages(final: Context) -> None:
    cen1, cen2, r2a, r2b = (Member(final, n) for n in ("cen1", "cen2", "r2a", "r2b"))
    assert 'href="/commission/events/small/rla?lang=en" data-rla' in cen1.page("/commission")  # final: linked
    assert 'data-form="plan"' in cen1.page()
    assert 'data-form="plan"' not in r2a.page()  # only central members direct the audit
    _to_seed(cen1)
    page = cen1.page()
    assert 'data-form="seed"' in page
    assert re.search(r"data-manifest>.*<code>[0-9a-f]{64}</code>", page)
    assert cen1.post(DESK + "/seed", digits=SEED).status_code == 303
    assert "cen1" in cen2.page()  # the second member sees who made the first entry
    again = cen1.post(DESK + "/seed", digits=SEED)  # the same member again: refused, shown
    assert again.status_code == 409
    assert "data-refused" in again.text
    assert cen2.post(DESK + "/seed", digits=SEED).status_code == 303
    assert f"<code>{SEED}</code>" in cen1.page()
    assert cen1.post(DESK + "/draw").status_code == 303
    page = r2a.page()
    assert 'data-batch="P3" data-state="to_count"' in page
    assert f"{DESK}/batches/P3" in page
    form = r2a.page(DESK + "/batches/P3")
    assert 'data-form="count"' in form
    first = r2a.post(DESK + "/batches/P3", **P3)
    assert first.status_code == 200
    assert "data-kept" in first.text
    assert 'data-state="awaiting_second"' in first.text
    assert 'data-form="count"' not in r2a.page(DESK + "/batches/P3")  # keyed once: not again
    second = r2b.page(DESK + "/batches/P3")
    assert "560" not in second  # blind: the second operator does not see the first's figures
    accepted = r2b.post(DESK + "/batches/P3", **P3)
    assert accepted.status_code == 200
    assert (
        "data-hand-count>Hand count: Yes 300 · No 560 · Invalid 10 · Not counted 10 (Entered by: r2a, r2b)"
        in accepted.text
    )
    page = cen1.page()
    assert 'data-batch="P3" data-state="accepted"' in page
    assert 'data-outcome="confirmed"' in page
    assert re.search(r'data-risk="[^"]+"><td>[^<]+</td><td>0\.0', page)
    facts = cen1.client.get("/events/small/audit.json").json()
    assert facts["finish"]["outcome"] == "confirmed"
    batch = facts["rounds"][0]["batches"][0]
    assert batch["hand_count"] == {k: int(v) for k, v in P3.items()}
    assert batch["discrepancy"] == {}
    assert batch["operators"] == ["r2a", "r2b"]
    assert facts["seed"] == SEED
    manifest = cen1.client.get("/events/small/audit/manifest.json")
    assert manifest.status_code == 200
    assert manifest.headers["x-content-sha256"] == facts["manifest"]["sha256"]
    assert 'data-form="draw"' not in page  # finished: nothing more to draw


def test_a_seed_mismatch_is_shown_and_nothing_is_entered(final: Context) -> None:
    cen1, cen2 = Member(final, "cen1"), Member(final, "cen2")
    _to_seed(cen1)
    assert cen1.post(DESK + "/seed", digits=SEED).status_code == 303
    refused = cen2.post(DESK + "/seed", digits="1" + SEED[1:][::-1])
    assert refused.status_code == 409
    assert "data-refused" in refused.text
    assert "differs from the first" in refused.text
    facts = cen1.client.get("/events/small/audit.json").json()
    assert facts["seed"] is None
    assert facts["seed_entries"] == 1
    bad = cen2.post(DESK + "/seed", digits="12345")  # not 20 digits: refused as such
    assert bad.status_code == 400
    assert "data-refused" in bad.text
    assert cen2.post(DESK + "/seed", digits=SEED).status_code == 303


def test_a_hand_count_mismatch_shows_the_figures_only_to_who_may_not_key_it(final: Context) -> None:
    cen1, cen2, cen3, r2a, r2b, d1, obs = (Member(final, n) for n in ACCOUNTS)
    _to_seed(cen1)
    cen1.post(DESK + "/seed", digits=SEED)
    cen2.post(DESK + "/seed", digits=SEED)
    cen1.post(DESK + "/draw")
    r2a.post(DESK + "/batches/P3", **P3)
    wrong = P3 | {"yes": "299", "no": "561"}  # as many ballots as the manifest lists
    mismatch = r2b.post(DESK + "/batches/P3", **wrong)
    assert mismatch.status_code == 200
    assert 'data-state="mismatch"' in mismatch.text
    for operator in (r2a, r2b):  # the operators see the state, never the figures
        page = operator.page()
        assert 'data-state="mismatch"' in page
        assert "data-differences" not in page
        assert "561" not in page
    for reader in (cen3, obs):
        page = reader.page()
        assert 'data-differences="P3"' in page
        assert "Yes (300 / 299); No (560 / 561)" in page
    assert "561" not in d1.page()  # a district member of another unit sees no figures of P3
    public = cen1.client.get("/events/small/audit").text
    assert "561" not in public  # the public page shows accepted hand counts only
    assert 'data-state="mismatch"' in public
    # a third entry, by a central member, agreeing with one of them accepts the batch
    assert 'data-form="count"' in cen3.page(DESK + "/batches/P3")
    assert cen3.post(DESK + "/batches/P3", **wrong).status_code == 200
    facts = cen1.client.get("/events/small/audit.json").json()
    batch = facts["rounds"][0]["batches"][0]
    assert batch["state"] == "accepted"
    assert batch["discrepancy"] == {"yes": -1, "no": 1}
    assert "<td data-discrepancy>Yes -1, No +1</td>" in cen1.client.get("/events/small/audit?lang=en").text


def test_roles_that_may_not_act_are_refused(final: Context) -> None:
    cen1, r2a, d1, obs = (Member(final, n) for n in ("cen1", "r2a", "d1", "obs"))
    assert r2a.post(DESK + "/plan", risk_limit="0.05", method="macro").status_code == 403
    assert obs.post(DESK + "/plan", risk_limit="0.05", method="macro").status_code == 403
    _to_seed(cen1)
    assert r2a.post(DESK + "/seed", digits=SEED).status_code == 403
    assert obs.post(DESK + "/seed", digits=SEED).status_code == 403
    cen1.post(DESK + "/seed", digits=SEED)
    Member(final, "cen2").post(DESK + "/seed", digits=SEED)
    assert d1.post(DESK + "/draw").status_code == 403
    assert cen1.post(DESK + "/draw").status_code == 303
    assert d1.post(DESK + "/batches/P3", **P3).status_code == 403  # P3 is not under R1-D1
    assert obs.post(DESK + "/batches/P3", **P3).status_code == 403
    assert 'data-form="count"' not in obs.page(DESK + "/batches/P3")
    assert d1.client.get(DESK + "/batches/P3").status_code == 403  # not under d1's units
    no_csrf = r2a.client.post(DESK + "/batches/P3", data={"totp": r2a.totp(), **P3}, follow_redirects=False)
    assert no_csrf.status_code == 403
    no_code = r2a.client.post(DESK + "/batches/P3", data={"csrf": r2a.csrf, "totp": "000000", **P3})
    assert no_code.status_code == 403
    smuggled = r2a.post(DESK + "/batches/P3", **(P3 | {"not_counted": "10\rP1,1,1,1,1"}))  # a second CSV row
    assert smuggled.status_code == 422
    facts = cen1.client.get("/events/small/audit.json").json()
    assert facts["rounds"][0]["batches"][0]["state"] == "to_count"  # nothing of the refused was entered


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_public_page_and_json_render_in_each_language(final: Context, lang: str) -> None:
    c = TestClient(create_app(final))
    none = c.get(f"/events/small/audit?lang={lang}")
    assert none.status_code == 200
    assert "data-no-audit" in none.text
    assert c.get("/events/small/audit.json").status_code == 404
    cen1 = Member(final, "cen1")
    _to_seed(cen1)
    page = c.get(f"/events/small/audit?lang={lang}")
    assert page.status_code == 200
    assert f'lang="{lang}"' in page.text
    words = {"kk": "Тәуекелі шектелген аудит", "ru": "Аудит с ограничением риска", "en": "Risk-limiting audit"}
    assert words[lang] in page.text
    facts = c.get("/events/small/audit.json").json()
    assert facts["manifest"]["sha256"] in page.text
    assert facts["plan"]["hardest"] in page.text
    # the plan's sentences in the page's language, from the terms beside the English statement
    yes = {"kk": "«Иә» дауыстары", "ru": "голоса «за»", "en": "Yes votes"}
    why = {"kk": "сұйылтылған маржасы ең кіші", "ru": "наименьший разбавленный запас", "en": "smallest diluted margin"}
    for x in facts["plan"]["assertions"]:
        assert set(x["terms"]) == {"num", "den", "op", "threshold", "holds"}
    assert re.search(r"<td data-statement>[^<]*" + re.escape(html.escape(yes[lang], quote=False)), page.text)
    assert why[lang] in page.text
    if lang != "en":
        assert "Yes votes" not in page.text
        assert "smallest diluted margin" not in page.text
        desk = cen1.page(DESK + f"?lang={lang}")
        assert html.escape(yes[lang], quote=False) in desk
        assert why[lang] in desk
        assert "Yes votes" not in desk
    results = c.get(f"/events/small?lang={lang}").text
    assert f'href="/events/small/audit?lang={lang}" data-audit' in results


def test_a_polling_audit_shows_the_drawn_ballots_and_refuses_a_count_of_other_ballots(final: Context) -> None:
    cen1, cen2, r2a = Member(final, "cen1"), Member(final, "cen2"), Member(final, "r2a")
    assert cen1.post(DESK + "/plan", risk_limit="1/20", method="bravo").status_code == 303
    assert cen1.post(DESK + "/manifest").status_code == 303
    cen1.post(DESK + "/seed", digits=SEED)
    cen2.post(DESK + "/seed", digits=SEED)
    assert cen1.post(DESK + "/draw").status_code == 303
    facts = cen1.client.get("/events/small/audit.json").json()
    assert facts["method"] == "bravo"
    batches = facts["rounds"][0]["batches"]
    assert sum(b["drawn"] for b in batches) == facts["rounds"][0]["draws"]
    assert all(len(b["positions"]) == b["drawn"] for b in batches)
    p3 = next((b for b in batches if b["batch"] == "P3"), None)
    assert p3 is not None  # the tight unit R2's one precinct
    form = r2a.page(DESK + "/batches/P3")
    assert ", ".join(str(p) for p in p3["positions"]) in form
    wrong = {"yes": str(p3["drawn"] + 1), "no": "0", "invalid": "0", "not_counted": "0"}
    refused = r2a.post(DESK + "/batches/P3", **wrong)
    assert refused.status_code == 422
    assert f"{p3['drawn']} drawn from this batch" in refused.text
    right = {"yes": "0", "no": str(p3["drawn"]), "invalid": "0", "not_counted": "0"}
    assert r2a.post(DESK + "/batches/P3", **right).status_code == 200
    after = cen1.client.get("/events/small/audit.json").json()["rounds"][0]["batches"]
    assert next(b for b in after if b["batch"] == "P3")["state"] == "awaiting_second"


def test_a_comparison_audit_reads_each_drawn_ballot_in_the_form(final: Context) -> None:
    """spec/audit.md §18 on the pages: the batch form asks for each drawn ballot's reading by position (blind
    double entry as for counts), and the public page names the method."""
    cen1, cen2, r2a, r2b = (Member(final, n) for n in ("cen1", "cen2", "r2a", "r2b"))
    assert 'value="comparison"' in cen1.page()
    assert cen1.post(DESK + "/plan", risk_limit="1/20", method="comparison").status_code == 303
    assert cen1.post(DESK + "/manifest").status_code == 303
    cen1.post(DESK + "/seed", digits=SEED)
    cen2.post(DESK + "/seed", digits=SEED)
    assert cen1.post(DESK + "/draw").status_code == 303
    facts = cen1.client.get("/events/small/audit.json").json()
    assert facts["method"] == "comparison"
    p3 = next(b for b in facts["rounds"][0]["batches"] if b["batch"] == "P3")
    positions = sorted(set(p3["positions"]))
    form = r2a.page(DESK + "/batches/P3")
    assert all(f'name="reading_{p}"' in form for p in positions)
    assert 'name="yes"' not in form
    wrong = r2a.post(DESK + "/batches/P3", **{f"reading_{positions[0]}": "no"} if len(positions) > 1 else {})
    assert wrong.status_code == 422  # not every drawn ballot read (or none at all)
    readings = {f"reading_{p}": "no" for p in positions}  # P3 (region R2) reported against
    assert r2a.post(DESK + "/batches/P3", **readings).status_code == 200
    accepted = r2b.post(DESK + "/batches/P3", **readings)
    assert accepted.status_code == 200
    after = cen1.client.get("/events/small/audit.json").json()["rounds"][0]["batches"]
    assert next(b for b in after if b["batch"] == "P3")["state"] == "accepted"
    assert "ballot comparison with cast-vote records" in cen1.page("/events/small/audit?lang=en")


def _p3_cvr(flip: int = 0) -> bytes:
    """P3's cast-vote records in its protocol's figures (``flip`` Yes ballots read as No: totals off)."""
    ballots = [*["yes"] * (300 - flip), *["no"] * (560 + flip), *["invalid"] * 10, *["not_counted"] * 10]
    return ("position,reading\n" + "".join(f"{i},{c}\n" for i, c in enumerate(ballots, 1))).encode()


def test_a_precincts_cast_vote_records_are_uploaded_on_the_desk_before_the_manifest(final: Context) -> None:
    """spec/audit.md §18 on the pages: a central member uploads a precinct's records (multipart, one-time
    code); records whose totals are not the protocol's are refused by name and nothing is kept; other
    members may not upload; the manifest then lists the precinct's records by their SHA-256."""
    cen1, r2a = Member(final, "cen1"), Member(final, "r2a")
    assert cen1.post(DESK + "/plan", risk_limit="1/20", method="comparison").status_code == 303
    desk = cen1.page()
    assert 'data-form="cvr"' in desk
    assert 'enctype="multipart/form-data"' in desk

    def upload(member: Member, unit: str, data: bytes):  # type: ignore[no-untyped-def]
        form = {"csrf": member.csrf, "totp": member.totp(), "unit": unit}
        files = {"cvr": ("p3.csv", data, "text/csv")}
        return member.client.post(DESK + "/cvr", data=form, files=files, follow_redirects=False)

    wrong = upload(cen1, "P3", _p3_cvr(flip=1))
    assert wrong.status_code == 422
    assert "ballot(s) read yes, the precinct&#39;s final protocol has 300" in wrong.text
    refused = upload(r2a, "P3", _p3_cvr())
    assert refused.status_code == 403
    assert upload(cen1, "P3", _p3_cvr()).status_code == 303
    again = upload(cen1, "P3", _p3_cvr())
    assert again.status_code == 409  # a precinct's records are entered once
    assert cen1.post(DESK + "/manifest").status_code == 303
    assert 'data-form="cvr"' not in cen1.page()  # after the manifest: no more records
    manifest = json.loads(cen1.client.get("/events/small/audit/manifest.json").content)
    listed = {b["id"]: b.get("cvr") for b in manifest["batches"]}
    readings = [line.split(",")[1] for line in _p3_cvr().decode().splitlines()[1:]]
    assert listed["P3"] == hashlib.sha256(cvr_text(readings).encode()).hexdigest()  # its canonical text's
    assert [b for b, h in listed.items() if h] == ["P3"]
