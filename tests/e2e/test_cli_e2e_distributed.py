"""The distributed key ceremony through the CLI (spec/record.md §8.1), on SQLite and PostgreSQL: each guardian
works in its own directory ("machine") and only public files travel through an exchange directory; the joint
key decrypts a tally and the record verifies. A guardian that signs a bad share is caught by a complaint anyone
can check; false complaints are dismissed."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from saylau.cli.main import app
from saylau.crypto.group import Scalar, base_mul
from saylau.crypto.proofs import ProofContext, prove_chaum_pedersen
from saylau.crypto.share_exchange import ShareComplaint, encrypt_share_value, evaluate_polynomial
from saylau.io.exchange_files import share_name
from saylau.services.e2e.exchange import read_exchange, write_complaint, write_share
from saylau.services.e2e.files import read_polynomial

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]
VERIFY = REPO / "verifier" / ".venv" / "bin" / "saylau-verify"
E = "ref-distributed"


class Cli:
    def __init__(self, db_url: str) -> None:
        self.db = db_url

    def run(self, *args: str, code: int = 0) -> Any:
        result = runner.invoke(app, ["e2e", *args, "--db", self.db, "--json"])
        assert result.exit_code == code, result.output
        return json.loads(result.stdout) if code == 0 or result.stdout.startswith("{") else result.output


def _keygen(cli: Cli, root: Path, n: int) -> list[Path]:
    """Each guardian on its own 'machine' (directory) writes its polynomial file there."""
    files = []
    for i in range(1, n + 1):
        machine = root / f"machine-{i}"
        machine.mkdir()
        files.append(machine / f"guardian-{i}.json")
        cli.run("guardian", "keygen", "-e", E, "--index", str(i), "--out", str(files[-1]))
    return files


def _exchange_shares(cli: Cli, files: list[Path], exchange: Path) -> None:
    first = cli.run("guardian", "shares", "-e", E, "--file", str(files[0]), "--out", str(exchange))
    assert (first["waiting"], first["shares"]) == ([2, 3], [])  # the others' commitments are not there yet
    second = cli.run("guardian", "shares", "-e", E, "--file", str(files[1]), "--out", str(exchange))
    assert second["waiting"] == [3]
    last = cli.run("guardian", "shares", "-e", E, "--file", str(files[2]), "--out", str(exchange))
    assert (last["waiting"], last["shares"]) == ([], [1, 2])  # every commitment is in: shares go out
    for f in files[:2]:  # the first two run again once the commitments are all there
        again = cli.run("guardian", "shares", "-e", E, "--file", str(f), "--out", str(exchange))
        assert again["waiting"] == []
    names = sorted(p.name for p in exchange.iterdir())
    assert names == sorted(
        [f"commitment-{i}.json" for i in (1, 2, 3)] + [share_name(i, j) for i in (1, 2, 3) for j in (1, 2, 3) if i != j]
    )


def _secrets(files: list[Path]) -> set[str]:
    found: set[str] = set()
    for f in files:
        doc = json.loads(f.read_text(encoding="utf-8"))
        found.update(doc.get("coefficients", []))
        found.update(doc[k] for k in ("auth_secret", "key_share") if k in doc)
    return found


def _share_values(files: list[Path], fingerprint: str) -> set[str]:
    """The plaintext shares P_i(j) (computed from the polynomials), which must never travel in the clear."""
    polys = [read_polynomial(f, fingerprint).secrets for f in files]
    return {evaluate_polynomial(p.coefficients, j).hex() for p in polys for j in (1, 2, 3)}


@pytest.mark.skipif(not VERIFY.exists(), reason="the verifier's virtualenv is not installed")
def test_distributed_ceremony_decrypts_a_tally(db_url: str, tmp_path: Path) -> None:
    cli = Cli(db_url)
    fingerprint = cli.run("setup", "-e", E, "--title", "Approve?", "--guardians", "3", "--quorum", "2")["fingerprint"]
    files = _keygen(cli, tmp_path, 3)
    secrets_ = _secrets(files) | _share_values(files, fingerprint)
    exchange = tmp_path / "exchange"
    _exchange_shares(cli, files, exchange)

    # Guardian 3 receives first, guardian 1 last: the last confirmation records the ceremony.
    r3 = cli.run("guardian", "receive", "-e", E, "--file", str(files[2]), str(exchange))
    assert (r3["waiting"], r3["joint_key"]) == ([1, 2], None)
    assert cli.run("status", "-e", E)["phase"] == "ceremony"
    cli.run("guardian", "receive", "-e", E, "--file", str(files[1]), str(exchange))
    r1 = cli.run("guardian", "receive", "-e", E, "--file", str(files[0]), str(exchange))
    assert r1["waiting"] == []
    assert r1["joint_key"] is not None
    for f in files:
        doc = json.loads(f.read_text(encoding="utf-8"))
        assert doc["purpose"] == "guardian-key-share"
        assert stat.S_IMODE(f.stat().st_mode) == 0o600
    secrets_ |= _secrets(files)
    public = "".join(p.read_text(encoding="utf-8") for p in exchange.iterdir())
    assert not [s for s in secrets_ if s in public]
    assert "e2e_wrong_phase" in cli.run("record-ceremony", "-e", E, str(exchange), code=1)  # already recorded

    creds = tmp_path / "credentials"
    cli.run("credentials", "-e", E, "--voters", "3", "--out-dir", str(creds))
    for voter, choice in zip(sorted(creds.glob("voter-*.json")), ("yes", "no", "yes"), strict=True):
        cli.run("cast", "-e", E, "--credential", str(voter), "--choice", choice)
    cli.run("close", "-e", E)
    cli.run("tally", "-e", E)
    cli.run("decrypt", "-e", E, str(files[1]))
    cli.run("decrypt", "-e", E, str(files[2]))
    record = tmp_path / "record"
    published = cli.run("publish", "-e", E, "--out", str(record))
    assert published["counts"] == [[2, 1]]
    assert published["present"] == [2, 3]
    done = subprocess.run([str(VERIFY), str(record), "--jobs", "1"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    events = [json.loads(line) for line in (record / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert events[4]["payload"]["joint_key"] == r1["joint_key"]


def _bad_share(exchange: Path, sender_file: Path, recipient: int, fingerprint: str) -> None:
    """Guardian 1 turns malicious: it signs a share that is not P_1(recipient)."""
    sender = read_polynomial(sender_file, fingerprint)
    target = read_exchange([exchange], fingerprint).commitments[recipient]
    (exchange / share_name(1, recipient)).unlink()
    wrong = Scalar(12345)
    bad = encrypt_share_value(1, sender.secrets.auth, target, wrong, ProofContext(fingerprint), os.urandom)
    write_share(exchange, E, fingerprint, bad)


def test_bad_share_gives_a_complaint_anyone_can_check(db_url: str, tmp_path: Path) -> None:
    cli = Cli(db_url)
    fingerprint = cli.run("setup", "-e", E, "--title", "Approve?", "--guardians", "3", "--quorum", "2")["fingerprint"]
    files = _keygen(cli, tmp_path, 3)
    exchange = tmp_path / "exchange"
    _exchange_shares(cli, files, exchange)
    honest3 = read_polynomial(files[2], fingerprint)  # kept for a false complaint below
    _bad_share(exchange, files[0], 2, fingerprint)

    output = cli.run("guardian", "receive", "-e", E, "--file", str(files[1]), str(exchange), code=1)
    assert "share_complaint" in output
    complaint = exchange / "complaint-2-against-1.json"
    assert complaint.exists()
    assert json.loads(files[1].read_text(encoding="utf-8"))["purpose"] == "guardian-polynomial"  # not consumed
    check = cli.run("guardian", "check-complaint", "-e", E, str(complaint), "--exchange", str(exchange))
    assert (check["verdict"], check["accused"], check["complainant"]) == ("upheld", 1, 2)

    # Guardian 3 received a valid share from guardian 1 but complains anyway, revealing the true S with a proof.
    cli.run("guardian", "receive", "-e", E, "--file", str(files[2]), str(exchange))
    found = read_exchange([exchange], fingerprint)
    share = found.shares[(1, 3)]
    context = ProofContext(fingerprint)
    dh = honest3.secrets.auth.secret * share.ephemeral
    proof = prove_chaum_pedersen(
        honest3.secrets.auth.secret,
        share.ephemeral,
        honest3.commitment.auth_key,
        dh,
        context.bind("key-share-decryption", 1, 3, share.ephemeral),
        os.urandom,
    )
    false_dir = tmp_path / "false"
    false_dir.mkdir()
    lie = ShareComplaint(share, dh, proof)
    path = write_complaint(false_dir, E, fingerprint, lie, found.commitments[1], honest3.commitment)
    verdict = cli.run("guardian", "check-complaint", "-e", E, str(path), code=1)
    assert verdict["verdict"] == "dismissed_share_valid"

    # The same lie with a made-up S (so the share would look bad): the decryption proof fails.
    forged_dir = tmp_path / "forged"
    forged_dir.mkdir()
    forged = ShareComplaint(share, base_mul(Scalar(99)), proof)
    path = write_complaint(forged_dir, E, fingerprint, forged, found.commitments[1], honest3.commitment)
    assert cli.run("guardian", "check-complaint", "-e", E, str(path), code=1)["verdict"] == "dismissed_bad_decryption"

    # The upheld complaint with the ciphertext altered: guardian 1 never signed that.
    altered = tmp_path / "altered"
    altered.mkdir()
    doc = json.loads(complaint.read_text(encoding="utf-8"))
    doc["complaint"]["share"]["masked"] = Scalar(7).hex()
    (altered / complaint.name).write_text(json.dumps(doc), encoding="utf-8")
    out = cli.run("guardian", "check-complaint", "-e", E, str(altered / complaint.name), code=1)
    assert out["verdict"] == "dismissed_unsigned"

    # Nothing is recorded: the ceremony stops at a complaint (v1 records none).
    assert cli.run("status", "-e", E)["phase"] == "ceremony"
    assert "ceremony_incomplete" in cli.run("record-ceremony", "-e", E, str(exchange), code=1)
