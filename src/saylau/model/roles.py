"""The roles of commission accounts (what each may do is decided in ``services.access.accounts``).

``admin`` manages accounts; ``central`` acts on every precinct; ``regional``, ``district`` and
``precinct`` members act only on precincts under their units; ``observer`` reads everything and changes
nothing. A value type of its own, so that the command line offers the choices of ``saylau user add
--role`` without loading the account machinery (argon2, the store): issue 10 item 8.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["REGISTER_NAMES", "Role"]


class Role(StrEnum):
    ADMIN = "admin"
    CENTRAL = "central"
    REGIONAL = "regional"
    DISTRICT = "district"
    PRECINCT = "precinct"
    OBSERVER = "observer"


# The roles whose members may read the voter register's names and identifiers (spec/register.md §8): an
# export for anyone else is pseudonymised (a keyed hash of the identifier, no names). The local command
# line is the commission's own machine and reads the database itself: it may.
REGISTER_NAMES: frozenset[Role] = frozenset({Role.CENTRAL})
