"""Records made by the producer's `saylau e2e demo` (subprocess) verify; each tamper is caught by its step."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import needs_producer
from rewrite import Events, edit, flip_hex, indices, read_events, write_events
from saylau_verify.cli import main
from saylau_verify.crypto.ballot import derive_option
from saylau_verify.crypto.group import ELL

pytestmark = needs_producer


def run(record: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, set[str], list[dict[str, str]]]:
    code = main([str(record), "--jobs", "1", "--json"])
    report = json.loads(capsys.readouterr().out)
    findings = report.get("findings", [])
    return code, {f["step"] for f in findings}, findings


def test_clean_record_passes(small_record: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, steps, _ = run(small_record, capsys)
    assert (code, steps) == (0, set())


def test_console_script_text_output(small_record: Path) -> None:
    script = Path(sys.executable).parent / "saylau-verify"
    done = subprocess.run([str(script), str(small_record)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: all steps V1..V24 hold" in done.stdout


def _sel(events: Events, i: int) -> dict:
    return events[i]["payload"]["ballot"]["questions"][0]["selections"][0]


def _ballot(n: int) -> Callable[[Events], int]:
    return lambda events: indices(events, "ballot")[n]


def _set_counts(events: Events) -> None:
    counts = events[-1]["payload"]["counts"]
    counts[0][0] += 1
    counts[0][1] -= 1


def _swap_ballots(events: Events) -> None:
    a, b = indices(events, "ballot")[:2]
    events[a], events[b] = events[b], events[a]


def _insert_copy(events: Events) -> None:
    a = indices(events, "ballot")[0]
    events.insert(indices(events, "close")[0], copy.deepcopy(events[a]))


def _replay_other_id(events: Events) -> None:
    a = indices(events, "ballot")[0]
    events[a]["payload"]["ballot"]["ballot_id"] += "-replayed"


def _malformed_id(events: Events) -> None:
    a = indices(events, "ballot")[0]
    events[a]["payload"]["ballot"]["ballot_id"] = "Not An Id"


def _empty_id(events: Events) -> None:
    a = indices(events, "ballot")[1]
    events[a]["payload"]["ballot"]["ballot_id"] = ""


def _long_spoiled_id(events: Events) -> None:
    a = indices(events, "spoiled")[0]
    payload = events[a]["payload"]
    payload["ballot"]["ballot_id"] = payload["opening"]["ballot_id"] = "a" * 65


def _corrupt_proof(events: Events) -> None:
    proof = _sel(events, _ballot(1)(events))["proof"]
    value = (int.from_bytes(bytes.fromhex(proof["responses"][0]), "little") + 1) % ELL
    proof["responses"][0] = value.to_bytes(32, "little").hex()


def _wrong_aggregate(events: Events) -> None:
    tally = events[indices(events, "tally")[0]]["payload"]["tally"]["questions"][0]
    tally[0], tally[1] = tally[1], tally[0]


def _wrong_partial(events: Events) -> None:
    dec = events[indices(events, "decryption")[0]]["payload"]["shares"][0]
    dec[0]["image"], dec[1]["image"] = dec[1]["image"], dec[0]["image"]


def _dup_tracking(events: Events) -> None:
    a, b = indices(events, "ballot")[:2]
    events[b]["payload"]["tracking_code"] = events[a]["payload"]["tracking_code"]


def _remove_ballot(events: Events) -> None:
    del events[indices(events, "ballot")[2]]


def _wrong_present(events: Events) -> None:
    events[-1]["payload"]["present"] = [1, 3]


def _wrong_joint_key(events: Events) -> None:
    keys = events[indices(events, "joint_key")[0]]["payload"]
    keys["joint_key"], keys["share_keys"][0] = keys["share_keys"][0], keys["joint_key"]


def _guardian_proof(events: Events) -> None:
    g = events[1]["payload"]
    g["proofs"][0], g["proofs"][1] = g["proofs"][1], g["proofs"][0]


def _foreign_credential(events: Events) -> None:
    creds = events[indices(events, "credentials")[0]]["payload"]["credentials"]
    creds.remove(events[_ballot(0)(events)]["payload"]["ballot"]["credential"])


def _spoiled_opening(events: Events) -> None:
    opening = events[indices(events, "spoiled")[0]]["payload"]["opening"]
    opening["choices"][0] = opening["choices"][0][::-1]


def _unsorted_credentials(events: Events) -> None:
    creds = events[indices(events, "credentials")[0]]["payload"]["credentials"]
    creds[0], creds[1] = creds[1], creds[0]


def _wrong_close(events: Events) -> None:
    events[indices(events, "close")[0]]["payload"]["ballots"] += 1


def _counted_order(events: Events) -> None:
    counted = events[indices(events, "tally")[0]]["payload"]["counted"]
    counted[0], counted[1] = counted[1], counted[0]


def _bad_fingerprint(events: Events) -> None:
    events[0]["payload"]["manifest"]["title"] += "!"


def _unknown_key(events: Events) -> None:
    events[_ballot(0)(events)]["payload"]["ballot"]["extra"] = "x"


def _identity_alpha(events: Events) -> None:
    _sel(events, _ballot(0)(events))["ciphertext"]["alpha"] = "0" * 64


def _compact_modified(events: Events) -> None:
    ct = _sel(events, _ballot(1)(events))["ciphertext"]
    ct["alpha"], ct["beta"] = ct["beta"], ct["alpha"]


def _compact_derived_sent(events: Events) -> None:
    """Send N = (−α, G − β) in place of Y, keeping Y's proof."""
    ct = _sel(events, _ballot(1)(events))["ciphertext"]
    alpha, beta = derive_option(bytes.fromhex(ct["alpha"]), bytes.fromhex(ct["beta"]))
    ct["alpha"], ct["beta"] = alpha.hex(), beta.hex()


def _compact_proof_of_another_ballot(events: Events) -> None:
    first, second = (_sel(events, i) for i in indices(events, "ballot")[:2])
    second["proof"] = copy.deepcopy(first["proof"])


def _compact_sent_in_general_form(events: Events) -> None:
    """Add option 1's ciphertext (the derived one, with option 0's proof) and a range proof: the general form."""
    question = events[_ballot(1)(events)]["payload"]["ballot"]["questions"][0]
    sent = question["selections"][0]
    alpha, beta = derive_option(bytes.fromhex(sent["ciphertext"]["alpha"]), bytes.fromhex(sent["ciphertext"]["beta"]))
    question["selections"].append({"ciphertext": {"alpha": alpha.hex(), "beta": beta.hex()}, "proof": sent["proof"]})
    question["range_proof"] = {
        "challenges": sent["proof"]["challenges"][:1],
        "responses": sent["proof"]["responses"][:1],
    }


def _compact_range_added(events: Events) -> None:
    question = events[_ballot(1)(events)]["payload"]["ballot"]["questions"][0]
    question["range_proof"] = copy.deepcopy(question["selections"][0]["proof"])


def _spoiled_two_nonces(events: Events) -> None:
    opening = events[indices(events, "spoiled")[0]]["payload"]["opening"]
    nonce = int.from_bytes(bytes.fromhex(opening["nonces"][0][0]), "little")
    opening["nonces"][0].append(((ELL - nonce) % ELL).to_bytes(32, "little").hex())


def _drop_decryption(events: Events) -> None:
    for i in indices(events, "decryption")[1:]:
        del events[i]


RECHAINED: dict[str, tuple[Callable[[Events], None], str]] = {
    "reorder two ballots": (_swap_ballots, "V16"),
    "insert a copy of a ballot": (_insert_copy, "V15"),
    "replay a ballot under another id": (_replay_other_id, "V12"),
    "a ballot id not of the form C§7.9": (_malformed_id, "V15"),
    "an empty ballot id": (_empty_id, "V15"),
    "a spoiled ballot's id of 65 characters": (_long_spoiled_id, "V15"),
    "remove a ballot": (_remove_ballot, "V19"),
    "corrupt a selection proof": (_corrupt_proof, "V12"),
    "wrong aggregate": (_wrong_aggregate, "V21"),
    "wrong partial decryption": (_wrong_partial, "V22"),
    "wrong result": (_set_counts, "V24"),
    "duplicate tracking codes": (_dup_tracking, "V16"),
    "wrong present set": (_wrong_present, "V23"),
    "wrong joint key": (_wrong_joint_key, "V10"),
    "guardian proofs swapped": (_guardian_proof, "V9"),
    "ballot by an unpublished credential": (_foreign_credential, "V13"),
    "spoiled opening altered": (_spoiled_opening, "V18"),
    "credentials out of order": (_unsorted_credentials, "V11"),
    "close count wrong": (_wrong_close, "V19"),
    "counted out of order": (_counted_order, "V20"),
    "manifest changed without fingerprint": (_bad_fingerprint, "V8"),
    "unknown key in a ballot": (_unknown_key, "V12"),
    "identity in a ballot ciphertext": (_identity_alpha, "V12"),
    "fewer decryptions than the quorum": (_drop_decryption, "V23"),
    "compact: the single ciphertext modified": (_compact_modified, "V12"),
    "compact: the derived ciphertext sent with the sent one's proof": (_compact_derived_sent, "V12"),
    "compact: the proof of another ballot swapped in": (_compact_proof_of_another_ballot, "V12"),
    "compact: sent in the general form": (_compact_sent_in_general_form, "V12"),
    "compact: a range proof added": (_compact_range_added, "V12"),
    "compact: spoiled opening with a nonce for the derived option": (_spoiled_two_nonces, "V18"),
}


@pytest.mark.parametrize("name", sorted(RECHAINED))
def test_rechained_tamper_is_caught(name: str, record_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change, step = RECHAINED[name]
    edit(record_copy, change)
    code, steps, findings = run(record_copy, capsys)
    assert code == 1
    assert step in steps, findings
    assert not steps & {"V2", "V3", "V4", "V5", "V6"}, findings  # the chain itself was rebuilt


def test_yes_no_ballots_are_in_the_compact_form(small_record: Path) -> None:
    """C§7.2 (b): the demo's yes/no question (exactly 1 of 2) sends one ciphertext and an empty range proof."""
    events = read_events(small_record)
    for i in indices(events, "ballot") + indices(events, "spoiled"):
        (question,) = events[i]["payload"]["ballot"]["questions"]
        assert len(question["selections"]) == 1
        assert question["range_proof"] == {"challenges": [], "responses": []}
    for i in indices(events, "spoiled"):
        opening = events[i]["payload"]["opening"]
        assert [len(c) for c in opening["choices"]] == [2]
        assert [len(n) for n in opening["nonces"]] == [1]


def test_general_form_of_a_compact_question_also_breaks_the_tally(
    record_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(record_copy, _compact_sent_in_general_form)
    _, steps, findings = run(record_copy, capsys)
    assert {"V12", "V21"} <= steps, findings


def test_insert_copy_also_breaks_revote_and_tracking(record_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(record_copy, _insert_copy)
    _, steps, _ = run(record_copy, capsys)
    assert {"V15", "V16", "V19", "V20"} <= steps


@pytest.mark.parametrize("field", ["payload", "hash", "payload_hash", "parent"])
def test_flip_one_byte_without_rechain(field: str, record_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def change(events: Events) -> None:
        event = events[_ballot(0)(events)]
        if field == "payload":
            sel = _sel(events, _ballot(0)(events))
            sel["ciphertext"]["beta"] = flip_hex(sel["ciphertext"]["beta"], 1)
        else:
            event[field] = flip_hex(event[field], 5)

    edit(record_copy, change, rechain=False)
    code, steps, findings = run(record_copy, capsys)
    expected = {"payload": "V3", "hash": "V4", "payload_hash": "V3", "parent": "V5"}[field]
    assert code == 1
    assert expected in steps, findings


def test_flip_every_byte_of_one_ballot_line(record_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = (record_copy / "events.jsonl").read_text(encoding="utf-8").splitlines()
    target = indices(read_events(record_copy), "ballot")[0]
    original = lines[target]
    for position in range(0, len(original), 97):
        char = original[position]
        lines[target] = original[:position] + ("0" if char != "0" else "1") + original[position + 1 :]
        (record_copy / "events.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        code, _, _ = run(record_copy, capsys)
        assert code == 1, position


def test_non_canonical_line_and_extra_file(record_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (record_copy / "events.jsonl").read_text(encoding="utf-8")
    (record_copy / "events.jsonl").write_text(text.replace('","', '", "', 1), encoding="utf-8")
    (record_copy / "notes.txt").write_text("hello", encoding="utf-8")
    code, steps, findings = run(record_copy, capsys)
    assert code == 1
    assert sum(1 for f in findings if f["step"] == "V1") == 2
    assert "V1" in steps


def test_unreadable_record_exits_2(record_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (record_copy / "events.jsonl").unlink()
    assert main([str(record_copy)]) == 2
    assert main([str(record_copy / "nowhere")]) == 2
    capsys.readouterr()


def test_failures_are_printed_with_step_and_subject(record_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(record_copy, _corrupt_proof)
    assert main([str(record_copy), "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    assert "V12 ballot " in out
    assert "selection proof fails at question[0].option[0]" in out
    assert out.strip().splitlines()[-1].startswith("FAILED")


def test_rechain_helper_is_neutral(record_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_events(record_copy, read_events(record_copy))
    assert run(record_copy, capsys)[0] == 0
