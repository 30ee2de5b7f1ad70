"""What an election contest's audit is of (spec/audit.md §11, §10a): the contest's precincts' accepted
protocols as a manifest of per-option counts, and the plan rebuilt from that manifest alone.

The batches are the precincts of the contest's scope (a district contest: its district's precincts; a
party list: every precinct, or its scope's), each with its top-level unit, its register, the votes of each
option of the contest (ballot order) and ``invalid``: the contest's ballots for no option
(``participated`` − the options' votes). The reported outcome is the law's own on the manifest's sums
(``rules.elections.decide_party_list``, ``rules.districts.decide_district``); its assertions are §3a's.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from saylau.audit import (
    ContestBatch,
    ContestMacro,
    ContestPlan,
    allocation_assertions,
    contest_macro,
    contest_plan,
    contest_plan_json,
    district_assertions,
)
from saylau.count.layout import event_rules
from saylau.model import Conflict, Mode, QuestionCode, Territory, UnitCode
from saylau.model.canonical import CanonicalProfile, canonical_json
from saylau.model.referendum import DistrictContest, ElectionContest, OptionKind, PartyListContest
from saylau.record.encoding import canon
from saylau.rules.districts import decide_district
from saylau.rules.elections import decide_party_list, seat_rules
from saylau.services.audit.codes import AuditFlowCode
from saylau.store import EventRow, Tx

__all__ = [
    "ContestAudit",
    "ContestFigures",
    "contest_audit",
    "contest_figures_of",
    "contest_manifest_text",
    "contest_plan_text",
    "election_contest",
    "parse_contest_manifest",
    "scope_of",
]


@dataclass(frozen=True, slots=True)
class ContestFigures:
    """One batch of a contest's manifest: a precinct, its top-level unit, its register and its ballots."""

    batch: str
    unit: str
    registered: int
    counts: ContestBatch


@dataclass(frozen=True, slots=True)
class ContestAudit:
    """An election contest's audit as its manifest says: the contest, the batches, the plan, MACRO's weights."""

    contest: ElectionContest
    figures: tuple[ContestFigures, ...]
    plan: ContestPlan
    macro: ContestMacro

    @property
    def options(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.contest.options)


def election_contest(row: EventRow, code: str | None) -> ElectionContest | None:
    """The event's party-list or district contest ``code`` (None: no such election contest)."""
    for c in row.referendum.contests:
        if c.code == code and isinstance(c, PartyListContest | DistrictContest):
            return c
    return None


def scope_of(contest: ElectionContest) -> str:
    """The population of the contest's assertions: its scope unit, or "nation"."""
    return str(contest.scope) if contest.scope is not None else "nation"


def contest_figures_of(
    tx: Tx, row: EventRow, territory: Territory, contest: ElectionContest
) -> tuple[ContestFigures, ...]:
    """Every precinct of the contest's scope with its accepted protocol's counts of the contest."""
    code = QuestionCode(contest.code)
    latest: dict[UnitCode, dict[str, int]] = {}
    for v in tx.iter_versions(row.id, Mode.LIVE):
        if code in v.counts:
            latest[v.precinct] = dict(v.counts[code])
    precincts = territory.precincts(contest.scope) if contest.scope is not None else territory.precincts()
    missing = [p for p in precincts if p not in latest]
    if missing:
        raise Conflict(
            f"{len(missing)} precinct(s) of contest {contest.code} without an accepted protocol, e.g. {missing[:5]}",
            code=AuditFlowCode.RESULTS_INCOMPLETE,
            details={"missing": missing[:100]},
        )
    out = []
    for p in precincts:
        c = latest[p]
        votes = tuple((o.code, int(c.get(o.code, 0))) for o in contest.options)
        invalid = int(c["participated"]) - sum(v for _, v in votes)
        if invalid < 0:
            raise Conflict(
                f"precinct {p}: the options of {contest.code} have more votes than ballots",
                code=AuditFlowCode.RESULTS_INCOMPLETE,
                details={"precinct": p},
            )
        ancestors = territory.ancestors(p)
        top = ancestors[-2] if len(ancestors) >= 2 else p
        out.append(ContestFigures(p, top, int(c["registered"]), ContestBatch(p, top, votes, invalid)))
    return tuple(sorted(out, key=lambda f: f.batch))


def contest_manifest_text(event: str, contest: ElectionContest, figures: Sequence[ContestFigures]) -> str:
    """The manifest's canonical JSON (RECORD profile), exactly as hashed and published (spec/audit.md §11)."""
    batches = [
        {
            "id": f.batch,
            "unit": f.unit,
            "registered": f.registered,
            "votes": dict(f.counts.votes),
            "invalid": f.counts.invalid,
        }
        for f in figures
    ]
    return canon({"batches": batches, "contest": contest.code, "event": event})


def parse_contest_manifest(text: str, contest: ElectionContest) -> tuple[ContestFigures, ...]:
    value = json.loads(text)
    options = [o.code for o in contest.options]
    return tuple(
        ContestFigures(
            b["id"],
            b["unit"],
            b["registered"],
            ContestBatch(b["id"], b["unit"], tuple((o, int(b["votes"][o])) for o in options), b["invalid"]),
        )
        for b in value["batches"]
    )


def contest_audit(
    row: EventRow, contest: ElectionContest, figures: Sequence[ContestFigures], risk_limit: Fraction
) -> ContestAudit:
    """The plan of ``contest`` on the manifest's figures (the law's outcome on their sums, §3a) and MACRO."""
    rules = event_rules(row.referendum)
    version, settings = rules.version, row.referendum.settings
    totals = {o.code: sum(f.counts.as_dict()[o.code] for f in figures) for o in contest.options}
    ballots = sum(f.counts.ballots for f in figures)
    votes = tuple(totals.items())
    if isinstance(contest, PartyListContest):
        outcome = decide_party_list(version, settings, contest, totals)
        non_parties = frozenset(o.code for o in contest.options if o.kind is not OptionKind.PARTY)
        seats = {o: n for o, n in outcome.seats.items() if o not in non_parties}
        assertions = allocation_assertions(
            totals, seats, ballots, seat_rules(version, settings), non_parties=non_parties
        )
        plan = contest_plan(contest=contest.code, kind="party_list", scope=scope_of(contest),
                            preset=version.preset,
                            preset_version=version.id, risk_limit=risk_limit, ballots=ballots, votes=votes,
                            seats=tuple(seats.items()), winner=None, assertions=assertions)  # fmt: skip
    else:
        winner = decide_district(version, settings, contest, totals).winner
        against = [o.code for o in contest.options if o.kind is OptionKind.AGAINST_ALL]
        # a winner elected although "against all" had as many votes (the preset's rule): over the candidates
        beaten = winner is None or all(totals[a] < totals[winner] for a in against)
        over = totals if beaten else {o: v for o, v in totals.items() if o not in against}
        plan = contest_plan(contest=contest.code, kind="district", scope=scope_of(contest),
                            preset=version.preset,
                            preset_version=version.id, risk_limit=risk_limit, ballots=ballots, votes=votes, seats=(),
                            winner=winner, assertions=district_assertions(over, ballots))  # fmt: skip
    return ContestAudit(contest, tuple(figures), plan, contest_macro([f.counts for f in figures], plan.assertions))


def contest_plan_text(plan: ContestPlan) -> str:
    """The plan's exact JSON (spec/audit.md §10a; REPORT profile: it has nulls)."""
    return canonical_json(contest_plan_json(plan), CanonicalProfile.REPORT)
