"""The voter register's pure core: identifiers (IIN), names across scripts, persons and their versions,
the diff of two imports (spec/register.md). No database, no clock."""

from saylau.register.codes import RegisterCode
from saylau.register.errors import RegisterError
from saylau.register.iin import BirthCheck, IdentifierScheme, check_digit, check_identifier, iin_facts
from saylau.register.model import ChangeKind, Entry, PersonVersion, RegisterDiff, Status, diff
from saylau.register.names import match_key, normalise

__all__ = [
    "BirthCheck",
    "ChangeKind",
    "Entry",
    "IdentifierScheme",
    "PersonVersion",
    "RegisterCode",
    "RegisterDiff",
    "RegisterError",
    "Status",
    "check_digit",
    "check_identifier",
    "diff",
    "iin_facts",
    "match_key",
    "normalise",
]
