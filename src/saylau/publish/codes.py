"""The stable error codes of publication: rendered outputs and static releases (spec/formats.md §15)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["PublishCode"]


class PublishCode(StrEnum):
    """Codes raised by saylau.publish (and by services refusing the same)."""

    TEST_NOT_PUBLISHABLE = "test_not_publishable"  # an event in test mode: its results are never published
    NOT_CERTIFIED = "not_certified"  # a printable protocol asked for a result that is not certified
    RELEASE_CHAIN = "release_chain"  # a release whose previous hash breaks the chain of releases (§9)
