"""The petitions' use cases (issue 12; spec/petitions.md §10): create, sign online, import paper sheets
under double entry, withdraw, verify against the register (full, sample, sequential), status and report, and
a qualified recall's vote created under ``kz-recall``."""

from saylau.services.petitions.codes import PetitionFlowCode
from saylau.services.petitions.intake import (
    SHEET_COLUMNS,
    Created,
    Scope,
    create_petition,
    import_sheet,
    sign_online,
    sign_online_public,
    withdraw,
)
from saylau.services.petitions.verifying import (
    PetitionStatus,
    Verified,
    create_recall_vote,
    petition_report,
    petition_status,
    verify,
)

__all__ = [
    "SHEET_COLUMNS",
    "Created",
    "PetitionFlowCode",
    "PetitionStatus",
    "Scope",
    "Verified",
    "create_petition",
    "create_recall_vote",
    "import_sheet",
    "petition_report",
    "petition_status",
    "sign_online",
    "sign_online_public",
    "verify",
    "withdraw",
]
