"""The stable error codes of the petitions' core (spec/formats.md §15; the rules: spec/petitions.md)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["PetitionsCode"]


class PetitionsCode(StrEnum):
    """Codes raised by saylau.petitions."""

    PETITION = "petition"  # PetitionError without a finer code
    PETITION_BAD_DEFINITION = "petition_bad_definition"  # dates out of order, a threshold or rule out of range
    PETITION_BAD_SIGNATURE = "petition_bad_signature"  # a signature record malformed (a field too long, a bad id)
    PETITION_DUPLICATE_ID = "petition_duplicate_id"  # two signatures, keyings or persons with one id
    PETITION_KEYING_MISMATCH = "petition_keying_mismatch"  # the two operators keyed a sheet line differently
    PETITION_SAME_OPERATOR = "petition_same_operator"  # both keyings of a sheet line by one operator
    PETITION_BAD_PRESET = "petition_bad_preset"  # a petitions preset file that breaks its format
    PETITION_NO_VERSION = "petition_no_version"  # no version of the preset applies at the date
    PETITION_BAD_SAMPLE = "petition_bad_sample"  # sample results that are not those of the drawn signatures
    PETITION_NOT_QUALIFIED = "petition_not_qualified"  # a recall vote asked for a petition that did not qualify
