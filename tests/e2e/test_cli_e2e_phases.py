"""The whole e2e lifecycle as separate CLI invocations, on SQLite and PostgreSQL, with the independent verifier
run (as a subprocess) on the record exported after every phase (issue #4; belenios tests/tool/demo.sh).

Secrets live only in their 0600 files: the test greps the records and a dump of the database for them.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, select, table, text
from typer.testing import CliRunner

from saylau.cli.main import app
from saylau.record.encoding import canon, event_hash, payload_hash

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]
VERIFY = REPO / "verifier" / ".venv" / "bin" / "saylau-verify"
E = "ref-phases"

if not VERIFY.exists() and os.environ.get("CI"):  # in CI the verifier must be there: never a silent skip
    raise RuntimeError(f"the verifier is not installed at {VERIFY}: .ci/run installs it before the tests")
pytestmark = pytest.mark.skipif(not VERIFY.exists(), reason="the verifier's virtualenv is not installed")


class Lifecycle:
    def __init__(self, db_url: str, root: Path) -> None:
        self.db, self.root, self.exports = db_url, root, 0

    def run(self, *args: str, ok: bool = True) -> Any:
        result = runner.invoke(app, ["e2e", *args, "--db", self.db, "--json"])
        if not ok:
            assert result.exit_code == 1, result.output
            return result.output
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    def verify(self, record: Path, *flags: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(VERIFY), str(record), "--jobs", "1", *flags], capture_output=True, text=True, timeout=300, check=False
        )

    def export_and_verify(self, phase: str) -> Path:
        """Export the record as it stands and check it as a partial record ending at ``phase``."""
        self.exports += 1
        out = self.root / "records" / f"{self.exports:02d}-{phase}"
        doc = self.run("export", "-e", E, "--out", str(out))
        assert doc["events"] == len((out / "events.jsonl").read_text(encoding="utf-8").splitlines())
        done = self.verify(out, "--partial", "--json")
        assert done.returncode == 0, done.stdout + done.stderr
        report = json.loads(done.stdout)
        assert (report["status"], report["phase"]) == ("ok", phase), report
        text_report = self.verify(out, "--partial")
        assert f"partial record up to {phase}" in text_report.stdout
        return out


def _secret_values(paths: list[Path]) -> set[str]:
    """Every secret hex string held by these files (coefficients, auth secrets, key shares, credentials)."""
    found: set[str] = set()
    for path in paths:
        doc = json.loads(path.read_text(encoding="utf-8"))
        for key in ("auth_secret", "key_share", "credential"):
            if key in doc:
                found.add(doc[key])
        found.update(doc.get("coefficients", []))
    return found


def _database_dump(db_url: str) -> str:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            names = inspect(conn).get_table_names()
            rows = [repr(tuple(r)) for name in names for r in conn.execute(select(text("*")).select_from(table(name)))]
    finally:
        engine.dispose()
    return "\n".join(rows)


def _rechain(record: Path, events: list[dict[str, Any]]) -> None:
    parent = ""
    for height, event in enumerate(events):
        event["height"], event["parent"] = height, parent
        event["payload_hash"] = payload_hash(event["type"], canon(event["payload"]))
        event["hash"] = event_hash(parent, height, event["type"], event["payload_hash"])
        parent = event["hash"]
    manifest = json.loads((record / "manifest.json").read_text(encoding="utf-8"))
    manifest["events"], manifest["head"] = len(events), parent
    (record / "manifest.json").write_text(canon(manifest) + "\n", encoding="utf-8")
    (record / "events.jsonl").write_text("".join(canon(e) + "\n" for e in events), encoding="utf-8")


def _events(record: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (record / "events.jsonl").read_text(encoding="utf-8").splitlines()]


def _keys_and_credentials(life: Lifecycle, root: Path) -> tuple[list[Path], list[Path], set[str]]:
    """Guardian keygen → ceremony → credentials, verified after each; returns the files and every secret."""
    keys = root / "guardians"
    keys.mkdir()
    guardian_files = [keys / f"guardian-{i}.json" for i in (1, 2, 3)]
    for i, path in enumerate(guardian_files, start=1):
        life.run("guardian", "keygen", "-e", E, "--index", str(i), "--out", str(path))
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    secrets_ = _secret_values(guardian_files)  # the polynomials, erased by the ceremony
    assert len(secrets_) == 3 * 3  # 2 coefficients + 1 auth secret per guardian
    assert life.run("ceremony", "-e", E, *map(str, guardian_files))["guardians"] == 3
    assert all(json.loads(p.read_text())["purpose"] == "guardian-key-share" for p in guardian_files)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in guardian_files)
    secrets_ |= _secret_values(guardian_files)
    life.export_and_verify("ceremony")

    creds = root / "credentials"
    assert life.run("credentials", "-e", E, "--voters", "5", "--out-dir", str(creds))["credentials"] == 5
    voters = sorted(creds.glob("voter-*.json"))
    assert len(voters) == 5
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in voters)
    secrets_ |= _secret_values(voters)
    assert len(secrets_) == 9 + 3 + 5
    life.export_and_verify("voting")
    return guardian_files, voters, secrets_


def _vote(life: Lifecycle, voters: list[Path]) -> list[str]:
    """Three votes, a Benaloh spoil, a re-vote and the spoiler's real vote; verified along the way."""
    tracking = [
        life.run("cast", "-e", E, "--credential", str(voters[0]), "--choice", "yes")["tracking_code"],
        life.run("cast", "-e", E, "--credential", str(voters[1]), "--choice", "no")["tracking_code"],
        life.run("cast", "-e", E, "--credential", str(voters[2]), "--choice", "yes")["tracking_code"],
    ]
    life.export_and_verify("voting")
    spoiled = life.run("cast", "-e", E, "--credential", str(voters[3]), "--choice", "no", "--spoil")
    assert "spoiled" in spoiled
    tracking.append(life.run("cast", "-e", E, "--credential", str(voters[1]), "--choice", "yes")["tracking_code"])
    tracking.append(life.run("cast", "-e", E, "--credential", str(voters[3]), "--choice", "yes")["tracking_code"])
    assert len(set(tracking)) == 5
    life.export_and_verify("voting")
    return tracking


def _assert_no_secret_published(db_url: str, root: Path, secrets_: set[str], tracking: str) -> None:
    public_text = "\n".join(p.read_text(encoding="utf-8") for p in root.glob("records/*/*"))
    public_text += "".join(p.read_text(encoding="utf-8") for p in (root / "published").iterdir())
    public_text += (root / "credentials" / "public-credentials.json").read_text(encoding="utf-8")
    dump = _database_dump(db_url)
    assert E in dump  # the dump is real
    assert tracking in dump
    assert not [s for s in secrets_ if s in public_text or s in dump]
    if db_url.startswith("sqlite:///"):
        raw = Path(db_url.removeprefix("sqlite:///")).read_bytes()
        assert not [s for s in secrets_ if s.encode() in raw or bytes.fromhex(s) in raw]


def _assert_tamper_fails(life: Lifecycle, final: Path, tampered: Path) -> None:
    """A result count changed: caught by the hash chain, and by V24 once the chain is re-computed."""
    shutil.copytree(final, tampered)
    events = _events(tampered)
    events[-1]["payload"]["counts"] = [[3, 1]]
    (tampered / "events.jsonl").write_text("".join(canon(e) + "\n" for e in events), encoding="utf-8")
    assert life.verify(tampered).returncode == 1
    _rechain(tampered, events)
    failed = life.verify(tampered)
    assert failed.returncode == 1
    assert "V24" in failed.stdout


def test_lifecycle_phase_by_phase_verified(db_url: str, tmp_path: Path) -> None:
    life = Lifecycle(db_url, tmp_path)
    life.run("setup", "-e", E, "--title", "Approve the proposal?", "--guardians", "3", "--quorum", "2")
    life.export_and_verify("setup")
    guardian_files, voters, secrets_ = _keys_and_credentials(life, tmp_path)
    tracking = _vote(life, voters)

    assert life.run("close", "-e", E)["ballots"] == 5
    life.export_and_verify("close")
    assert life.run("tally", "-e", E)["counted"] == 4  # voter 2 re-voted; the spoiled ballot never counts
    life.export_and_verify("tally")
    assert life.run("decrypt", "-e", E, str(guardian_files[2]))["guardian"] == 3
    life.export_and_verify("decryption")
    assert "duplicate_decryption" in life.run("decrypt", "-e", E, str(guardian_files[2]), ok=False)
    assert life.run("decrypt", "-e", E, str(guardian_files[0]))["decryptions"] == 2
    life.export_and_verify("decryption")

    final = tmp_path / "published"
    published = life.run("publish", "-e", E, "--out", str(final))
    assert published["counts"] == [[4, 0]]
    assert published["present"] == [1, 3]
    done = life.verify(final)
    assert done.returncode == 0, done.stdout
    assert "OK: all steps V1..V24 hold" in done.stdout
    # one vocabulary (spec/record.md §10): 5 cast (voter 2 re-voted: 4 counted) and 1 spoiled, said alike
    summary = "6 ballots submitted: 5 cast (4 counted, 1 replaced by a re-vote), 1 spoiled (challenged and opened)"
    assert summary in done.stdout.splitlines()
    keys = ("ballots_submitted", "ballots_cast", "ballots_counted", "revotes", "spoiled")
    checked = json.loads(life.verify(final, "--json").stdout)
    assert (
        {k: published[k] for k in keys}
        == {k: checked[k] for k in keys}
        == dict(zip(keys, (6, 5, 4, 1, 1), strict=True))
    )
    kinds = [e["type"] for e in _events(final)]
    assert (kinds.count("ballot"), kinds.count("spoiled"), kinds[-1]) == (5, 1, "result")

    _assert_no_secret_published(db_url, tmp_path, secrets_, tracking[0])
    _assert_tamper_fails(life, final, tmp_path / "tampered")


def test_partial_records_cut_inside_a_phase_or_tampered_fail(db_url: str, tmp_path: Path) -> None:
    life = Lifecycle(db_url, tmp_path)
    life.run("setup", "-e", E, "--title", "Approve?", "--guardians", "2", "--quorum", "2")
    files = [tmp_path / "g1.json", tmp_path / "g2.json"]
    for i, path in enumerate(files, start=1):
        life.run("guardian", "keygen", "-e", E, "-i", str(i), "--out", str(path))
    life.run("ceremony", "-e", E, *map(str, files))
    keyed = life.export_and_verify("ceremony")

    plain = life.verify(keyed)  # without --partial a record must be complete
    assert plain.returncode == 1
    assert "--partial" in plain.stdout

    cut = tmp_path / "cut"  # setup + 2 guardians, no joint_key: stops inside the key ceremony
    shutil.copytree(keyed, cut)
    _rechain(cut, _events(cut)[:-1])
    done = life.verify(cut, "--partial")
    assert done.returncode == 1
    assert "stops inside a phase" in done.stdout

    forged = tmp_path / "forged"  # a guardian's commitment altered, the chain re-computed
    shutil.copytree(keyed, forged)
    events = _events(forged)
    events[1]["payload"]["commitments"][0], events[2]["payload"]["commitments"][0] = (
        events[2]["payload"]["commitments"][0],
        events[1]["payload"]["commitments"][0],
    )
    _rechain(forged, events)
    done = life.verify(forged, "--partial")
    assert done.returncode == 1
    assert "V9" in done.stdout


def test_secret_files_are_refused_for_another_election_or_purpose(db_url: str, tmp_path: Path) -> None:
    life = Lifecycle(db_url, tmp_path)
    for code in (E, "other"):
        life.run("setup", "-e", code, "--title", "Approve?", "--guardians", "1", "--quorum", "1")
        key = tmp_path / f"{code}-g1.json"
        life.run("guardian", "keygen", "-e", code, "-i", "1", "--out", str(key))
        assert "secret_file_exists" in life.run(
            "guardian", "keygen", "-e", code, "-i", "1", "--out", str(key), ok=False
        )
        life.run("ceremony", "-e", code, str(key))
        life.run("credentials", "-e", code, "--voters", "1", "--out-dir", str(tmp_path / f"{code}-creds"))
    ours = next((tmp_path / f"{E}-creds").glob("voter-*.json"))
    theirs = next((tmp_path / "other-creds").glob("voter-*.json"))
    assert "secret_file_other_election" in life.run(
        "cast", "-e", E, "--credential", str(theirs), "--choice", "yes", ok=False
    )
    assert "secret_file_purpose" in life.run(
        "cast", "-e", E, "--credential", str(tmp_path / f"{E}-g1.json"), "--choice", "yes", ok=False
    )
    os.chmod(ours, 0o644)
    assert "secret_file_permissions" in life.run(
        "cast", "-e", E, "--credential", str(ours), "--choice", "yes", ok=False
    )
    os.chmod(ours, 0o600)
    assert "bad_choice" in life.run("cast", "-e", E, "--credential", str(ours), "--choice", "maybe", ok=False)
    assert "tracking_code" in life.run("cast", "-e", E, "--credential", str(ours), "--choice", "yes")
