"""The stable error codes of the e2e election: setup, ceremony, casting, decryption (spec/formats.md §15;
spec/e2e.md). The ballot-acceptance codes are the record's (saylau.record.codes), the file codes the edge's
(saylau.io.codes)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["E2eCode"]


class E2eCode(StrEnum):
    """Codes raised by saylau.services.e2e."""

    E2E_REJECTED = "e2e_rejected"  # E2eRejected without a finer code
    DUPLICATE_ELECTION = "duplicate_election"  # an e2e election of that id already exists
    E2E_NO_RECORD = "e2e_no_record"  # an election without a record
    E2E_WRONG_PHASE = "e2e_wrong_phase"  # a step the election's current phase does not allow; details.phase
    BAD_OPTION = "bad_option"  # a setup option out of its range (voters, --revote)
    BAD_CREDENTIALS = "bad_credentials"  # public credentials not distinct, or the identity (homonym: access)
    UNKNOWN_GUARDIAN = "unknown_guardian"  # a guardian index outside 1..n; details.guardian
    CEREMONY_INVALID = "ceremony_invalid"  # commitments or the key ceremony refused (each problem named)
    CEREMONY_INCOMPLETE = "ceremony_incomplete"  # a ceremony step missing files, shares or confirmations
    SHARE_UNSIGNED = "share_unsigned"  # exchanged shares that nobody signed
    SHARE_COMPLAINT = "share_complaint"  # signed shares that fail the check: complaints are written
    COMPLAINT_INVALID = "complaint_invalid"  # a complaint that does not hold
    E2E_NO_JOINT_KEY = "e2e_no_joint_key"  # a ballot before the election has a joint key
    INTAKE_CLOSED = "intake_closed"  # the ballot intake was shut down: it takes no more ballots
    TRACKING_NOT_FOUND = "tracking_not_found"  # no ballot with that tracking code; details: election, tracking
    BAD_CHOICE = "bad_choice"  # a simulated choice that is not an option of its question
    DUPLICATE_DECRYPTION = "duplicate_decryption"  # a guardian's partial decryption given twice
    INVALID_DECRYPTION = "invalid_decryption"  # a partial decryption that does not verify; details: guardian, where
    QUORUM_NOT_MET = "quorum_not_met"  # fewer partial decryptions than the quorum
    DECRYPTION_FAILED = "decryption_failed"  # the tally could not be decrypted with the shares given
    E2E_DEMO = "e2e_demo"  # the demo's result differs from its simulated votes (a bug)
    E2E_NO_RECEIPT = "e2e_no_receipt"  # a spoiled ballot asked for a cast receipt (a programming error)
