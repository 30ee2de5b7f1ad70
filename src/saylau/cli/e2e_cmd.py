"""`saylau e2e …`: end-to-end verifiable elections (spec/record.md)."""

from __future__ import annotations

import secrets
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from saylau.cli.common import (
    DEFAULT_DB,
    ActorOpt,
    DbOpt,
    JsonOpt,
    console,
    handle_errors,
    open_context,
    print_json,
    progress_bar,
)
from saylau.cli.help import HelpTyper
from saylau.model import Conflict, InputError, Problem

if TYPE_CHECKING:
    from saylau.record.events import Revote

# lazy: each command imports the e2e use cases it runs (and through them the crypto core and libsodium),
# so that `saylau --help` and the other commands start without them (issue 10 item 8)

__all__ = ["e2e_app"]

RECORD_OUT = "Empty or new directory to write the public record into (format: spec/record.md §1)."

e2e_app = HelpTyper(help="End-to-end verifiable elections: encrypted ballots and a public hash-chained record.")
ElectionOpt = Annotated[str, typer.Option("--election", "-e", metavar="ID", help="Election id.")]
guardian_app = HelpTyper(help="A guardian's own steps (its secrets stay in its own 0600 file).")
e2e_app.add_typer(guardian_app, name="guardian")


def _empty_dir(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise Conflict(f"{out} is not an empty directory: refusing to write the record there", code="out_not_empty")


@e2e_app.command("demo")
@handle_errors
def demo_command(
    voters: Annotated[int, typer.Option("--voters", min=1, help="Simulated voters.")] = 100,
    guardians: Annotated[int, typer.Option("--guardians", min=1, help="Guardians n.")] = 3,
    quorum: Annotated[int, typer.Option("--quorum", min=1, help="Guardians needed to decrypt (t).")] = 2,
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help=RECORD_OUT)] = Path("saylau-e2e-record"),
    seed: Annotated[int, typer.Option("--seed", help="Drives the simulated voters' choices only.")] = 1,
    db: Annotated[
        str | None, typer.Option("--db", metavar="URL", help="Database URL (default: a temporary SQLite file).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Run a whole referendum with simulated voters (some spoil, some re-vote); write the record; print the result."""
    from saylau.record.figures import BallotFigures  # noqa: PLC0415  # lazy: the record core (issue 10 item 8)
    from saylau.services.e2e.demo import run_e2e_demo  # noqa: PLC0415
    from saylau.services.e2e.lifecycle import export_record  # noqa: PLC0415

    _empty_dir(out)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="saylau-e2e-") as scratch:
        ctx = open_context(db or f"sqlite:///{Path(scratch) / 'e2e.db'}", "e2e-demo")
        code = f"e2e-demo-{secrets.token_hex(4)}"
        with progress_bar(quiet=as_json, first="setup") as progress:
            run = run_e2e_demo(ctx, voters, guardians, quorum, seed, secrets.token_bytes, progress, code)
        export_record(ctx, code, out)
        ctx.store.dispose()
    yes, no = run.result.counts[0]
    figures = BallotFigures(cast=run.cast, spoiled=run.spoiled, counted=run.result.ballots)
    doc = {
        "election": run.election,
        "fingerprint": run.fingerprint,
        "voters": run.voters,
        "ballots_submitted": figures.submitted,
        "ballots_cast": run.cast,
        "ballots_counted": run.result.ballots,
        "spoiled": run.spoiled,
        "revotes": run.revotes,
        "guardians_present": list(run.result.present),
        "result": {"yes": yes, "no": no},
        "tracking_head": run.tracking_head,
        "record": str(out),
        "seconds": round(time.perf_counter() - started, 3),
    }
    if as_json:
        print_json(doc)
        return
    console.print(
        f"Election {run.election} (fingerprint {run.fingerprint[:16]}…), {run.voters:,} voters\n"
        f"{figures.sentence()}\n"  # the words and numbers saylau-verify says too (spec/record.md §10)
        f"Decrypted by guardians {list(run.result.present)} of {guardians} (quorum {quorum}).\n"
        f"Result: yes {yes:,}, no {no:,}.\n"
        f"Record: {out.resolve()} (events.jsonl, manifest.json) in {doc['seconds']} s.",
        highlight=False,
        soft_wrap=True,  # never broken inside the ballot summary: it reads the same as the verifier's
    )


@e2e_app.command("setup")
@handle_errors
def setup_command(
    election: ElectionOpt,
    title: Annotated[str, typer.Option("--title", help="The question put to the voters.")],
    guardians: Annotated[int, typer.Option("--guardians", min=1, help="Guardians n.")] = 3,
    quorum: Annotated[int, typer.Option("--quorum", min=1, help="Guardians needed to decrypt (t).")] = 2,
    revote: Annotated[
        str, typer.Option("--revote", metavar="last|refuse", help="'last' (the last ballot counts) or 'refuse'.")
    ] = "last",
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a yes/no e2e referendum (records its manifest as event 0)."""
    from saylau.crypto.ballot import QuestionSpec  # noqa: PLC0415
    from saylau.record.events import Manifest  # noqa: PLC0415
    from saylau.services.e2e.lifecycle import setup_election  # noqa: PLC0415

    mode: Revote = "refuse" if revote == "refuse" else "last"
    if revote not in ("last", "refuse"):
        raise Conflict("--revote is 'last' or 'refuse'", code="bad_option")
    manifest = Manifest(election, title, (QuestionSpec("q1", ("yes", "no"), 1, 1),), guardians, quorum, mode)
    fingerprint = setup_election(open_context(db, actor), manifest)
    _say({"election": election, "fingerprint": fingerprint}, as_json, f"{election}: fingerprint {fingerprint}")


@e2e_app.command("status")
@handle_errors
def status_command(election: ElectionOpt, db: DbOpt = DEFAULT_DB, as_json: JsonOpt = False) -> None:
    """Phase and head of an election's record."""
    from saylau.services.e2e.state import election_state  # noqa: PLC0415

    state = election_state(open_context(db, None), election)
    doc = {"election": election, "phase": state.phase.value, "height": state.head.height, "head": state.head.hash}
    _say(doc, as_json, f"{election}: {state.phase.value}, {state.head.height + 1} events, head {state.head.hash}")


@e2e_app.command("close")
@handle_errors
def close_command(
    election: ElectionOpt, db: DbOpt = DEFAULT_DB, actor: ActorOpt = None, as_json: JsonOpt = False
) -> None:
    """Close voting."""
    from saylau.services.e2e.lifecycle import close_election  # noqa: PLC0415

    ballots, head = close_election(open_context(db, actor), election)
    doc = {"election": election, "ballots": ballots, "tracking_head": head.full}
    noun = "ballot" if ballots == 1 else "ballots"
    _say(doc, as_json, f"{election}: closed with {ballots:,} {noun} cast, last tracking code {head.short}")


@e2e_app.command("tally")
@handle_errors
def tally_command(
    election: ElectionOpt, db: DbOpt = DEFAULT_DB, actor: ActorOpt = None, as_json: JsonOpt = False
) -> None:
    """Add up the counted ballots homomorphically (the last ballot per credential)."""
    from saylau.services.e2e.lifecycle import tally_election  # noqa: PLC0415

    tally = tally_election(open_context(db, actor), election)
    noun = "ballot" if tally.ballots == 1 else "ballots"
    text = f"{election}: {tally.ballots:,} {noun} counted (the last cast ballot of each voter), added up encrypted"
    _say({"election": election, "counted": tally.ballots}, as_json, text)


@e2e_app.command("publish")
@handle_errors
def publish_command(
    election: ElectionOpt,
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help=RECORD_OUT)],
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Combine the partial decryptions (≥ quorum), record the result, and export the record to OUT."""
    from saylau.services.e2e.board import ballot_figures  # noqa: PLC0415
    from saylau.services.e2e.lifecycle import export_record, publish_result  # noqa: PLC0415

    _empty_dir(out)
    ctx = open_context(db, actor)
    result = publish_result(ctx, election)
    export_record(ctx, election, out)
    figures = ballot_figures(ctx, election)
    doc = {
        "election": election,
        "counts": [list(c) for c in result.counts],
        "present": list(result.present),
        **figures.plain(),
    }
    yes, no = result.counts[0]
    text = f"{election}: yes {yes:,}, no {no:,} (guardians {list(result.present)}); record in {out}"
    _say(doc, as_json, f"{text}\n{figures.sentence()}")


@guardian_app.command("keygen")
@handle_errors
def guardian_keygen_command(
    election: ElectionOpt,
    index: Annotated[int, typer.Option("--index", "-i", min=1, help="This guardian's index, 1..n.")],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            metavar="FILE",
            help="New secret file (mode 0600) to write for this guardian (format: spec/record.md §8).",
        ),
    ],
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Draw this guardian's polynomial and authentication key; the secrets go to OUT only."""
    from saylau.services.e2e.parties import guardian_keygen  # noqa: PLC0415

    commitment = guardian_keygen(open_context(db, actor), election, index, out, secrets.token_bytes)
    doc = {"election": election, "guardian": index, "file": str(out), "commitment0": commitment.commitments[0].hex()}
    _say(doc, as_json, f"{election}: guardian {index} key material written to {out} (mode 0600)")


@e2e_app.command("ceremony")
@handle_errors
def ceremony_command(
    election: ElectionOpt,
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE", help="Every guardian's file from `guardian keygen` (format: spec/record.md §8)."
        ),
    ],
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Exchange the signed shares, verify and record every commitment; each file becomes its guardian's key share."""
    from saylau.services.e2e.parties import ceremony_from_files  # noqa: PLC0415

    key = ceremony_from_files(open_context(db, actor), election, files, secrets.token_bytes)
    doc = {"election": election, "joint_key": key.hex(), "guardians": len(files)}
    _say(doc, as_json, f"{election}: key ceremony recorded ({len(files)} guardians), joint key {key.hex()}")


@guardian_app.command("shares")
@handle_errors
def guardian_shares_command(
    election: ElectionOpt,
    file: Annotated[
        Path,
        typer.Option(
            "--file",
            metavar="FILE",
            help="This guardian's polynomial file from `guardian keygen` (format: spec/record.md §8).",
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            metavar="DIR",
            help="The exchange directory to write the public files into (format: spec/record.md §8.1).",
        ),
    ],
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Publish this guardian's commitment in OUT and, once every commitment is there, its encrypted signed shares."""
    from saylau.services.e2e.ceremony import send_shares  # noqa: PLC0415

    report = send_shares(open_context(db, actor), election, file, out, secrets.token_bytes)
    doc = {
        "election": election,
        "guardian": report.guardian,
        "waiting": list(report.waiting),
        "shares": list(report.shares),
    }
    if report.waiting:
        text = (
            f"{election}: guardian {report.guardian}'s commitment is in {out}; waiting for the commitments of "
            f"guardian(s) {list(report.waiting)} — copy them into {out} and run `guardian shares` again"
        )
    else:
        text = f"{election}: guardian {report.guardian}'s shares for {list(report.shares)} are in {out} (encrypted)"
    _say(doc, as_json, text)


@guardian_app.command("receive")
@handle_errors
def guardian_receive_command(
    election: ElectionOpt,
    file: Annotated[
        Path,
        typer.Option(
            "--file",
            metavar="FILE",
            help="This guardian's polynomial file; it becomes its key share (format: spec/record.md §8).",
        ),
    ],
    dirs: Annotated[
        list[Path],
        typer.Argument(
            metavar="DIR",
            help="Exchange directories holding the commitments and shares (format: spec/record.md §8.1).",
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="DIR", help="Where to write the confirmation or complaints (default: first DIR)."
        ),
    ] = None,
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Decrypt and check every share sent to this guardian: key-share file and confirmation, or a complaint."""
    from saylau.services.e2e.ceremony import receive_shares  # noqa: PLC0415

    target = out or dirs[0]
    report = receive_shares(open_context(db, actor), election, file, dirs, target, secrets.token_bytes)
    doc: dict[str, object] = {
        "election": election,
        "guardian": report.guardian,
        "confirmation": str(report.confirmation),
        "share_key": report.share_key.hex(),
        "waiting": list(report.waiting),
        "joint_key": report.recorded.hex() if report.recorded else None,
    }
    text = (
        f"{election}: guardian {report.guardian} checked every share; {file} is now its key share; "
        f"confirmed in {report.confirmation}"
    )
    if report.recorded is not None:
        text += f"\nEvery guardian has confirmed: key ceremony recorded, joint key {report.recorded.hex()}"
    else:
        text += f"\nWaiting for the confirmations of guardian(s) {list(report.waiting)}"
    _say(doc, as_json, text)


@guardian_app.command("check-complaint")
@handle_errors
def guardian_check_complaint_command(
    election: ElectionOpt,
    complaint: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="A complaint file written by `guardian receive` (format: spec/record.md §8.1)."
        ),
    ],
    exchange: Annotated[
        list[Path] | None,
        typer.Option(
            "--exchange",
            metavar="DIR",
            help="Exchange directory with the published commitments (format: spec/record.md §8.1).",
        ),
    ] = None,
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    """Decide a complaint: exit 0 if it is upheld (the accused signed a bad share), 1 if it is dismissed."""
    from saylau.services.e2e.ceremony import check_complaint_file  # noqa: PLC0415

    check = check_complaint_file(open_context(db, None), election, complaint, exchange or [])
    upheld = check.verdict.value == "upheld"
    doc = {
        "election": election,
        "accused": check.accused,
        "complainant": check.complainant,
        "verdict": check.verdict.value,
    }
    who = f"guardian {check.accused}'s share to guardian {check.complainant}"
    _say(doc, as_json, f"{election}: complaint about {who}: {check.verdict.value}")
    if not upheld:
        raise typer.Exit(1)


@e2e_app.command("record-ceremony")
@handle_errors
def record_ceremony_command(
    election: ElectionOpt,
    dirs: Annotated[
        list[Path],
        typer.Argument(
            metavar="DIR",
            help="Exchange directories holding commitments and confirmations (format: spec/record.md §8.1).",
        ),
    ],
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a distributed ceremony once every guardian has confirmed (`guardian receive` does it by itself)."""
    from saylau.services.e2e.ceremony import record_from_exchange  # noqa: PLC0415

    key = record_from_exchange(open_context(db, actor), election, dirs)
    doc = {"election": election, "joint_key": key.hex()}
    _say(doc, as_json, f"{election}: key ceremony recorded from the guardians' confirmations, joint key {key.hex()}")


@e2e_app.command("credentials")
@handle_errors
def credentials_command(
    election: ElectionOpt,
    voters: Annotated[int, typer.Option("--voters", min=1, help="How many credentials to issue.")],
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out-dir",
            metavar="DIR",
            help="Empty or new directory to write the credential files into (format: spec/record.md §8).",
        ),
    ],
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The credential authority: one secret file per voter, public credentials registered (voting opens)."""
    from saylau.services.e2e.parties import PUBLIC_CREDENTIALS, issue_credentials  # noqa: PLC0415

    count = issue_credentials(open_context(db, actor), election, voters, out_dir, secrets.token_bytes)
    doc = {"election": election, "credentials": count, "out_dir": str(out_dir), "public": PUBLIC_CREDENTIALS}
    _say(doc, as_json, f"{election}: {count} credentials registered; secret files in {out_dir}; voting is open")


@e2e_app.command("cast")
@handle_errors
def cast_command(
    election: ElectionOpt,
    credential: Annotated[
        Path,
        typer.Option(
            "--credential",
            metavar="FILE",
            help="The voter's secret credential file (format: spec/record.md §8).",
        ),
    ],
    choice: Annotated[str, typer.Option("--choice", metavar="OPTION", help="The option chosen, e.g. yes or no.")],
    spoil: Annotated[bool, typer.Option("--spoil", help="Challenge the ballot (Benaloh): spoil and open it.")] = False,
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A voter's device: encrypt, prove, sign and submit; print the tracking code (or spoil and check the opening)."""
    from saylau.services.e2e.parties import SpoilReceipt, cast_with_credential  # noqa: PLC0415

    receipt = cast_with_credential(open_context(db, actor), election, credential, choice, spoil, secrets.token_bytes)
    if isinstance(receipt, SpoilReceipt):
        doc: dict[str, object] = {"election": election, "spoiled": receipt.ballot_id, "height": receipt.height}
        text = f"{election}: ballot {receipt.ballot_id} spoiled; its published opening checks and shows {choice!r}"
    else:
        doc = {"election": election, "ballot": receipt.ballot_id, "tracking_code": receipt.tracking.full}
        text = f"{election}: ballot cast, tracking code {receipt.tracking.short} ({receipt.tracking.full})"
    _say(doc, as_json, text)


@e2e_app.command("decrypt")
@handle_errors
def decrypt_command(
    election: ElectionOpt,
    key_file: Annotated[
        Path,
        typer.Argument(
            metavar="KEY_FILE",
            help="This guardian's key-share file, after the ceremony (format: spec/record.md §8).",
        ),
    ],
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A guardian's partial decryption of the tally, with its Chaum-Pedersen proofs (verified on receipt)."""
    from saylau.services.e2e.parties import decrypt_with_file  # noqa: PLC0415

    guardian, done = decrypt_with_file(open_context(db, actor), election, key_file, secrets.token_bytes)
    doc = {"election": election, "guardian": guardian, "decryptions": done}
    _say(doc, as_json, f"{election}: partial decryption of guardian {guardian} recorded ({done} so far)")


@e2e_app.command("export")
@handle_errors
def export_command(
    election: ElectionOpt,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            metavar="DIR",
            help="Empty or new directory to write the (partial) public record into (format: spec/record.md §1).",
        ),
    ],
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Export the public record as it stands, at any phase (verify a partial one with `saylau-verify --partial`)."""
    from saylau.services.e2e.lifecycle import export_record  # noqa: PLC0415
    from saylau.services.e2e.state import election_state  # noqa: PLC0415

    _empty_dir(out)
    ctx = open_context(db, actor)
    state = election_state(ctx, election)
    export_record(ctx, election, out)
    doc = {"election": election, "phase": state.phase.value, "events": state.head.height + 1, "out": str(out)}
    _say(doc, as_json, f"{election}: {state.head.height + 1} events ({state.phase.value}) exported to {out}")


def _say(doc: Mapping[str, object], as_json: bool, text: str) -> None:
    if as_json:
        print_json(doc)
    else:
        console.print(text, highlight=False, markup=False)


# --- the e-ballots as a channel of a referendum event's unit (spec/counting.md §5) ------------------


def _pairs(values: list[str] | None, option: str, sep: str = "=") -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values or []:
        key, found, value = v.partition(sep)
        if not found or not key or not value:
            raise InputError(
                [Problem(rule="bad_option", field=option, message=f"{v!r} is not KEY=VALUE")],
                summary=f"{option} takes KEY=VALUE, e.g. {option} q1=q1",
            )
        if key in out:
            raise InputError([Problem(rule="bad_option", field=option, message=f"{key!r} given twice")])
        out[key] = value
    return out


@e2e_app.command("link")
@handle_errors
def link_command(
    election: ElectionOpt,
    event: Annotated[
        str, typer.Option("--event", metavar="EVENT", help="The referendum event whose count the e-ballots join.")
    ],
    unit: Annotated[
        str, typer.Option("--unit", metavar="UNIT", help="The unit they are counted at (district, region, country…).")
    ],
    maps: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="EQ=Q",
            help="E2E_QUESTION=EVENT_QUESTION (default: same code, or the only question; spec/counting.md §5.1).",
        ),
    ] = None,
    options: Annotated[
        list[str] | None,
        typer.Option(
            "--option",
            metavar="EQ.OPT=FIELD",
            help="E2E_QUESTION.OPTION=FIELD (default: yes → yes, no → no; spec/counting.md §5.1).",
        ),
    ] = None,
    db: DbOpt = DEFAULT_DB,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Count an e2e election's result as the electronic channel of one unit of a referendum event."""
    from saylau.services.channels import link_channel  # noqa: PLC0415

    link = link_channel(
        open_context(db, actor), election, event, unit, _pairs(maps, "--map"), _pairs(options, "--option")
    )
    doc = {
        "election": link.election,
        "fingerprint": link.fingerprint,
        "event": link.event,
        "unit": link.unit,
        "channel": link.channel,
        "mapping": link.mapping.plain(),
    }
    shown = "; ".join(
        f"{q.question} → {q.contest} ({', '.join(f'{o} → {f}' for o, f in q.options)})" for q in link.mapping.questions
    )
    text = (
        f"{link.election}: linked to {link.unit} of {link.event} as its {link.channel} channel: {shown}. "
        "Its e-ballots join the count once its result is published."
    )
    _say(doc, as_json, text)
