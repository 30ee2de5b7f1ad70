"""Risk-limiting audits of a reported outcome under the law's own rules: the pure core (spec/audit.md).

No database, clock, environment or I/O: the plan (assertions from the preset's conditions), the methods
(MACRO batch comparison, super-simple ballot comparison, BRAVO and Minerva ballot polling, ALPHA for
polling and comparison, ONEAudit for batches without cast-vote records, and the two mixed) and the SHA-256
sampler take plain values and return plain values. Services, CLI and pages call them.
"""

from saylau.audit.alpha import (
    Estimator,
    FixedEta,
    Shrinkage,
    alpha_comparison_risk,
    alpha_comparison_size,
    alpha_polling_risk,
    alpha_polling_size,
    alpha_risk,
    comparison_estimator,
    polling_estimator,
    shrinkage,
)
from saylau.audit.assertions import Assertion, Method, counts_of, share_assertion
from saylau.audit.assorters import CATEGORIES, Assorter, BallotCounts, Category, LinearClaim, assorter_of
from saylau.audit.codes import AuditCode
from saylau.audit.comparison import GAMMA, Rates, comparison_risk, comparison_sample_size, n_min, overstatement
from saylau.audit.contest import (
    ContestBatch,
    ContestMacro,
    ContestPlan,
    ContestRisk,
    contest_macro,
    contest_plan,
    contest_plan_json,
    contest_risk,
    contest_sample_size,
)
from saylau.audit.elections import (
    ALLOCATION_METHODS,
    DivisorMethod,
    OptionAssertion,
    allocation_assertions,
    district_assertions,
    party_list_assertions,
)
from saylau.audit.errors import AuditError
from saylau.audit.macro import (
    Batch,
    MacroPlan,
    MacroRisk,
    Manifest,
    Measurement,
    macro_plan,
    macro_risk,
    macro_sample_size,
)
from saylau.audit.oneaudit import (
    Cvr,
    mixed_estimator,
    mixed_size,
    one_cvr,
    one_overstatement,
    oneaudit_estimator,
    oneaudit_risk,
    oneaudit_size,
)
from saylau.audit.plan import DEFAULT_RISK_LIMIT, AuditPlan, UnitChoice, check_risk_limit, plan_question
from saylau.audit.plan_json import assertion_json, plan_json
from saylau.audit.planner import CHANCES, SizeEstimate, estimate_sizes, polling_shares
from saylau.audit.polling import Shares, bravo_asn, bravo_risk, bravo_round_size, minerva_first_round
from saylau.audit.sampler import SEED_DIGITS, Seed, draw_ballots, draw_pps, draw_without_replacement, ticket

__all__ = [
    "ALLOCATION_METHODS",
    "CATEGORIES",
    "CHANCES",
    "DEFAULT_RISK_LIMIT",
    "GAMMA",
    "SEED_DIGITS",
    "Assertion",
    "Assorter",
    "AuditCode",
    "AuditError",
    "AuditPlan",
    "BallotCounts",
    "Batch",
    "Category",
    "ContestBatch",
    "ContestMacro",
    "ContestPlan",
    "ContestRisk",
    "Cvr",
    "DivisorMethod",
    "Estimator",
    "FixedEta",
    "LinearClaim",
    "MacroPlan",
    "MacroRisk",
    "Manifest",
    "Measurement",
    "Method",
    "OptionAssertion",
    "Rates",
    "Seed",
    "Shares",
    "Shrinkage",
    "SizeEstimate",
    "UnitChoice",
    "allocation_assertions",
    "alpha_comparison_risk",
    "alpha_comparison_size",
    "alpha_polling_risk",
    "alpha_polling_size",
    "alpha_risk",
    "assertion_json",
    "assorter_of",
    "bravo_asn",
    "bravo_risk",
    "bravo_round_size",
    "check_risk_limit",
    "comparison_estimator",
    "comparison_risk",
    "comparison_sample_size",
    "contest_macro",
    "contest_plan",
    "contest_plan_json",
    "contest_risk",
    "contest_sample_size",
    "counts_of",
    "district_assertions",
    "draw_ballots",
    "draw_pps",
    "draw_without_replacement",
    "estimate_sizes",
    "macro_plan",
    "macro_risk",
    "macro_sample_size",
    "minerva_first_round",
    "mixed_estimator",
    "mixed_size",
    "n_min",
    "one_cvr",
    "one_overstatement",
    "oneaudit_estimator",
    "oneaudit_risk",
    "oneaudit_size",
    "overstatement",
    "party_list_assertions",
    "plan_json",
    "plan_question",
    "polling_estimator",
    "polling_shares",
    "share_assertion",
    "shrinkage",
    "ticket",
]
