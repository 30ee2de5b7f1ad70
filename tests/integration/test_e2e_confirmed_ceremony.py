"""record_confirmed_ceremony (the distributed key ceremony's last step) records only with n valid confirmations
over exactly the commitments given (spec/record.md §8.1, spec/crypto.md §5.9), on SQLite and PostgreSQL."""

from __future__ import annotations

import secrets
from dataclasses import replace

import pytest

from saylau.crypto.ballot import QuestionSpec
from saylau.crypto.group import Scalar, base_mul
from saylau.crypto.keys import CeremonyParams, generate_guardian
from saylau.crypto.share_exchange import (
    CeremonyConfirmation,
    ReceivedShare,
    confirm_ceremony,
    encrypt_share,
    key_share_from,
    receive_share,
)
from saylau.record.events import Manifest
from saylau.services.context import Context
from saylau.services.e2e.lifecycle import record_confirmed_ceremony, setup_election
from saylau.services.e2e.state import E2eRejected, election_state

CODE = "ref-confirmed"
RNG = secrets.token_bytes


def _ceremony(ctx: Context) -> tuple[list, list[CeremonyConfirmation]]:
    setup_election(ctx, Manifest(CODE, "Approve?", (QuestionSpec("q1", ("yes", "no"), 1, 1),), 3, 2, "last"))
    context = election_state(ctx, CODE).crypto
    guardians = [generate_guardian(i, CeremonyParams(3, 2), context, RNG) for i in (1, 2, 3)]
    commitments = [c for _, c in guardians]
    confirmations = []
    for s_j, c_j in guardians:
        received = []
        for s_i, c_i in guardians:
            if c_i.index != c_j.index:
                got = receive_share(encrypt_share(s_i, c_j, context, RNG), c_i, c_j, s_j.auth, context, RNG)
                assert isinstance(got, ReceivedShare)
                received.append(got)
        confirmations.append(confirm_ceremony(key_share_from(s_j, received), s_j.auth, commitments, context, RNG))
    return commitments, confirmations


def _refused(ctx: Context, commitments: list, confirmations: list[CeremonyConfirmation], why: str) -> None:
    with pytest.raises(E2eRejected) as excinfo:
        record_confirmed_ceremony(ctx, CODE, commitments, confirmations)
    assert excinfo.value.code == "ceremony_invalid"
    assert why in excinfo.value.message
    assert election_state(ctx, CODE).phase.value == "ceremony"


def test_records_with_every_confirmation_and_refuses_otherwise(ctx: Context) -> None:
    commitments, confirmations = _ceremony(ctx)
    _refused(ctx, commitments, confirmations[:2], "missing: [3]")
    forged = replace(confirmations[1], share_key=base_mul(Scalar(5)))
    _refused(ctx, commitments, [confirmations[0], forged, confirmations[2]], "confirmation[2].share_key")
    resigned = replace(confirmations[2], signature=confirmations[1].signature)
    _refused(ctx, commitments, [*confirmations[:2], resigned], "confirmation[3]")
    swapped = [commitments[0], replace(commitments[1], auth_key=commitments[2].auth_key), commitments[2]]
    _refused(ctx, swapped, confirmations, "guardian[2]")

    key = record_confirmed_ceremony(ctx, CODE, commitments, list(reversed(confirmations)))
    state = election_state(ctx, CODE)
    assert state.phase.value == "keyed"
    assert key == sum((c.commitments[0] for c in commitments[1:]), commitments[0].commitments[0])
