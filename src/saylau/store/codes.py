"""The stable error codes of the store (spec/formats.md §15)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["StoreCode"]


class StoreCode(StrEnum):
    """Codes raised by saylau.store."""

    DATABASE_UNAVAILABLE = "database_unavailable"  # the database cannot be reached or is not set up
