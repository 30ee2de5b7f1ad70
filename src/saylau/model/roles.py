"""The roles of commission accounts (what each may do is decided in ``services.access.accounts``).

``admin`` manages accounts; ``central`` acts on every precinct; ``regional``, ``district`` and
``precinct`` members act only on precincts under their units; ``observer`` reads everything and changes
nothing. A value type of its own, so that the command line offers the choices of ``saylau user add
--role`` without loading the account machinery (argon2, the store): issue 10 item 8.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Role"]


class Role(StrEnum):
    ADMIN = "admin"
    CENTRAL = "central"
    REGIONAL = "regional"
    DISTRICT = "district"
    PRECINCT = "precinct"
    OBSERVER = "observer"
