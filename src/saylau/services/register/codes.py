"""The stable error codes of the register's use cases (spec/formats.md §15; spec/register.md)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["RegisterFlowCode"]


class RegisterFlowCode(StrEnum):
    """Codes raised by saylau.services.register."""

    PERSON_NOT_FOUND = "person_not_found"  # no such person (or, for a self-check, not with that birth date)
    PERSON_NOT_ACTIVE = "person_not_active"  # a certificate asked for a person not active in the register
    CERTIFICATE_TAKEN = "certificate_taken"  # a second absentee certificate for the same person and event
