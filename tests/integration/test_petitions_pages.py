"""The petitions' pages on SQLite and PostgreSQL (spec/petitions.md §12): the public page in kk/ru/en and its
JSON show counts only (no identifier, no name), a progress bar and its percentage against the threshold; the
commission's list shows every petition, the verification form to central members only, and a verification
run from it (CSRF, one-time code) qualifies the petition and links its recall vote."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from fastapi.testclient import TestClient
from tests.integration.members import PASSWORD, SignedIn, totp_secret
from tests.integration.petitions_scenario import IDS, PEOPLE, TERRITORY, event_json, register_csv, sheet_csv
from tests.unit.petitions_helpers import online

from saylau.api import create_app
from saylau.services.access.accounts import Role, create_account
from saylau.services.context import Context
from saylau.services.paper.events import create_event, import_territory
from saylau.services.petitions import create_petition, import_sheet
from saylau.services.register import ImportOptions, import_register
from saylau.services.secret_key import SecretKey
from saylau.services.settings import DeploymentSettings

KEY = SecretKey(bytes(range(32)))
DESK = "/commission/petitions"


def _secret(name: str) -> str:
    return totp_secret("petition-pages", name)


def _at(ctx: Context, when: str) -> None:
    ctx.clock.now = dt.datetime.fromisoformat(when).replace(tzinfo=dt.UTC)  # type: ignore[attr-defined]


@pytest.fixture
def signed(ctx: Context, tmp_path) -> Context:  # type: ignore[no-untyped-def]
    """Petition d7 (3 signatures required) with sheet S1's five lines, and a central and a district member."""
    ctx = dataclasses.replace(ctx, settings=DeploymentSettings(secret_key=KEY))
    _at(ctx, "2024-03-01T09:00:00")
    create_event(ctx, event_json("kar-base"), "base.json")
    import_territory(ctx, "kar-base", TERRITORY.encode(), "territory.csv", "csv")
    path = tmp_path / "register.csv"
    path.write_text(register_csv(), encoding="utf-8")
    import_register(ctx, path, ImportOptions(apply=True))
    create_petition(ctx, "d7", "kz-recall", "KAR-D7", dt.date(2024, 3, 10), dt.date(2024, 4, 10), count=3)
    _at(ctx, "2024-04-12T09:00:00")
    keyings = [("alice", sheet_csv().encode(), "a.csv"), ("bob", sheet_csv().encode(), "b.csv")]
    import_sheet(ctx, "d7", "S1", "collector-1", b"scan", keyings)
    create_account(ctx, "cen", Role.CENTRAL, PASSWORD, [], _secret("cen"))
    create_account(ctx, "dis", Role.DISTRICT, PASSWORD, ["KAR-D7"], _secret("dis"))
    return ctx


class Member(SignedIn):
    def __init__(self, ctx: Context, name: str):
        super().__init__(ctx, name, _secret(name), DESK)
        self.page = self.home_text

    def verify(self, code: str, seed: str = "") -> int:
        return self.send(f"{DESK}/{code}/verify", seed=seed).status_code


def test_the_public_page_shows_counts_only_in_three_languages(signed: Context) -> None:
    client = TestClient(create_app(signed))
    for lang, word in (("en", "Signatures required"), ("ru", "Требуется подписей"), ("kk", "Қажетті қолдар")):
        page = client.get(f"/petitions/d7?lang={lang}")
        assert page.status_code == 200
        assert word in page.text
        assert "data-percent>166.7%<" in page.text  # 5 received of 3 required
        assert 'style="width: 100%"' in page.text
        assert not any(i in page.text for i in IDS)
    facts = client.get("/api/petitions/d7").json()
    assert (facts["signatures"], facts["required"], facts["percent"], facts["outcome"]) == (5, 3, "166.7", None)
    assert not any(i in str(facts) for i in IDS)
    assert "Әлиев" not in str(facts)
    assert client.get("/petitions/nothing").status_code == 404


def test_only_a_central_member_verifies_from_the_commission_page(signed: Context) -> None:
    cen, dis = Member(signed, "cen"), Member(signed, "dis")
    assert 'data-form="verify"' in cen.page
    assert 'href="/commission/petitions?lang=en" data-petitions>Petitions<' in cen.page  # the layout's link
    assert 'data-form="verify"' not in dis.page
    assert 'data-petition-row="d7"' in dis.page
    assert dis.verify("d7") == 403
    assert cen.verify("d7", seed="12") == 400  # not a seed of 20 digits: shown on the page
    assert cen.verify("d7") == 303
    facts = TestClient(create_app(signed)).get("/api/petitions/d7").json()
    assert facts["outcome"]["qualified"]
    assert facts["outcome"]["recall_event"] == "recall-d7"
    assert 'href="/events/recall-d7?lang=en"' in TestClient(create_app(signed)).get("/petitions/d7").text


def _body(person: int, *, forge: bool = False, algorithm: str = "ed25519") -> dict[str, object]:
    sur, given, patr, born, _, _ = PEOPLE[person]
    name = " ".join(x for x in (sur, given, patr) if x)
    s = online("x", IDS[person], name, born, dt.date(2024, 4, 12), algorithm, seq=0, code="d7", forge=forge)  # type: ignore[arg-type]
    statement = {"petition": "d7", "identifier": IDS[person], "name": name, "birth_date": born.isoformat(),
                 "signed_on": "2024-04-12"}  # fmt: skip
    return {"statement": statement, "algorithm": algorithm, "public_key": s.public_key.hex(),
            "signature": s.signature.hex()}  # fmt: skip


def test_a_browser_signs_online_and_a_flood_waits(signed: Context) -> None:
    client = TestClient(create_app(signed))
    ok = client.post("/api/petitions/d7/signatures", json=_body(3))
    assert (ok.status_code, ok.json()) == (201, {"signature": "online:6"})  # after sheet S1's five lines
    assert client.post("/api/petitions/d7/signatures", json=_body(2, algorithm="ecdsa-p256")).status_code == 201
    forged = client.post("/api/petitions/d7/signatures", json=_body(1, forge=True))
    assert (forged.status_code, forged.json()["code"]) == (409, "petition_signature_refused")
    assert client.get("/api/petitions/d7").json()["online"] == 2  # nothing kept of the forged one
    assert client.post("/api/petitions/nothing/signatures", json=_body(1)).status_code == 404
    codes = [client.post("/api/petitions/d7/signatures", json=_body(1, forge=True)).status_code for _ in range(30)]
    assert codes[:16] == [409] * 16  # 20 attempts free (these and the 4 above)
    assert 429 in codes  # then every attempt from one address waits, doubling: none is forgiven
