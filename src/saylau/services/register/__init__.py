"""The voter register's use cases (spec/register.md): import and re-import (a diff applied on request),
voter lists at a date and the protocols' registered checked against them, a person's history, a voter's
own check, absentee certificates. The register is never public."""

from saylau.services.register.codes import RegisterFlowCode
from saylau.services.register.importing import ImportOptions, ImportOutcome, import_register
from saylau.services.register.lists import ListsView, RegisteredCheck, check_registered, list_extract, voter_lists
from saylau.services.register.persons import (
    Certificate,
    OwnEntry,
    check_own_entry,
    issue_certificate,
    own_entry,
    person_history,
)

__all__ = [
    "Certificate",
    "ImportOptions",
    "ImportOutcome",
    "ListsView",
    "OwnEntry",
    "RegisterFlowCode",
    "RegisteredCheck",
    "check_own_entry",
    "check_registered",
    "import_register",
    "issue_certificate",
    "list_extract",
    "own_entry",
    "person_history",
    "voter_lists",
]
