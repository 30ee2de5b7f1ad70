"""Results on a terminal (rich): banner, national line and top-level units per question, outcome."""

from __future__ import annotations

from typing import Literal, assert_never

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from saylau.model.ids import QuestionCode
from saylau.model.lifecycle import Mode
from saylau.model.outcome import Outcome
from saylau.model.protocol import Counts
from saylau.model.referendum import DistrictContest, PartyListContest, QuestionContest
from saylau.model.results import ResultsView, UnitResult
from saylau.publish.contests import election_contests
from saylau.publish.figures import percent_str, share, units_in_order
from saylau.publish.terminal_contests import district_table, party_list
from saylau.publish.terminal_layout import Col, FitTable, Row
from saylau.publish.times import date_text, time_text

__all__ = ["render_terminal"]

_TEST_BANNER = "T E S T   M O D E  —  NOT REAL RESULTS, NOT FOR PUBLICATION"
_ANSWERS = (("Yes", "yes"), ("No", "no"), ("Not counted", "not_counted"), ("Invalid", "invalid"))


def render_terminal(view: ResultsView, console: Console, *, level: Literal["top", "all"] = "top") -> None:
    """``level="top"``: the country and its direct children; ``"all"``: every unit with a result."""
    _banner(view, console)
    for contest in view.event.contests:
        q = contest.code
        match contest:
            case QuestionContest():
                console.print(_table(view, q, level))
                _channel_lines(view, q, console)
                outcome = view.outcomes.get(q)
                if outcome is not None:
                    console.print(_outcome(outcome))
            case PartyListContest():
                for part in party_list(view, contest):
                    console.print(part)
            case DistrictContest():
                pass  # all districts in one table, below
            case _:
                assert_never(contest)
    districts = election_contests(view, DistrictContest)
    if districts:
        console.print(district_table(view, districts))
    _notes(view, console)
    if view.mode is Mode.TEST:
        console.print(Panel(Text(_TEST_BANNER, style="bold white on red", justify="center"), style="red"))


_SHOWN = 20


def _channel_lines(view: ResultsView, q: QuestionCode, console: Console) -> None:
    """Of the national totals, what each channel brought, and each e2e election behind it (spec/counting.md §5)."""
    national = view.results.get(view.territory.root)
    for name, by_question in (national.channels if national is not None else {}).items():
        c = by_question.get(q)
        if c is not None:
            console.print(
                Text(
                    f"  of which {name} ballots: took part {c.get('participated', 0):,} · Yes {c.get('yes', 0):,}"
                    f" · No {c.get('no', 0):,} · not counted {c.get('not_counted', 0):,}"
                    f" · invalid {c.get('invalid', 0):,}"
                )
            )
    for s in view.channels:
        if q in s.questions.values():
            state = f"counted, head {s.head}" if s.status == "counted" else "PENDING: no result yet, not in the totals"
            console.print(
                Text(f"  {s.channel} at {s.unit}: e2e election {s.election} (fingerprint {s.fingerprint}), {state}")
            )


def _notes(view: ResultsView, console: Console) -> None:
    """Implausible-but-legal values (accepted, kept, shown) and corrections with their reasons."""
    console.print(f"Warnings: {len(view.warnings)}    Corrections: {len(view.corrections)}")
    for w in view.warnings[:_SHOWN]:
        console.print(Text(f"  warning {w.precinct}: {w.message} ({w.code})", style="cyan"))
    for c in view.corrections[:_SHOWN]:
        console.print(Text(f"  correction {c.precinct} (version {c.version}): {c.reason}", style="yellow"))
    hidden = max(0, len(view.warnings) - _SHOWN) + max(0, len(view.corrections) - _SHOWN)
    if hidden:
        console.print(f"  … and {hidden} more (see the JSON or HTML report)")


def _banner(view: ResultsView, console: Console) -> None:
    if view.mode is Mode.TEST:
        console.print(Panel(Text(_TEST_BANNER, style="bold white on red", justify="center"), style="red"))
    status = view.status.upper()
    style = "bold black on yellow" if view.status == "provisional" else "bold white on green"
    day = date_text(view.event.date)
    head = Text.assemble(
        (f"{view.event.title}", "bold"),
        f"  ({view.event.code})\n" if day in view.event.title else f"  ({view.event.code}, {day})\n",
        "Phase: ",
        (str(view.phase), "bold"),
        "   Status: ",
        (f" {status} ", style),
        f"   Generated: {time_text(view.generated_at)}",
    )
    console.print(Panel(head))


def _table(view: ResultsView, q: QuestionCode, level: Literal["top", "all"]) -> FitTable:
    columns = (Col("On the list"), Col("Took part"), Col("Turnout %"), *(Col(label) for label, _ in _ANSWERS),
               Col("Precincts"))  # fmt: skip
    table = FitTable(f"Question {q}", "Unit", columns)
    for code, depth, result in units_in_order(view):
        if level == "top" and depth > 1:
            continue
        counts = result.totals.get(q)
        if counts is not None:
            name = ("  " * depth) + view.territory[code].name("en")
            table.add(Row(Text(name), _row(counts, result), style="bold" if depth == 0 else None))
    return table


def _row(counts: Counts, result: UnitResult) -> tuple[str, ...]:
    registered, participated = counts.get("registered", 0), counts.get("participated", 0)
    turnout = percent_str(share(counts, "participated", "registered"))
    cells = [f"{registered:,}", f"{participated:,}", turnout]
    for _, fld in _ANSWERS:
        pct = percent_str(share(counts, fld, "participated"))
        cells.append(f"{counts.get(fld, 0):,}\n{pct}%" if pct else f"{counts.get(fld, 0):,}")
    cells.append(f"{result.reported:,}/{result.expected:,}")
    return tuple(cells)


def _outcome(outcome: Outcome) -> Panel:
    verdict = "ADOPTED" if outcome.adopted else "NOT ADOPTED"
    if not outcome.valid:
        verdict = "NOT VALID (quorum not reached)"
    style = "bold green" if outcome.adopted else "bold red"
    body = Text(f"{verdict}\n", style=style)
    body.append(
        f"Turnout {percent_str(outcome.turnout)}%  ·  Yes {percent_str(outcome.yes_share)}% "
        f"of {outcome.yes_share_base}  ·  preset {outcome.preset} {outcome.preset_version}\n",
    )
    for line in outcome.explanation:
        body.append(f"• {line}\n")
    body.rstrip()
    return Panel(body, title=f"Outcome, question {outcome.question}")
