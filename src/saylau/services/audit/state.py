"""An audit's state, read from its record inside one transaction (nothing mutable: the record's events
say where the audit is; spec/audit.md §12)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, assert_never

from saylau.audit import AuditPlan, BallotCounts, Seed
from saylau.model import Conflict, LifecycleError, NotFound, Territory
from saylau.services.audit.codes import AuditFlowCode
from saylau.services.audit.record import AuditEvent, payload_of
from saylau.services.audit.reported import Published, parse_manifest, plan_of
from saylau.services.lookup import load_event, require_territory
from saylau.store import EventRow, Tx
from saylau.store.audit_repo import AuditRow, AuditTx, RecordRow

__all__ = ["Loaded", "RoundDraws", "State", "load", "state_of"]


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
            case AuditEvent.SEED:
                s.seed = Seed(p["seed"])
            case AuditEvent.DRAW:
                draws = p["draws"]
                batches = tuple(d if isinstance(d, str) else d[0] for d in draws)
                positions = tuple(d[1] for d in draws if not isinstance(d, str))
                s.rounds.append(RoundDraws(p["round"], p["first"], batches, positions))
                if p["round"] == 1:
                    s.targeted = tuple(p.get("targeted", ()))
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

    @property
    def risk_limit(self) -> Fraction:
        return Fraction(self.audit.risk_limit)

    def require_published(self) -> tuple[Published, AuditPlan]:
        if self.published is None or self.plan is None:
            raise LifecycleError("the manifest is not published yet", code=AuditFlowCode.AUDIT_STEP)
        return self.published, self.plan

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
    published = parse_manifest(manifest[0]) if manifest is not None else None
    plan = None
    if published is not None:
        plan = plan_of(row, territory, audit.question, published.figures, Fraction(audit.risk_limit))
    return Loaded(row, territory, audit, state, published, plan)


def counts_by_batch(
    accepted: Mapping[tuple[int, str], tuple[BallotCounts, tuple[str, ...]]],
) -> dict[str, BallotCounts]:
    """MACRO: a batch's hand count, whichever round it was accepted in (a batch is counted once)."""
    return {batch: counts for (_, batch), (counts, _) in accepted.items()}
