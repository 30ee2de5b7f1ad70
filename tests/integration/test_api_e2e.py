"""The e2e JSON API and pages (booth, bulletin board) on SQLite and PostgreSQL, with ballots made in Python."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

import httpx2 as httpx
import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from tests.elections.e2e import open_e2e

from saylau.api import create_app
from saylau.crypto import codec
from saylau.crypto.ballot import BallotSecrets, EncryptedBallot, ballot_hash, encrypt_ballot, open_spoiled
from saylau.crypto.credentials import CredentialSecret, SigningKey, signing_key
from saylau.crypto.group import Element
from saylau.crypto.tracking import genesis_code, next_tracking_code
from saylau.record.events import Manifest, Revote
from saylau.services.context import Context
from saylau.services.e2e.demo import YES_NO
from saylau.services.e2e.lifecycle import close_election, setup_election

RNG = secrets.token_bytes
PROBLEM = "application/problem+json"
CODE = "api-e2e"


@dataclass(frozen=True)
class Open:
    client: TestClient
    fingerprint: str
    key: Element
    voters: list[CredentialSecret]

    def ballot(self, voter: int, choice: int, ballot_id: str | None = None) -> tuple[EncryptedBallot, BallotSecrets]:
        signer: SigningKey = signing_key(self.voters[voter], self.fingerprint)
        bid = ballot_id or RNG(12).hex()
        return encrypt_ballot(YES_NO, [[choice, 1 - choice]], self.key, self.fingerprint, bid, signer, RNG)


def _open(ctx: Context, *, revote: Revote = "last", voters: int = 3, register: bool = True) -> Open:
    el = open_e2e(ctx, CODE, voters=voters, guardians=2, quorum=1, revote=revote, register=register)
    return Open(TestClient(create_app(ctx)), el.fingerprint, el.joint_key, el.voters)


def _refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["code"] == code


def test_device_info_cast_board_and_lookup(ctx: Context) -> None:
    e = _open(ctx)
    info = e.client.get(f"/api/e2e/{CODE}").json()
    assert info["fingerprint"] == e.fingerprint
    assert info["phase"] == "voting"
    assert info["joint_key"] == e.key.hex()
    assert info["manifest"]["questions"] == [
        {"question_id": "q1", "options": ["yes", "no"], "min_selections": 1, "max_selections": 1}
    ]
    _refused(e.client.get("/api/e2e/nope"), 404, "not_found")

    ballot, _ = e.ballot(0, 1)
    response = e.client.post(f"/api/e2e/{CODE}/ballots", content=codec.dumps(ballot))
    assert response.status_code == 201, response.text
    receipt = response.json()
    expected = next_tracking_code(e.fingerprint, genesis_code(e.fingerprint), ballot_hash(ballot, e.fingerprint))
    assert receipt["tracking_code"] == {"full": expected.full, "short": expected.short}
    assert receipt["ballot_id"] == ballot.ballot_id
    assert receipt["board"] == f"/e2e/{CODE}/board?tracking={expected.full}"

    board = e.client.get(f"/api/e2e/{CODE}/board").json()
    assert (board["cast"], board["spoiled"], board["phase"]) == (1, 0, "voting")
    (entry,) = board["entries"]
    assert entry == {
        "kind": "cast",
        "height": receipt["height"],
        "ballot_id": ballot.ballot_id,
        "ballot_hash": ballot_hash(ballot, e.fingerprint),
        "tracking_code": receipt["tracking_code"],
    }
    for query in (expected.full, expected.full.upper(), expected.short, expected.short.lower().replace("-", "")):
        assert e.client.get(f"/api/e2e/{CODE}/board/{query}").json() == entry
    _refused(e.client.get(f"/api/e2e/{CODE}/board/AAAA-AAAA-AAAA-AAAA"), 404, "tracking_not_found")
    _refused(e.client.get(f"/api/e2e/{CODE}/board/not-a-code"), 422, "bad_input")
    _refused(e.client.get(f"/api/e2e/{CODE}/board?limit=0"), 422, "bad_request")

    # paging: three more ballots, read two at a time
    for voter in (1, 2):
        assert e.client.post(f"/api/e2e/{CODE}/ballots", content=codec.dumps(e.ballot(voter, 0)[0])).status_code == 201
    page = e.client.get(f"/api/e2e/{CODE}/board?offset=1&limit=2").json()
    assert [x["height"] for x in page["entries"]] == [receipt["height"] + 1, receipt["height"] + 2]
    assert e.client.get(f"/api/e2e/{CODE}/board?offset=3").json()["entries"] == []


def test_refusals_carry_the_service_codes(ctx: Context) -> None:
    e = _open(ctx, revote="refuse")
    url = f"/api/e2e/{CODE}/ballots"
    ballot, _ = e.ballot(0, 1)
    plain = json.loads(codec.dumps(ballot))
    response = plain["questions"][0]["selections"][0]["proof"]["responses"][0]
    plain["questions"][0]["selections"][0]["proof"]["responses"][0] = (
        format(int(response[:2], 16) ^ 1, "02x") + response[2:]
    )
    _refused(e.client.post(url, content=json.dumps(plain)), 400, "invalid_ballot")

    stranger = CredentialSecret(RNG(32))
    forged, _ = encrypt_ballot(YES_NO, [[1, 0]], e.key, e.fingerprint, "x-1", signing_key(stranger, e.fingerprint), RNG)
    _refused(e.client.post(url, content=codec.dumps(forged)), 400, "unknown_credential")

    assert e.client.post(url, content=codec.dumps(ballot)).status_code == 201
    _refused(e.client.post(url, content=codec.dumps(ballot)), 400, "duplicate_ballot_id")
    _refused(e.client.post(url, content=codec.dumps(e.ballot(0, 0)[0])), 400, "revote_refused")

    # malformed bodies: 422 naming the path
    bad = json.loads(codec.dumps(e.ballot(1, 1)[0]))
    del bad["signature"]
    _refused(e.client.post(url, content=json.dumps(bad)), 422, "bad_input")
    _refused(e.client.post(url, content=b"{not json"), 422, "bad_input")
    _refused(e.client.post(url, content=b"\xff\xfe"), 422, "bad_input")
    with_float = codec.dumps(e.ballot(1, 1)[0]).replace('"ballot_id":', '"ballot_id":1.5,"x":', 1)
    _refused(e.client.post(url, content=with_float), 422, "bad_input")
    _refused(e.client.post(url, content=b"{}" + b" " * 300_000), 422, "bad_input")  # over MAX_BALLOT_BYTES
    _refused(e.client.post("/api/e2e/nope/ballots", content=codec.dumps(e.ballot(1, 1)[0])), 404, "not_found")


def test_spoiled_ballot_with_opening(ctx: Context) -> None:
    e = _open(ctx)
    url = f"/api/e2e/{CODE}/spoiled"
    ballot, secrets_ = e.ballot(0, 1)
    opening = open_spoiled(ballot, secrets_)
    body = {"ballot": json.loads(codec.dumps(ballot)), "opening": json.loads(codec.dumps(opening))}

    lie = {"ballot": body["ballot"], "opening": body["opening"] | {"choices": [[0, 1]]}}
    _refused(e.client.post(url, content=json.dumps(lie)), 400, "bad_opening")
    _refused(e.client.post(url, content=json.dumps({"ballot": body["ballot"]})), 422, "bad_input")
    _refused(e.client.post(url, content='{"ballot": {}, "ballot": {}, "opening": {}}'), 422, "bad_input")

    response = e.client.post(url, content=json.dumps(body))
    assert response.status_code == 201, response.text
    height = response.json()["height"]
    board = e.client.get(f"/api/e2e/{CODE}/board").json()
    assert (board["cast"], board["spoiled"]) == (0, 1)
    assert board["entries"] == [
        {
            "kind": "spoiled",
            "height": height,
            "ballot_id": ballot.ballot_id,
            "ballot_hash": board["entries"][0]["ballot_hash"],
            "ballot": body["ballot"],
            "opening": body["opening"],
        }
    ]
    # the spoiled ballot cannot then be cast (its id and ciphertexts are taken)
    _refused(e.client.post(f"/api/e2e/{CODE}/ballots", content=codec.dumps(ballot)), 400, "duplicate_ballot_id")


@pytest.mark.parametrize("phase", ["keyed", "closed"])
def test_wrong_phase(ctx: Context, phase: str) -> None:
    e = _open(ctx, register=phase != "keyed")
    if phase == "closed":
        close_election(ctx, CODE)
    info = e.client.get(f"/api/e2e/{CODE}").json()
    assert info["phase"] == phase
    assert info["joint_key"] == e.key.hex()
    ballot, secrets_ = e.ballot(0, 1)
    _refused(e.client.post(f"/api/e2e/{CODE}/ballots", content=codec.dumps(ballot)), 409, "e2e_wrong_phase")
    opening = open_spoiled(ballot, secrets_)
    body = json.dumps({"ballot": json.loads(codec.dumps(ballot)), "opening": json.loads(codec.dumps(opening))})
    _refused(e.client.post(f"/api/e2e/{CODE}/spoiled", content=body), 409, "e2e_wrong_phase")


def test_before_the_ceremony_there_is_no_key(ctx: Context) -> None:
    setup_election(ctx, Manifest(CODE, "Approve?", YES_NO, 2, 1, "last"))
    client = TestClient(create_app(ctx))
    info = client.get(f"/api/e2e/{CODE}").json()
    assert (info["phase"], info["joint_key"]) == ("ceremony", None)


def test_booth_and_board_pages(ctx: Context) -> None:
    e = _open(ctx)
    booth = e.client.get(f"/e2e/{CODE}/booth")
    assert booth.status_code == 200
    assert '<script src="/static/booth/booth.js"></script>' in booth.text
    assert f'data-api="/api/e2e/{CODE}"' in booth.text
    assert 'for="credential-file"' in booth.text
    assert e.client.get("/static/booth/booth.js").status_code == 200
    receipt = e.client.post(f"/api/e2e/{CODE}/ballots", content=codec.dumps(e.ballot(0, 1)[0])).json()
    short = receipt["tracking_code"]["short"]
    found = e.client.get(f"/e2e/{CODE}/board", params={"tracking": short.lower()})
    assert found.status_code == 200
    assert "Found: tracking code" in found.text
    assert short in found.text
    missing = e.client.get(f"/e2e/{CODE}/board", params={"tracking": "zzzz"})
    assert "Not found" in missing.text
    assert "is not a tracking code" in missing.text
    page = e.client.get("/e2e/nope/booth", headers={"accept": "text/html"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")


def test_e2e_routes_conform_to_the_openapi_document(ctx: Context) -> None:
    """The 200 bodies of the e2e GET routes (a seeded election with a cast and a spoiled ballot) and their
    errors conform to the OpenAPI document (the schemathesis checks of test_api_schemathesis.py)."""
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    e = _open(ctx)
    receipt = e.client.post(f"/api/e2e/{CODE}/ballots", content=codec.dumps(e.ballot(0, 1)[0])).json()
    ballot, secrets_ = e.ballot(1, 0)
    body = {
        "ballot": json.loads(codec.dumps(ballot)),
        "opening": json.loads(codec.dumps(open_spoiled(ballot, secrets_))),
    }
    assert e.client.post(f"/api/e2e/{CODE}/spoiled", content=json.dumps(body)).status_code == 201
    schema = schemathesis.openapi.from_asgi("/openapi.json", e.client.app).include(path_regex=r"^/api/e2e/")
    seeded = [
        ("/api/e2e/{election}", "GET", {"election": CODE}, {}),
        ("/api/e2e/{election}", "GET", {"election": "nope"}, {}),
        ("/api/e2e/{election}/board", "GET", {"election": CODE}, {"limit": 1, "offset": 1}),
        (
            "/api/e2e/{election}/board/{tracking}",
            "GET",
            {"election": CODE, "tracking": receipt["tracking_code"]["short"]},
            {},
        ),
        ("/api/e2e/{election}/board/{tracking}", "GET", {"election": CODE, "tracking": "AAAA-AAAA-AAAA-AAAA"}, {}),
        ("/api/e2e/{election}/board/{tracking}", "GET", {"election": CODE, "tracking": "nonsense"}, {}),
    ]
    for path, method, params, query in seeded:
        case = schema[path][method].Case(path_parameters=params, query=query)
        case.call_and_validate(checks=checks)
