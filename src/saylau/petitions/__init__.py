"""The petitions' pure core (issue 12; spec/petitions.md): recall, citizens' initiative and nomination
petitions, their paper (double entry) and online (Ed25519 / ECDSA P-256) signatures, matching to the register
given as plain values.

No database, no web, no clock: the services load the rows, call these functions and persist the answers.
"""

from saylau.petitions.codes import PetitionsCode
from saylau.petitions.errors import PetitionError
from saylau.petitions.keying import Keying, reconcile
from saylau.petitions.matching import InMemoryRegister, Match, Matching, MatchStatus, Register, match_signatures
from saylau.petitions.model import (
    CountThreshold,
    FullCheck,
    OnlineSignature,
    PaperSignature,
    Petition,
    PetitionKind,
    RandomSample,
    Registrant,
    Residence,
    Sequential,
    ShareThreshold,
    Signature,
    SignatureId,
    Statement,
    Status,
    Threshold,
    VerificationRule,
    Withdrawal,
    required_signatures,
)
from saylau.petitions.online import STATEMENT_PURPOSE, check_online, statement_bytes

__all__ = [
    "STATEMENT_PURPOSE",
    "CountThreshold",
    "FullCheck",
    "InMemoryRegister",
    "Keying",
    "Match",
    "MatchStatus",
    "Matching",
    "OnlineSignature",
    "PaperSignature",
    "Petition",
    "PetitionError",
    "PetitionKind",
    "PetitionsCode",
    "RandomSample",
    "Register",
    "Registrant",
    "Residence",
    "Sequential",
    "ShareThreshold",
    "Signature",
    "SignatureId",
    "Statement",
    "Status",
    "Threshold",
    "VerificationRule",
    "Withdrawal",
    "check_online",
    "match_signatures",
    "reconcile",
    "required_signatures",
    "statement_bytes",
]
