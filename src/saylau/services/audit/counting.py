"""Hand counts of the drawn batches under blind double entry (spec/audit.md §13; the file: spec/formats.md
"Audit hand counts").

A file is CSV with the header ``batch,yes,no,invalid,not_counted`` (an election contest's audit:
``batch``, the contest's option codes in ballot order, ``invalid``) and one row per batch, keyed by one
operator. An entry counts when two different operators' entries of the batch agree (``saylau.count``'s
double entry, as protocols): a mismatch is kept, shown, and resolved by a further entry that agrees with
one of them. When the last batch of the round is accepted, the round is measured in the same transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, assert_never

from saylau.audit import BallotCounts, ContestBatch
from saylau.count import Agreed, AwaitingSecond, Difference, EntryRecord, Mismatch, decide
from saylau.model import Conflict, InputError, Problem, QuestionCode
from saylau.record.encoding import canon
from saylau.services.access.factor import Factor
from saylau.services.audit.codes import AuditFlowCode
from saylau.services.audit.compare import READINGS, readings_counts
from saylau.services.audit.measure import drawn_ballots, to_count
from saylau.services.audit.record import AuditEvent
from saylau.services.audit.state import Loaded, RoundDraws, load
from saylau.services.audit.workflow import append, append_hand_count, append_round, check_operator, written
from saylau.services.context import Context
from saylau.store import Tx
from saylau.store.audit_repo import AuditTx, CountEntryRow, NewCountEntry

__all__ = [
    "HEADER",
    "MAX_ROWS",
    "READING_HEADER",
    "BatchOutcome",
    "CountReport",
    "Readings",
    "contest_options",
    "enter_counts",
    "form_contest_counts",
    "form_counts",
    "form_readings",
    "parse_contest_counts",
    "parse_counts",
    "parse_readings",
]

HEADER = ("batch", "yes", "no", "invalid", "not_counted")
MAX_ROWS = 20_000  # a round never draws more batches than this; a longer file is refused
MAX_BYTES = 2_000_000
_MAX_FIGURE = 10_000_000
_Q = QuestionCode("hand")  # the one "question" of a hand-count entry, for the count's double entry


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    batch: str
    decision: Literal["awaiting_second", "agreed", "mismatch"]
    differences: tuple[Difference, ...] = ()


@dataclass(frozen=True, slots=True)
class CountReport:
    event: str
    round: int
    operator: str
    outcomes: tuple[BatchOutcome, ...]
    waiting: tuple[str, ...]  # batches of the round still without an accepted hand count
    decision: str | None  # the round's decision when this file completed it; the full hand count's outcome


def parse_counts(data: bytes, source: str) -> list[tuple[int, str, BallotCounts]]:
    """(line, batch, counts) for each row; every problem of the file is reported (with its line)."""
    return [(line, batch, BallotCounts(*figures)) for line, batch, figures in _parse(data, source, HEADER)]


def parse_contest_counts(data: bytes, source: str, options: tuple[str, ...]) -> list[tuple[int, str, ContestBatch]]:
    """An election contest's hand counts (header ``batch``, the options in ballot order, ``invalid``)."""
    header = ("batch", *options, "invalid")
    return [
        (line, batch, ContestBatch(batch, None, tuple(zip(options, figures[:-1], strict=True)), figures[-1]))
        for line, batch, figures in _parse(data, source, header, any_order=True)
    ]


def _csv_rows(data: bytes, source: str) -> list[list[str]]:
    """The CSV rows of a hand-count or readings file: at most MAX_BYTES, UTF-8 (a BOM allowed)."""
    if len(data) > MAX_BYTES:
        raise InputError([Problem(rule="too_large", message=f"more than {MAX_BYTES:,} bytes", file=source)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([Problem(rule="encoding", message="not UTF-8", file=source)]) from None
    return list(csv.reader(io.StringIO(text)))


def _parse(
    data: bytes, source: str, header: tuple[str, ...], *, any_order: bool = False
) -> list[tuple[int, str, list[int]]]:
    """The rows' figures in ``header`` order; ``any_order``: the columns after ``batch`` in any order."""
    rows = _csv_rows(data, source)
    given = tuple(c.strip() for c in rows[0]) if rows else ()
    same = given == header or (any_order and given[:1] == header[:1] and sorted(given[1:]) == sorted(header[1:]))
    if not same:
        message = f"the header must be {','.join(header)}" + (
            " (the columns after batch in any order)" if any_order else ""
        )
        raise InputError([Problem(rule="header", message=message, file=source, line=1)])
    if len(rows) - 1 > MAX_ROWS:
        raise InputError([Problem(rule="too_many_rows", message=f"more than {MAX_ROWS:,} rows", file=source)])
    problems: list[Problem] = []
    out: list[tuple[int, str, list[int]]] = []
    seen: set[str] = set()
    for line, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(rule="columns", message=f"{len(header)} columns expected", file=source, line=line))
            continue
        batch = cells[0].strip()
        figures = _numbers(dict(zip(given[1:], cells[1:], strict=True)), header[1:], source, line, problems)
        if not batch or batch in seen:
            message = "a batch once per file" if batch else "the batch is empty"
            problems.append(Problem(rule="batch", message=message, file=source, line=line, field="batch"))
        seen.add(batch)
        if figures is not None:
            out.append((line, batch, figures))
    if problems:
        raise InputError(problems, summary=f"{len(problems)} problem(s) in {source}; nothing was entered")
    return out


def _numbers(
    cells: Mapping[str, str], names: tuple[str, ...], source: str, line: int | None, problems: list[Problem]
) -> list[int] | None:
    """The figures of ``names``: each a whole number of ASCII digits up to the bound; a problem per bad
    field (then None)."""
    figures = []
    for name in names:
        value = cells.get(name, "").strip()
        if not value.isascii() or not value.isdigit() or len(value) > len(str(_MAX_FIGURE)) or int(value) > _MAX_FIGURE:
            message = f"a whole number from 0 to {_MAX_FIGURE:,}, not {value[:20]!r}"
            problems.append(Problem(rule="not_a_count", message=message, file=source, line=line, field=name))
        else:
            figures.append(int(value))
    return figures if len(figures) == len(names) else None


def _read_figures(
    cells: Mapping[str, str], source: str, line: int | None, problems: list[Problem]
) -> BallotCounts | None:
    """One hand count's figures (a file's row or a form's fields): each a whole number of ASCII digits up
    to the bound; a problem per bad field (then None)."""
    figures = _numbers(cells, HEADER[1:], source, line, problems)
    return BallotCounts(*figures) if figures is not None else None


def form_counts(fields: Mapping[str, str], source: str) -> BallotCounts:
    """A hand count typed into a form (the fields of the file's columns), by the file's rule."""
    problems: list[Problem] = []
    counts = _read_figures(fields, source, None, problems)
    if counts is None:
        raise InputError(problems, summary=f"{len(problems)} problem(s) in {source}; nothing was entered")
    return counts


def form_contest_counts(fields: Mapping[str, str], source: str, options: tuple[str, ...]) -> ContestBatch:
    """An election contest's hand count typed into a form (a field per option and ``invalid``), by the file's
    rule (``parse_contest_counts``)."""
    problems: list[Problem] = []
    figures = _numbers(fields, (*options, "invalid"), source, None, problems)
    if figures is None:
        raise InputError(problems, summary=f"{len(problems)} problem(s) in {source}; nothing was entered")
    return ContestBatch("form", None, tuple(zip(options, figures[:-1], strict=True)), figures[-1])


def enter_counts(ctx: Context, code: str, data: bytes, source: str, operator: str, *, factor: Factor) -> CountReport:
    """One operator's hand counts of batches of the open round (the file of spec/formats.md "Audit hand
    counts"; an election contest's: its options' columns): all or nothing."""
    if data.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip().replace(b" ", b"") == b"batch,position,reading":
        return enter_rows(ctx, code, parse_readings(data, source), source, operator, factor=factor)  # §18
    options = contest_options(ctx, code)
    if options is not None:
        rows = parse_contest_counts(data, source, options)
        return enter_rows(ctx, code, rows, source, operator, factor=factor)
    return enter_rows(ctx, code, parse_counts(data, source), source, operator, factor=factor)


def contest_options(ctx: Context, code: str) -> tuple[str, ...] | None:
    """The audited election contest's options (ballot order), or None for a question's audit."""
    from saylau.services.audit.contest_reported import election_contest  # noqa: PLC0415
    from saylau.services.lookup import load_event  # noqa: PLC0415

    with ctx.store.transaction() as tx:
        row = load_event(tx, code)
        audit = AuditTx(tx).find(row.id)
    contest = election_contest(row, audit.question) if audit is not None else None
    return tuple(o.code for o in contest.options) if contest is not None else None


@dataclass(frozen=True, slots=True)
class Readings:
    """A comparison audit's hand reading of a batch's drawn ballots (spec/audit.md §18): (position, reading)
    by position."""

    batch: str
    values: tuple[tuple[int, str], ...]

    @property
    def ballots(self) -> int:
        return len(self.values)


READING_HEADER = ("batch", "position", "reading")


def parse_readings(data: bytes, source: str) -> list[tuple[int, str, Readings]]:
    """(first line, batch, readings) per batch of a file ``batch,position,reading`` (one row per drawn
    ballot); every problem of the file is reported with its line and field."""
    rows = _csv_rows(data, source)
    if not rows or tuple(c.strip() for c in rows[0]) != READING_HEADER:
        raise InputError([Problem(rule="header", message="the header must be batch,position,reading", file=source,
                                  line=1)])  # fmt: skip
    if len(rows) - 1 > MAX_ROWS:
        raise InputError([Problem(rule="too_many_rows", message=f"more than {MAX_ROWS:,} rows", file=source)])
    problems: list[Problem] = []
    by_batch: dict[str, tuple[int, dict[int, str]]] = {}
    for line, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(READING_HEADER):
            problems.append(Problem(rule="columns", message="3 columns expected", file=source, line=line))
            continue
        batch, raw, reading = (c.strip() for c in cells)
        if not batch:
            problems.append(Problem(rule="batch", message="the batch is empty", file=source, line=line, field="batch"))
        position = int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) <= 7 and int(raw) > 0 else None
        if position is None:
            problems.append(Problem(rule="position", message=f"a ballot position from 1, not {raw[:20]!r}",
                                    file=source, line=line, field="position"))  # fmt: skip
        if reading not in READINGS:
            problems.append(Problem(rule="reading", message=f"one of {', '.join(READINGS)}, not {reading[:20]!r}",
                                    file=source, line=line, field="reading"))  # fmt: skip
        seen = by_batch.setdefault(batch, (line, {}))[1]
        if position is not None and position in seen:
            problems.append(Problem(rule="duplicate_position", message=f"ballot {position} of {batch} read twice",
                                    file=source, line=line, field="position"))  # fmt: skip
        elif position is not None:
            seen[position] = reading
    if problems:
        raise InputError(problems, summary=f"{len(problems)} problem(s) in {source}; nothing was entered")
    return [(line, b, Readings(b, tuple(sorted(read.items())))) for b, (line, read) in by_batch.items()]


def form_readings(fields: Mapping[str, str], batch: str, source: str) -> Readings:
    """A comparison round's readings typed into a form: ``reading_<position>`` per drawn ballot (§18)."""
    problems: list[Problem] = []
    values: list[tuple[int, str]] = []
    for key, value in list(fields.items())[:MAX_ROWS]:
        if not key.startswith("reading_"):
            continue
        raw = key.removeprefix("reading_")
        if not (raw.isascii() and raw.isdigit() and 0 < len(raw) <= 7 and int(raw) > 0):
            problems.append(Problem(rule="position", message=f"a ballot position, not {raw[:20]!r}", file=source,
                                    field=key[:40]))  # fmt: skip
        elif value not in READINGS:
            problems.append(Problem(rule="reading", message=f"one of {', '.join(READINGS)}", file=source, field=key))
        else:
            values.append((int(raw), value))
    if problems or not values:
        raise InputError(problems or [Problem(rule="reading", message="no ballot read", file=source)],
                         summary=f"{len(problems) or 1} problem(s) in {source}; nothing was entered")  # fmt: skip
    return Readings(batch, tuple(sorted(values)))


Counts = BallotCounts | ContestBatch | Readings  # a question's hand count, an election contest's, a comparison's


def enter_rows(
    ctx: Context, code: str, rows: Sequence[tuple[int, str, Counts]], source: str, operator: str, *, factor: Factor
) -> CountReport:
    """One operator's hand counts, parsed: (line, batch, counts) each; all or nothing; ``factor`` attested
    in the transaction that writes them."""
    check_operator(operator)
    now = ctx.clock()

    def step(tx: Tx) -> CountReport:
        loaded = load(tx, code, lock=True)
        current = loaded.state.full_count  # after an escalation: the full hand count (§13b)
        if current is None:
            loaded.require_running()
            current = loaded.state.open_round
        if current is None:
            raise Conflict(f"{code}: no round is open for hand counts (draw first)", code=AuditFlowCode.BATCH_NOT_OPEN)
        return _enter(tx, loaded, current, rows, source, operator, now)

    details: dict[str, object] = {"source": source, "operator": operator, "rows": len(rows)}
    return written(ctx, code, "audit.enter", details, step, factor)


def _enter(
    tx: Tx,
    loaded: Loaded,
    current: RoundDraws,
    rows: Sequence[tuple[int, str, Counts]],
    source: str,
    operator: str,
    now: dt.datetime,
) -> CountReport:
    open_batches = set(to_count(loaded, current))
    closed = sorted(b for _, b, _ in rows if b not in open_batches)
    if closed:
        raise Conflict(
            f"not waiting for a hand count in {_what(loaded, current)}: {closed[:5]}",
            code=AuditFlowCode.BATCH_NOT_OPEN,
            details={"batches": closed[:100]},
        )
    _check_kind(loaded, current, rows)
    _check_ballots(loaded, current, rows, source)
    repo = AuditTx(tx)
    earlier: dict[str, list[CountEntryRow]] = {}
    for e in repo.count_entries(loaded.audit.id):
        if e.round == current.round:
            earlier.setdefault(e.batch, []).append(e)
    new, outcomes, accepted = [], [], []
    for _, batch, counts in rows:
        before = earlier.get(batch, [])
        decision = decide(
            [EntryRecord(e.operator, _as_entry(_counts(e))) for e in before], EntryRecord(operator, _as_entry(counts))
        )
        match decision:
            case AwaitingSecond():
                outcome = BatchOutcome(batch, "awaiting_second")
            case Agreed(with_index=i):
                outcome = BatchOutcome(batch, "agreed")
                accepted.append((batch, counts, (before[i].operator, operator)))
            case Mismatch(differences=diffs):
                outcome = BatchOutcome(batch, "mismatch", diffs)
            case _:
                assert_never(decision)
        outcomes.append(outcome)
        new.append(_stored(current, batch, operator, counts, outcome.decision))
    repo.add_count_entries(loaded.audit.id, new, now)
    events: list[tuple[AuditEvent, dict[str, object]]] = []
    for batch, counts, ops in accepted:
        figures: dict[str, object]
        if isinstance(counts, ContestBatch):  # spec/audit.md §12: an election contest's entry
            figures = {"votes": dict(counts.votes), "invalid": counts.invalid}
        elif isinstance(counts, Readings):  # §18: a comparison's hand reading of the drawn ballots
            figures = {"readings": [list(v) for v in counts.values]}
        else:
            figures = dict(zip(HEADER[1:], _figures(counts), strict=True))
        events.append((AuditEvent.ENTRY, {"round": current.round, "batch": batch, **figures, "operators": list(ops)}))
    append(tx, loaded, events, now)
    after = load(tx, loaded.row.referendum.code)
    waiting = tuple(to_count(after, current))
    measured = None
    if not waiting:
        full = current.round > len(after.state.rounds)
        measured = append_hand_count(tx, after, now) if full else append_round(tx, after, now)
    return CountReport(loaded.row.referendum.code, current.round, operator, tuple(outcomes), waiting, measured)


def _check_kind(loaded: Loaded, current: RoundDraws, rows: Sequence[tuple[int, str, Counts]]) -> None:
    """The file is of the kind the open step takes: a contest's, a comparison round's readings, or counts."""
    contest = loaded.contest is not None
    reading = loaded.audit.method == "comparison" and current.round <= len(loaded.state.rounds)
    kind = ContestBatch if contest else Readings if reading else BallotCounts
    if any(not isinstance(c, kind) for _, _, c in rows):
        what = (
            "contest (its option columns)"
            if contest
            else "comparison's drawn ballots (batch, position, reading)"
            if reading
            else "question (yes, no, invalid, not counted)"
        )
        raise Conflict(f"these hand counts are not of the audited {what}", code=AuditFlowCode.AUDIT_STEP)


def _stored(current: RoundDraws, batch: str, operator: str, counts: Counts, decision: str) -> NewCountEntry:
    if isinstance(counts, ContestBatch):
        votes = canon(dict(counts.votes))
        return NewCountEntry(current.round, batch, operator, 0, 0, counts.invalid, 0, decision, votes)
    if isinstance(counts, Readings):
        tally = _figures(readings_counts(dict(counts.values)))
        listed = canon([list(v) for v in counts.values])
        return NewCountEntry(current.round, batch, operator, *tally, decision, readings=listed)
    return NewCountEntry(current.round, batch, operator, *_figures(counts), decision)


def _what(loaded: Loaded, current: RoundDraws) -> str:
    return "the full hand count" if current.round > len(loaded.state.rounds) else f"round {current.round}"


def _check_ballots(loaded: Loaded, current: RoundDraws, rows: Sequence[tuple[int, str, Counts]], source: str) -> None:
    """MACRO: a hand count has at most the manifest's ballots; BRAVO: exactly the ballots drawn from it."""
    if loaded.contest is not None:
        manifest = {f.batch: f.counts.ballots for f in loaded.require_contest().figures}
    else:
        published, _ = loaded.require_published()
        manifest = {f.batch: f.counts.ballots for f in published.figures}
    drawn: Counter[str] = drawn_ballots(current)
    problems = []
    if current.round > len(loaded.state.rounds):
        return  # the full hand count counts whatever the batch holds (more ballots than reported is a finding)
    positions: dict[str, set[int]] = {}
    for b, p in zip(current.batches, current.positions, strict=False):
        positions.setdefault(b, set()).add(p)
    for line, batch, counts in rows:
        if isinstance(counts, Readings) and {p for p, _ in counts.values} != positions.get(batch, set()):
            want = ", ".join(str(p) for p in sorted(positions.get(batch, set()))[:20])
            message = (
                f"read ballots {', '.join(str(p) for p, _ in counts.values[:20])}; round {current.round} drew {want}"
            )
            problems.append(Problem(rule="bad_hand_count", message=message, file=source, line=line, field="position"))
        if loaded.audit.method == "macro" and counts.ballots > manifest[batch]:
            message = f"{counts.ballots} ballots counted, the manifest lists {manifest[batch]}"
            problems.append(Problem(rule="bad_hand_count", message=message, file=source, line=line))
        if loaded.audit.method == "bravo" and counts.ballots != drawn[batch]:
            message = f"{counts.ballots} ballots listed, {drawn[batch]} drawn from this batch in round {current.round}"
            problems.append(Problem(rule="bad_hand_count", message=message, file=source, line=line))
    if problems:
        raise InputError(problems, summary=f"{len(problems)} hand count(s) refused; nothing was entered")


def _figures(c: BallotCounts) -> tuple[int, int, int, int]:
    return c.yes, c.no, c.invalid, c.not_counted


def _counts(e: CountEntryRow) -> Counts:
    if e.readings is not None:
        return Readings(e.batch, tuple((int(p), str(r)) for p, r in json.loads(e.readings)))
    if e.votes is not None:
        return ContestBatch(e.batch, None, tuple(json.loads(e.votes).items()), e.invalid)
    return BallotCounts(e.yes, e.no, e.invalid, e.not_counted)


def _as_entry(c: Counts) -> dict[QuestionCode, dict[str, int]]:
    if isinstance(c, Readings):  # each ballot's reading as its index in READINGS, keyed by position
        return {_Q: {str(p): READINGS.index(r) for p, r in c.values}}
    if isinstance(c, ContestBatch):
        return {_Q: {**dict(c.votes), "invalid": c.invalid}}
    return {_Q: dict(zip(HEADER[1:], _figures(c), strict=True))}
