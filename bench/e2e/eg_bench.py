"""ElectionGuard Python SDK 1.4.0: one yes/no ballot, encryption with proofs and verification, one core.

Runs inside the peer venv made by ``setup.sh`` (``.peers/eg-venv/bin/python bench/e2e/eg_bench.py N``), not in
saylau's venv: it imports only ``electionguard`` and prints one JSON object on stdout.

The referendum: one ``ReferendumContestDescription`` with two selections (yes, no), ``one_of_m``, one vote
allowed, in one ballot style. Key: one guardian (n = k = 1) from ``elgamal_keypair_random``; the number of
guardians changes neither encryption nor ballot verification. Encryption is the SDK's ``encrypt_ballot``
(it adds one placeholder selection, so 3 disjunctive 0/1 proofs plus one constant Chaum-Pedersen proof on the
sum); verification is ``CiphertextBallot.is_valid_encryption`` (hashes, every selection proof, the contest proof).
Size: the published form (``SubmittedBallot``, nonces dropped) serialized by the SDK's ``to_raw`` (JSON).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from datetime import datetime, timezone

from electionguard.ballot import (  # type: ignore[import-not-found]
    BallotBoxState,
    PlaintextBallot,
    PlaintextBallotContest,
    PlaintextBallotSelection,
    make_ciphertext_submitted_ballot,
)
from electionguard.election import make_ciphertext_election_context  # type: ignore[import-not-found]
from electionguard.elgamal import elgamal_keypair_random  # type: ignore[import-not-found]
from electionguard.encrypt import encrypt_ballot  # type: ignore[import-not-found]
from electionguard.group import rand_q  # type: ignore[import-not-found]
from electionguard.manifest import (  # type: ignore[import-not-found]
    BallotStyle,
    Candidate,
    ElectionType,
    GeopoliticalUnit,
    InternalManifest,
    Manifest,
    ReferendumContestDescription,
    ReportingUnitType,
    SelectionDescription,
    SpecVersion,
    VoteVariationType,
)
from electionguard.serialize import to_raw  # type: ignore[import-not-found]


def _manifest() -> Manifest:
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)  # noqa: UP017 (runs on Python 3.10 too)
    contest = ReferendumContestDescription(
        object_id="q1",
        sequence_order=0,
        electoral_district_id="country",
        vote_variation=VoteVariationType.one_of_m,
        number_elected=1,
        votes_allowed=1,
        name="Do you approve the proposal?",
        ballot_selections=[
            SelectionDescription(object_id="yes", sequence_order=0, candidate_id="yes"),
            SelectionDescription(object_id="no", sequence_order=1, candidate_id="no"),
        ],
    )
    return Manifest(
        election_scope_id="bench-referendum",
        spec_version=SpecVersion.EG1_0,
        type=ElectionType.special,
        start_date=start,
        end_date=start,
        geopolitical_units=[GeopoliticalUnit(object_id="country", name="Country", type=ReportingUnitType.country)],
        parties=[],
        candidates=[Candidate(object_id="yes"), Candidate(object_id="no")],
        contests=[contest],
        ballot_styles=[BallotStyle(object_id="style", geopolitical_unit_ids=["country"])],
    )


def _plaintext(index: int) -> PlaintextBallot:
    chosen = "yes" if index % 2 == 0 else "no"
    selection = PlaintextBallotSelection(object_id=chosen, vote=1)
    return PlaintextBallot(f"ballot-{index}", "style", [PlaintextBallotContest("q1", [selection])])


def main(repeat: int) -> None:
    logging.getLogger("electionguard").setLevel(logging.WARNING)  # its INFO lines print every nonce and pad
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    manifest = _manifest()
    if not manifest.is_valid():
        raise SystemExit("electionguard: the referendum manifest is not valid")
    internal = InternalManifest(manifest)
    keypair = elgamal_keypair_random()
    context = make_ciphertext_election_context(1, 1, keypair.public_key, rand_q(), manifest.crypto_hash())
    seed = manifest.crypto_hash()
    plain = [_plaintext(i) for i in range(repeat)]
    encrypt_ballot(plain[0], internal, context, seed)  # warm up (precomputation tables, imports)
    start = time.perf_counter()
    ballots = [encrypt_ballot(p, internal, context, seed) for p in plain]
    encrypt_s = (time.perf_counter() - start) / repeat
    if any(b is None for b in ballots):
        raise SystemExit("electionguard: encrypt_ballot returned None")
    start = time.perf_counter()
    valid = [
        b.is_valid_encryption(internal.manifest_hash, keypair.public_key, context.crypto_extended_base_hash)
        for b in ballots
    ]
    verify_s = (time.perf_counter() - start) / repeat
    if not all(valid):
        raise SystemExit("electionguard: a ballot it encrypted does not verify")
    submitted = make_ciphertext_submitted_ballot(
        ballots[0].object_id,
        ballots[0].style_id,
        ballots[0].manifest_hash,
        ballots[0].code_seed,
        ballots[0].contests,
        ballots[0].code,
        ballots[0].timestamp,
        BallotBoxState.CAST,
    )
    size = len(to_raw(submitted).encode("utf-8"))
    selections = sum(len(c.ballot_selections) for c in ballots[0].contests)
    print(
        json.dumps(
            {
                "system": "electionguard 1.4.0",
                "python": sys.version.split()[0],
                "ballots": repeat,
                "encrypt_ms": encrypt_s * 1e3,
                "verify_ms": verify_s * 1e3,
                "bytes": size,
                "selections_with_placeholders": selections,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
