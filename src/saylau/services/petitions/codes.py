"""The stable error codes of the petitions' use cases (spec/formats.md §15; spec/petitions.md §10)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["PetitionFlowCode"]


class PetitionFlowCode(StrEnum):
    """Codes raised by saylau.services.petitions."""

    PETITION_NOT_FOUND = "petition_not_found"  # no petition of that code
    PETITION_EXISTS = "petition_exists"  # a petition of that code is already there
    PETITION_UNKNOWN_SCOPE = "petition_unknown_scope"  # the scope is no event's unit and no register precinct
    PETITION_SHEET_EXISTS = "petition_sheet_exists"  # a sheet of that id was already imported
    PETITION_SIGNATURE_REFUSED = "petition_signature_refused"  # an online signature that does not verify
    PETITION_SIGNATURE_NOT_FOUND = "petition_signature_not_found"  # a withdrawal of an unknown signature
    PETITION_ALREADY_WITHDRAWN = "petition_already_withdrawn"  # a second withdrawal of one signature
    PETITION_CENTRAL_ONLY = "petition_central_only"  # a verification asked for by a non-central member (forbidden)
