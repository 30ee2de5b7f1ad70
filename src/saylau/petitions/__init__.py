"""The petitions' pure core (issue 12; spec/petitions.md): recall, citizens' initiative and nomination
petitions, their paper (double entry) and online (Ed25519 / ECDSA P-256) signatures, matching to the register
given as plain values, verification by full count, California's random sample or Wald's sequential test
from a public seed, the outcome in figures and words, and a qualified recall's vote.

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
from saylau.petitions.presets import (
    PetitionPreset,
    PresetVersion,
    load_petition_preset,
    parse_petition_preset,
    petition_from_preset,
    petition_preset_names,
)
from saylau.petitions.sampling import (
    SAMPLE_TAG,
    Estimate,
    SequentialResult,
    SequentialState,
    Zone,
    california_estimate,
    california_zone,
    draw_sample,
    sample_size,
    sequential_test,
)
from saylau.petitions.verify import RECALL_PRESET, Outcome, RecallVote, Verification, recall_vote, verify_petition

__all__ = [
    "RECALL_PRESET",
    "SAMPLE_TAG",
    "STATEMENT_PURPOSE",
    "CountThreshold",
    "Estimate",
    "FullCheck",
    "InMemoryRegister",
    "Keying",
    "Match",
    "MatchStatus",
    "Matching",
    "OnlineSignature",
    "Outcome",
    "PaperSignature",
    "Petition",
    "PetitionError",
    "PetitionKind",
    "PetitionPreset",
    "PetitionsCode",
    "PresetVersion",
    "RandomSample",
    "RecallVote",
    "Register",
    "Registrant",
    "Residence",
    "Sequential",
    "SequentialResult",
    "SequentialState",
    "ShareThreshold",
    "Signature",
    "SignatureId",
    "Statement",
    "Status",
    "Threshold",
    "Verification",
    "VerificationRule",
    "Withdrawal",
    "Zone",
    "california_estimate",
    "california_zone",
    "check_online",
    "draw_sample",
    "load_petition_preset",
    "match_signatures",
    "parse_petition_preset",
    "petition_from_preset",
    "petition_preset_names",
    "recall_vote",
    "reconcile",
    "required_signatures",
    "sample_size",
    "sequential_test",
    "statement_bytes",
    "verify_petition",
]
