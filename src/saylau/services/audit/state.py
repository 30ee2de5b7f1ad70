"""An audit's state, read from its record inside one transaction (nothing mutable: the record's events
say where the audit is; spec/audit.md §12)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, assert_never

from saylau.audit import CATEGORIES, AuditPlan, BallotCounts, Category, ContestBatch, Seed
from saylau.model import Conflict, LifecycleError, NotFound, Territory
from saylau.services.audit.codes import AuditFlowCode
from saylau.services.audit.compare import readings_counts
from saylau.services.audit.contest_reported import (
    ContestAudit,
    contest_audit,
    contest_figures_of,
    election_contest,
    parse_contest_manifest,
)
from saylau.services.audit.record import AuditEvent, payload_of
from saylau.services.audit.reported import Published, parse_manifest, plan_of
from saylau.services.lookup import load_event, require_territory
from saylau.store import EventRow, Tx
from saylau.store.audit_repo import AuditRow, AuditTx, RecordRow

__all__ = ["Loaded", "RoundDraws", "State", "load", "readings_of", "state_of", "votes_by_batch"]


@dataclass(frozen=True, slots=True)
class RoundDraws:
    """One round's draws: MACRO batch ids, or BRAVO ballots as (batch, position)."""

    round: int
    first: int  # the index k of its first draw (1 for round 1)
    batches: tuple[str, ...]
    positions: tuple[int, ...]  # BRAVO: the ballot's position in its batch; MACRO: empty


@dataclass(slots=True)
class State:
    """What the record says so far."""

    record: list[RecordRow]
    plan_sha256: str | None = None
    manifest_sha256: str | None = None
    seed: Seed | None = None
    rounds: list[RoundDraws] = field(default_factory=list)
    accepted: dict[tuple[int, str], tuple[BallotCounts, tuple[str, ...]]] = field(default_factory=dict)
    measured: list[dict[str, Any]] = field(default_factory=list)  # the round payloads
    finish: dict[str, Any] | None = None
    targeted: tuple[str, ...] = ()  # MACRO: round 1's targeted batches (spec/audit.md §13a)
    hand_count: dict[str, Any] | None = None  # the full hand count's result (§13b)
    # an election contest's accepted hand counts (the entry's ``votes`` and ``invalid``), as ``accepted``
    accepted_votes: dict[tuple[int, str], tuple[ContestBatch, tuple[str, ...]]] = field(default_factory=dict)
    # a comparison audit's (spec/audit.md §18): each accepted batch's readings {position: reading} (its counts
    # are in ``accepted`` too), and each sampled assertion's estimator η₀, fixed in the manifest event
    accepted_readings: dict[tuple[int, str], dict[int, str]] = field(default_factory=dict)
    estimators: dict[str, Fraction] = field(default_factory=dict)

    def accepted_keys(self) -> set[tuple[int, str]]:
        """(round, batch) of every accepted hand count, a question's or a contest's."""
        return set(self.accepted) | set(self.accepted_votes)

    @property
    def head(self) -> str | None:
        return self.record[-1].type if self.record else None

    @property
    def open_round(self) -> RoundDraws | None:
        """The last round drawn and not yet measured."""
        if self.rounds and len(self.measured) < len(self.rounds):
            return self.rounds[-1]
        return None

    @property
    def full_count(self) -> RoundDraws | None:
        """After a ``finish`` with ``full_hand_count`` and until its ``hand_count``: the full hand count of
        the finish's batches, entered as round "last round + 1" (§13b)."""
        if self.finish is None or self.finish["outcome"] != "full_hand_count" or self.hand_count is not None:
            return None
        return RoundDraws(len(self.rounds) + 1, 0, tuple(self.finish["batches"]), ())

    def draws_so_far(self) -> int:
        return sum(len(r.batches) for r in self.rounds)


def state_of(rows: Sequence[RecordRow]) -> State:
    s = State(list(rows))
    for row in rows:
        p = payload_of(row)
        kind = AuditEvent(row.type)
        match kind:
            case AuditEvent.PLAN:
                s.plan_sha256 = p["plan_sha256"]
            case AuditEvent.MANIFEST:
                s.manifest_sha256 = p["sha256"]
                s.estimators = {e["assertion"]: Fraction(e["eta0"]) for e in p.get("estimators", ())}
            case AuditEvent.SEED:
                s.seed = Seed(p["seed"])
            case AuditEvent.DRAW:
                draws = p["draws"]
                batches = tuple(d if isinstance(d, str) else d[0] for d in draws)
                positions = tuple(d[1] for d in draws if not isinstance(d, str))
                s.rounds.append(RoundDraws(p["round"], p["first"], batches, positions))
                if p["round"] == 1:
                    s.targeted = tuple(p.get("targeted", ()))
            case AuditEvent.ENTRY if "votes" in p:  # an election contest's hand count (§12)
                votes = ContestBatch(p["batch"], None, tuple(sorted(p["votes"].items())), p["invalid"])
                s.accepted_votes[(p["round"], p["batch"])] = (votes, tuple(p["operators"]))
            case AuditEvent.ENTRY if "readings" in p:  # a comparison audit's hand reading (§18)
                read = {int(pos): str(reading) for pos, reading in p["readings"]}
                s.accepted_readings[(p["round"], p["batch"])] = read
                s.accepted[(p["round"], p["batch"])] = (readings_counts(read), tuple(p["operators"]))
            case AuditEvent.ENTRY:
                counts = BallotCounts(p["yes"], p["no"], p["invalid"], p["not_counted"])
                s.accepted[(p["round"], p["batch"])] = (counts, tuple(p["operators"]))
            case AuditEvent.ROUND:
                s.measured.append(p)
            case AuditEvent.FINISH:
                s.finish = p
            case AuditEvent.HAND_COUNT:
                s.hand_count = p
            case _:
                assert_never(kind)
    return s


@dataclass(frozen=True, slots=True)
class Loaded:
    """An audit with everything its decisions need, read in one transaction."""

    row: EventRow
    territory: Territory
    audit: AuditRow
    state: State
    published: Published | None  # the manifest, once published
    plan: AuditPlan | None  # rebuilt from the manifest, once published
    # an election contest's audit (then ``published`` and ``plan`` are None): from the manifest once published,
    # else from the current results
    contest: ContestAudit | None = None
    contest_published: bool = False
    cvrs: Mapping[str, tuple[Category, ...]] = field(default_factory=dict)  # comparison: the drawn batches' CVRs

    @property
    def risk_limit(self) -> Fraction:
        return Fraction(self.audit.risk_limit)

    def require_published(self) -> tuple[Published, AuditPlan]:
        if self.published is None or self.plan is None:
            raise LifecycleError("the manifest is not published yet", code=AuditFlowCode.AUDIT_STEP)
        return self.published, self.plan

    def require_contest(self) -> ContestAudit:
        if self.contest is None or not self.contest_published:
            raise LifecycleError("the manifest is not published yet", code=AuditFlowCode.AUDIT_STEP)
        return self.contest

    def require_running(self) -> None:
        if self.state.finish is not None:
            raise Conflict(
                f"the audit of {self.row.referendum.code} has finished ({self.state.finish['outcome']})",
                code=AuditFlowCode.AUDIT_FINISHED,
            )


def load(tx: Tx, code: str, *, lock: bool = False) -> Loaded:
    """The event's audit; ``lock``: decide under its row lock (every write does)."""
    row = load_event(tx, code)
    repo = AuditTx(tx)
    audit = repo.find(row.id, lock=lock)
    if audit is None:
        raise NotFound(f"{code} has no audit: plan one first (saylau audit plan {code})", code=AuditFlowCode.NO_AUDIT)
    territory = require_territory(tx, row)
    state = state_of(repo.record(audit.id))
    manifest = repo.manifest(audit.id)
    contest = election_contest(row, audit.question)
    if contest is not None:  # an election contest's audit (spec/audit.md §11)
        risk_limit = Fraction(audit.risk_limit)
        if manifest is not None:
            audited = contest_audit(row, contest, parse_contest_manifest(manifest[0], contest), risk_limit)
        else:
            audited = contest_audit(row, contest, contest_figures_of(tx, row, territory, contest), risk_limit)
        return Loaded(row, territory, audit, state, None, None, audited, manifest is not None)
    published = parse_manifest(manifest[0]) if manifest is not None else None
    plan = None
    cvrs: dict[str, tuple[Category, ...]] = {}
    if published is not None:
        plan = plan_of(row, territory, audit.question, published.figures, Fraction(audit.risk_limit))
        listed = {f.batch: f.cvr for f in published.figures if f.cvr is not None}
        drawn = sorted({b for r in state.rounds for b in r.batches} & set(listed))  # only what a risk reads
        for c in repo.cvrs(audit.id, drawn) if drawn else ():
            if listed.get(c.batch) != c.sha256:
                raise Conflict(f"the stored cast-vote records of {c.batch} are not the manifest's",
                               code=AuditFlowCode.AUDIT_STEP)  # fmt: skip
            cvrs[c.batch] = readings_of(c.text)
    return Loaded(row, territory, audit, state, published, plan, cvrs=cvrs)


def readings_of(text: str) -> tuple[Category, ...]:
    """The readings of a stored canonical CVR text (``io.cvr.cvr_text``: a header, then ``position,reading``)."""
    by_name: dict[str, Category] = {c: c for c in CATEGORIES}
    return tuple(by_name[line.partition(",")[2]] for line in text.splitlines()[1:])


def counts_by_batch(
    accepted: Mapping[tuple[int, str], tuple[BallotCounts, tuple[str, ...]]],
) -> dict[str, BallotCounts]:
    """MACRO: a batch's hand count, whichever round it was accepted in (a batch is counted once)."""
    return {batch: counts for (_, batch), (counts, _) in accepted.items()}


def votes_by_batch(
    accepted: Mapping[tuple[int, str], tuple[ContestBatch, tuple[str, ...]]],
) -> dict[str, ContestBatch]:
    """An election contest's hand count of each batch, whichever round it was accepted in."""
    return {batch: counts for (_, batch), (counts, _) in accepted.items()}
