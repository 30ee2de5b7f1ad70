"""The voting booth in headless Chromium (issue 5): a yes/no e2e election set up through the services on a
SQLite file; the booth loads a credential file, encrypts and proves in the browser, is challenged once
(Benaloh: the spoiled ballot and its opening are recorded and checked by the server), then casts; the tracking
code is found on the board page; a second voter votes No; then close, tally, decryption through the services,
export, and the independent verifier must accept the record with Yes 1, No 1. Also: a ballot made in the
browser with one byte of a proof changed is refused with invalid_ballot, and a replayed ballot as a duplicate.
Screenshots go to test-artifacts/browser/booth-*.png.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from tests.browser.site import Site, shot, wait_until
from tests.elections.e2e import open_e2e

from saylau.crypto import codec
from saylau.crypto.ballot import (
    EncryptedBallot,
    QuestionSpec,
    SpoiledOpening,
    ballot_hash,
    check_opening,
    verify_ballot,
)
from saylau.crypto.errors import VALID
from saylau.crypto.group import Element
from saylau.crypto.keys import share_public_key
from saylau.crypto.proofs import ProofContext
from saylau.crypto.tally import decrypt_tally_share
from saylau.services.context import Context
from saylau.services.e2e.demo import Guardians
from saylau.services.e2e.files import write_credential_files
from saylau.services.e2e.lifecycle import (
    close_election,
    export_record,
    publish_result,
    register_credentials,
    submit_decryption,
    tally_election,
)

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
VERIFY = REPO / "verifier" / ".venv" / "bin" / "saylau-verify"
RNG = secrets.token_bytes


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The booth tests run on a SQLite file only (this overrides the SQLite + PostgreSQL fixture of conftest)."""
    return f"sqlite:///{tmp_path_factory.mktemp('booth') / 'booth.db'}"


@dataclass(frozen=True)
class E2eElection:
    code: str
    fingerprint: str
    council: Guardians
    credentials: list[Path]


def open_election(ctx: Context, code: str, voters: int, out: Path) -> E2eElection:
    """Setup, a 3-guardian ceremony (quorum 2) and credential files, as `saylau e2e` does (e2e_demo.py)."""
    el = open_e2e(ctx, code, voters=0, title="Do you approve the proposal?", revote="refuse", register=False)
    publics = write_credential_files(code, el.fingerprint, voters, out, RNG)
    register_credentials(ctx, code, publics)
    return E2eElection(code, el.fingerprint, el.council, sorted(out.glob("voter-*.json")))


def load_credential(page: Any, site: Site, election: E2eElection, voter: int, *, by_file: bool) -> None:
    page.goto(f"{site.url}/e2e/{election.code}/booth")
    page.locator("#booth[data-ready=true]").wait_for()
    assert page.get_by_role("heading", name="1. Your credential").is_visible()
    if by_file:
        page.get_by_label("Credential file").set_input_files(str(election.credentials[voter]))
        wait_until(page, "document.getElementById('credential-text').value.length > 0")
    else:
        page.get_by_label("Or paste the file's contents").fill(election.credentials[voter].read_text())
    page.get_by_role("button", name="Use this credential").click()
    page.locator("#step-choose").wait_for()
    assert page.locator("#credential-text").input_value() == ""  # the secret is not left on the page


def encrypt_choice(page: Any, option: str) -> str:
    page.get_by_label(option, exact=True).check()
    page.get_by_role("button", name="Encrypt my ballot").click()
    page.locator("#step-review").wait_for()
    fingerprint = str(page.locator("#ballot-fingerprint").inner_text())
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){3}", fingerprint)
    return fingerprint


def board(site: Site, code: str) -> dict[str, Any]:
    response = httpx.get(f"{site.url}/api/e2e/{code}/board", timeout=10)
    assert response.status_code == 200, response.text
    return dict(response.json())


def decrypt_and_publish(ctx: Context, election: E2eElection) -> tuple[tuple[int, ...], ...]:
    close_election(ctx, election.code)
    tally = tally_election(ctx, election.code)
    for share in election.council.key_shares[:2]:  # guardian 3 is absent: Lagrange covers the quorum
        public = share_public_key(election.council.commitments, share.index)
        context = ProofContext(election.fingerprint)
        submit_decryption(ctx, election.code, decrypt_tally_share(tally, share, public, context, RNG))
    return publish_result(ctx, election.code).counts


def challenge_once(page: Any, site: Site, election: E2eElection) -> str:
    """Encrypt Yes, then challenge: the device opens the ballot, checks it and sends it as spoiled."""
    first = encrypt_choice(page, "yes")
    shot(page, "booth-2-review")
    page.get_by_role("button", name="Challenge").click()
    page.locator("#step-challenged").wait_for()
    assert page.locator("#opening-choices").inner_text() == "q1: yes"
    assert "they give exactly the ciphertexts shown" in page.locator("#opening-check").inner_text()
    spoiled_height = int(page.locator("#spoiled-height").inner_text())
    opening_json = str(page.locator("#opening-json").input_value())
    shot(page, "booth-3-challenged")
    state = board(site, election.code)
    assert (state["cast"], state["spoiled"]) == (0, 1)
    (spoiled,) = state["entries"]
    assert spoiled["kind"] == "spoiled"
    assert spoiled["height"] == spoiled_height
    assert spoiled["opening"] == json.loads(opening_json)["opening"]
    assert spoiled["opening"]["choices"] == [[1, 0]]
    # Vote again: fresh randomness gives another ballot fingerprint.
    page.get_by_role("button", name="Vote again").click()
    assert encrypt_choice(page, "yes") != first
    return opening_json


def cast(page: Any) -> tuple[str, str]:
    page.get_by_role("button", name="Cast").click()
    page.locator("#step-receipt").wait_for()
    short, full = page.locator("#tracking-short").inner_text(), page.locator("#tracking-full").inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", full)
    return str(short), str(full)


def find_on_board(page: Any, short: str, opening_json: str) -> None:
    """By the receipt's link and by the short code typed in the search box; then the opening checker."""
    page.get_by_role("link", name="Find your ballot on the bulletin board").click()
    page.wait_for_url(re.compile(r"/e2e/booth-1/board\?tracking="))
    assert "Found" in page.locator("#search-result").inner_text()
    assert short in page.locator("#search-result").inner_text()
    page.get_by_label("Find a ballot by its tracking code").fill(short.lower().replace("-", " "))
    page.get_by_role("button", name="Find").click()
    page.wait_for_url(re.compile(r"tracking=[a-z2-7]{4}\+"))  # the typed form, lower case with spaces
    assert short in page.locator("#search-result").inner_text()
    assert page.locator("#entries tbody tr").count() == 2
    # The checker re-checks the published opening on this device; a changed choice fails.
    page.get_by_label("Ballot and opening", exact=True).fill(opening_json)
    page.get_by_role("button", name="Check").click()
    wait_until(page, "document.getElementById('check-result').textContent.length > 0")
    assert page.locator("#check-result").inner_text().startswith("Checks: ")
    shot(page, "booth-5-board")
    lie = json.loads(opening_json)
    lie["opening"]["choices"] = [[0, 1]]
    page.get_by_label("Ballot and opening", exact=True).fill(json.dumps(lie))
    page.get_by_role("button", name="Check").click()
    wait_until(page, "document.getElementById('check-result').textContent.startsWith('Does NOT')")
    page.get_by_label("Find a ballot by its tracking code").fill("AAAA-AAAA-AAAA-AAAA")
    page.get_by_role("button", name="Find").click()
    page.wait_for_url(re.compile(r"tracking=AAAA"))
    assert "Not found" in page.locator("#search-result").inner_text()


def export_and_verify(ctx: Context, election: E2eElection, out: Path, first_tracking: str) -> None:
    """Close, tally, decrypt, export; the independent verifier accepts the record."""
    assert decrypt_and_publish(ctx, election) == ((1, 1),)
    record = export_record(ctx, election.code, out)
    events = [json.loads(line) for line in (record / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["type"] for e in events].count("spoiled") == 1
    assert next(e["payload"]["tracking_code"] for e in events if e["type"] == "ballot") == first_tracking
    assert events[-1]["type"] == "result"
    assert events[-1]["payload"]["counts"] == [[1, 1]]
    if not VERIFY.exists():
        if os.environ.get("CI"):
            pytest.fail(f"the verifier is not installed at {VERIFY}: .ci/run installs it before the tests")
        pytest.skip(f"the verifier is not installed at {VERIFY}")
    done = subprocess.run(
        [str(VERIFY), str(record), "--json"], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert (report["status"], report["phase"], report["ballots"]) == ("ok", "result", 3)  # 2 cast + 1 spoiled


def test_booth_challenge_cast_board_and_verifier(site: Site, new_page: Any, tmp_path: Path) -> None:
    election = open_election(site.ctx, "booth-1", 2, tmp_path / "credentials")
    page = new_page()
    load_credential(page, site, election, 0, by_file=True)
    shot(page, "booth-1-choose")
    opening_json = challenge_once(page, site, election)
    short, full = cast(page)
    shot(page, "booth-4-cast")
    find_on_board(page, short, opening_json)

    # A second voter (credential pasted, on a phone-sized screen) votes No.
    phone = new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    load_credential(phone, site, election, 1, by_file=False)
    encrypt_choice(phone, "no")
    assert cast(phone)[0] != short
    shot(phone, "booth-6-phone-cast")

    export_and_verify(site.ctx, election, tmp_path / "record", full)


MAKE_BALLOT = """async ([credential, choice]) => {
  const B = window.SaylauBooth;
  const root = document.getElementById('booth');
  const election = B.parseElection(await (await fetch(root.dataset.api)).json());
  const secret = B.codec.parseCredentialFile(credential, election.id, election.fingerprint);
  const key = B.ballot.signingKey(secret, election.fingerprint);
  const id = B.group.bytesToHex(B.group.randomBytes(16));
  const made = B.ballot.encryptBallot(election.questions, [choice], election.key, election.fingerprint, id, key);
  return B.codec.ballotJson(made.ballot);
}"""


def test_altered_browser_ballot_is_refused_and_replay_is_duplicate(site: Site, new_page: Any, tmp_path: Path) -> None:
    election = open_election(site.ctx, "booth-2", 1, tmp_path / "credentials")
    page = new_page()
    page.goto(f"{site.url}/e2e/{election.code}/booth")
    page.locator("#booth[data-ready=true]").wait_for()
    made = page.evaluate(MAKE_BALLOT, [election.credentials[0].read_text(), [0, 1]])
    url = f"{site.url}/api/e2e/{election.code}/ballots"
    plain = json.loads(made)
    response = plain["questions"][0]["selections"][0]["proof"]["responses"][1]
    flipped = format(int(response[:2], 16) ^ 0x01, "02x") + response[2:]  # one byte (the lowest) of a response
    plain["questions"][0]["selections"][0]["proof"]["responses"][1] = flipped
    altered = httpx.post(url, content=json.dumps(plain), timeout=10)
    assert altered.status_code == 400, altered.text
    assert altered.headers["content-type"].startswith("application/problem+json")
    assert altered.json()["code"] == "invalid_ballot"
    cast = httpx.post(url, content=made, timeout=10)
    assert cast.status_code == 201, cast.text
    replay = httpx.post(url, content=made, timeout=10)
    assert replay.status_code == 400
    assert replay.json()["code"] == "duplicate_ballot_id"
    assert board(site, election.code)["cast"] == 1


BUNDLE = REPO / "src" / "saylau" / "publish" / "site" / "static" / "booth" / "booth.js"
VECTORS = REPO / "spec" / "vectors" / "crypto"
KNOWN_ANSWERS = """(v) => {
  const B = window.SaylauBooth;
  const hashing = v.hashing.cases.map((c) => {
    const parts = {
      '[]': [], "['a|b']": ['a|b'], "['a', 'b']": ['a', 'b'],
      "[b'\\\\x00\\\\x01', 0, 255, 18446744073709551616]": [Uint8Array.of(0, 1), 0, 255, 18446744073709551616n],
      "[['nested', [1, 2]], 'x']": [['nested', [1, 2]], 'x'],
    }[c.parts];
    const enc = B.group.bytesToHex(B.hashing.encodePart(['saylau-crypto-v1', c.purpose, ...parts]));
    return [enc === c.encoding, B.hashing.hashHex(c.purpose, ...parts) === c.sha256,
            B.hashing.hashToScalar(c.purpose, ...parts).hex() === c.challenge];
  });
  const b = v.ballot;
  const questions = b.questions.map((q) => B.codec.questionFromPlain(q));
  const key = B.ballot.signingKey(B.group.hexToBytes(b.credential_secret), b.election);
  const ballot = B.codec.ballotFromPlain(b.ballot);
  const pk = B.group.elementFromHex(b.public_key);
  const tracking = B.ballot.nextTrackingCode(b.election, B.ballot.genesisCode(b.election).full, b.ballot_hash);
  const made = B.ballot.encryptBallot(questions, b.choices, pk, b.election, 'browser-1', key);
  return {
    hashing,
    credential: key.public.toHex() === b.ballot.credential,
    verifies: B.ballot.verifyBallot(ballot, questions, pk, b.election),
    hash: B.ballot.ballotHash(ballot, b.election) === b.ballot_hash,
    tracking: tracking.full === b.tracking_code.full && tracking.short === b.tracking_code.short,
    canonical: B.codec.ballotJson(ballot) === B.canon(b.ballot),
    made: B.codec.ballotJson(made.ballot),
    opening: B.canon(B.codec.openingToPlain(B.ballot.openSpoiled(made.ballot, made.secrets))),
  };
}"""


def test_committed_bundle_matches_the_python_vectors(new_page: Any) -> None:
    """The committed bundle (not only booth/src) against spec/vectors/crypto, and a general + compact ballot
    made by it is accepted by the Python core: proofs (C§7.4), hash (C§7.6) and opening (C§7.7)."""
    page = new_page()
    page.set_content("<!doctype html><title>vectors</title>")
    page.add_script_tag(path=str(BUNDLE))
    vectors = {
        name: json.loads((VECTORS / f"{name}.json").read_text(encoding="utf-8")) for name in ("hashing", "ballot")
    }
    out = page.evaluate(KNOWN_ANSWERS, vectors)
    assert out["hashing"] == [[True, True, True]] * len(vectors["hashing"]["cases"])
    assert (out["credential"], out["verifies"], out["hash"], out["tracking"], out["canonical"]) == (
        True,
        None,
        True,
        True,
        True,
    )
    v = vectors["ballot"]
    questions = [codec.loads(QuestionSpec, json.dumps(q)) for q in v["questions"]]
    key = Element.decode(bytes.fromhex(v["public_key"]))
    made = codec.loads(EncryptedBallot, out["made"])
    assert codec.dumps(made) == out["made"]  # the booth's JSON is canonical
    assert verify_ballot(made, questions, key, v["election"]) == VALID
    opening = codec.loads(SpoiledOpening, out["opening"])
    assert opening.choices == tuple(tuple(c) for c in v["choices"])
    assert check_opening(made, opening, questions, key) == VALID
    assert len(ballot_hash(made, v["election"])) == 64
