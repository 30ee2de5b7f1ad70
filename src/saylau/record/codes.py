"""The stable error codes of the public record and of its ballot box (spec/formats.md §15; spec/record.md).

The ballot-acceptance codes (unknown_credential ... too_many_ballots) are the record's rule for accepting
a ballot (the producer's twin of verifier steps V15–V17), whichever module applies it.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["RecordCode"]


class RecordCode(StrEnum):
    """Codes raised by saylau.record, and those of the ballot-acceptance rule."""

    RECORD = "record"  # RecordError without a finer code
    RECORD_JSON_SYNTAX = "record_json_syntax"  # record bytes that are not JSON
    RECORD_JSON_TYPE = "record_json_type"  # a boolean, float, null or non-string key in the record
    RECORD_NOT_CANONICAL = "record_not_canonical"  # JSON that is not the record's canonical encoding
    RECORD_BAD_MANIFEST = "record_bad_manifest"  # an election manifest with unknown, malformed or inconsistent fields
    RECORD_BROKEN = "record_broken"  # the stored record fails a check of the chain; details.problems
    # the ballot box: accepting a cast or spoiled ballot (spec/record.md, V15–V17)
    UNKNOWN_CREDENTIAL = "unknown_credential"  # a ballot signed by a credential that is not registered
    INVALID_BALLOT = "invalid_ballot"  # a ballot whose proofs or signature do not verify; details: failure, where
    DUPLICATE_BALLOT_ID = "duplicate_ballot_id"  # a ballot id already used in this election
    DUPLICATE_CIPHERTEXT = "duplicate_ciphertext"  # a ballot repeating a ciphertext already received
    REVOTE_REFUSED = "revote_refused"  # a second ballot of a credential where re-voting is refused
    TOO_MANY_BALLOTS = "too_many_ballots"  # a credential at its most casts or spoils; details.max_casts or max_spoils
    RECORD_NOT_VOTING = "record_not_voting"  # a ballot offered to the box after the record left the voting phase
    RECORD_BAD_POLICY = "record_bad_policy"  # a re-vote policy with a negative limit (a programming error)
    BAD_OPENING = "bad_opening"  # a spoiled ballot's opening that does not match the ballot or the choice
