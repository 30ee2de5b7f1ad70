"""Value types of the domain: ids, territory, referendums, protocols, tallies, lifecycle, errors."""

from saylau.model.errors import (
    Conflict,
    InputError,
    LifecycleError,
    NotFound,
    Problem,
    ProtocolRejected,
    SaylauError,
)
from saylau.model.ids import EventCode, Operator, QuestionCode, UnitCode
from saylau.model.lifecycle import TRANSITIONS, Mode, Phase, check_transition
from saylau.model.outcome import DistrictOutcome, Outcome, SeatOutcome
from saylau.model.protocol import (
    STANDARD_FIELDS,
    Counts,
    FieldDef,
    Protocol,
    ProtocolEntry,
    ProtocolSchema,
    Relation,
)
from saylau.model.referendum import (
    BALLOT_FIELDS,
    LANGS,
    ContestKind,
    Lang,
    Option,
    OptionKind,
    Question,
    QuestionText,
    Referendum,
)
from saylau.model.results import Correction, PrecinctWarning, ResultStatus, ResultsView, UnitResult
from saylau.model.tally import Tally, UnitRow
from saylau.model.territory import Territory, Unit, UnitKind

__all__ = [
    "BALLOT_FIELDS",
    "LANGS",
    "STANDARD_FIELDS",
    "TRANSITIONS",
    "Conflict",
    "ContestKind",
    "Correction",
    "Counts",
    "DistrictOutcome",
    "EventCode",
    "FieldDef",
    "InputError",
    "Lang",
    "LifecycleError",
    "Mode",
    "NotFound",
    "Operator",
    "Option",
    "OptionKind",
    "Outcome",
    "Phase",
    "PrecinctWarning",
    "Problem",
    "Protocol",
    "ProtocolEntry",
    "ProtocolRejected",
    "ProtocolSchema",
    "Question",
    "QuestionCode",
    "QuestionText",
    "Referendum",
    "Relation",
    "ResultStatus",
    "ResultsView",
    "SaylauError",
    "SeatOutcome",
    "Tally",
    "Territory",
    "Unit",
    "UnitCode",
    "UnitKind",
    "UnitResult",
    "UnitRow",
    "check_transition",
]
