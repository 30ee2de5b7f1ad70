"""Election contests on a terminal: a party list's votes and seats, one compact table of all districts."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from saylau.model.numbers import decimal_str
from saylau.model.outcome import SeatOutcome
from saylau.model.referendum import DistrictContest, OptionKind, PartyListContest
from saylau.model.results import ResultsView
from saylau.publish.contests import OptionRow, contest_result, district_row, option_rows, party_label
from saylau.publish.figures import percent_str, share

__all__ = ["district_table", "party_list"]

_NAMES_SHOWN = 3  # elected candidates named per party before "… and N more"


def party_list(view: ResultsView, q: PartyListContest) -> list[RenderableType]:
    """The national table of lists, the seats panel, and turnout by top-level unit."""
    seats = view.seat_outcomes.get(q.code)
    out: list[RenderableType] = [_votes_table(view, q, seats)]
    if seats is not None:
        out.append(_seats_panel(q, seats))
    out.append(_turnout_table(view, q))
    return out


def _votes_table(view: ResultsView, q: PartyListContest, seats: SeatOutcome | None) -> Table:
    result, counts = contest_result(view, q)
    table = Table(title=f"Party lists {q.code}", box=box.SIMPLE_HEAD, padding=(0, 1), header_style="bold")
    table.add_column("List", justify="left", ratio=1, min_width=12)
    for name in ("Votes", "% of base", "Qualified", "Seats"):
        table.add_column(name, justify="right", no_wrap=True)
    rows = option_rows(q, counts)
    for row in rows:
        table.add_row(*_party_cells(row, seats), style="dim" if row.option.kind is OptionKind.AGAINST_ALL else None)
    table.add_section()
    total = sum(r.votes for r in rows)
    table.add_row(Text("For lists and against all (threshold base)"), f"{total:,}", "100.00" if total else "", "", "")
    invalid = percent_str(share(counts, "invalid", "participated"))
    table.add_row(Text("Invalid ballots (% of ballots cast)"), f"{counts.get('invalid', 0):,}", invalid, "", "")
    turnout = percent_str(share(counts, "participated", "registered"))
    reported = f"{result.reported:,}/{result.expected:,}" if result is not None else "0/0"
    table.caption = (
        f"Turnout {turnout or '—'}% ({counts.get('participated', 0):,} of {counts.get('registered', 0):,})"
        f"  ·  precincts reported {reported}"
    )
    return table


def _party_cells(row: OptionRow, seats: SeatOutcome | None) -> list[Text | str]:
    o = row.option
    if o.kind is OptionKind.AGAINST_ALL:
        qualified, won = "—", "—"
    elif seats is None:
        qualified, won = "", ""
    else:
        qualified = "yes" if o.code in seats.qualified else "no"
        won = f"{seats.seats.get(o.code, 0):,}"
    return [Text(o.name("en")), f"{row.votes:,}", percent_str(row.share), qualified, won]


def _seats_panel(q: PartyListContest, seats: SeatOutcome) -> Panel:
    total = sum(seats.seats.values())
    body = Text()
    for o in q.options:
        won = seats.seats.get(o.code, 0)
        if o.kind is OptionKind.AGAINST_ALL or not won:
            continue
        body.append(f"{o.name('en')}: ", style="bold")
        body.append(f"{won} seat{'s' if won != 1 else ''}")
        names = seats.elected.get(o.code, ())
        if names:
            more = f", … and {len(names) - _NAMES_SHOWN} more" if len(names) > _NAMES_SHOWN else ""
            body.append(f" — {', '.join(names[:_NAMES_SHOWN])}{more}")
        if seats.vacant.get(o.code, 0):
            body.append(f"  ({seats.vacant[o.code]} vacant: list too short)", style="yellow")
        body.append("\n")
    if seats.quota is not None:
        body.append(f"Quota: {decimal_str(seats.quota, 4)} votes per seat\n")
    vacant = sum(seats.vacant.values())
    body.append(f"Vacant seats: {vacant}\n" if vacant else "No seat left vacant\n")
    for line in seats.explanation:
        body.append(f"• {line}\n")
    body.rstrip()
    title = f"Seats, {q.code}: {total} seats  ·  preset {seats.preset} {seats.preset_version}"
    return Panel(body, title=title)


def _turnout_table(view: ResultsView, q: PartyListContest) -> Table:
    table = Table(title=f"Turnout by unit, {q.code}", box=box.SIMPLE_HEAD, padding=(0, 1), header_style="bold")
    table.add_column("Unit", justify="left", ratio=1, min_width=12)
    for name in ("Took part", "Turnout %", "Precincts"):
        table.add_column(name, justify="right", no_wrap=True)
    for code in view.territory.top_units():
        result = view.results.get(code)
        counts = result.totals.get(q.code) if result is not None else None
        if result is None or counts is None:
            continue
        turnout = percent_str(share(counts, "participated", "registered"))
        table.add_row(Text(view.territory[code].name("en")), f"{counts.get('participated', 0):,}", turnout,
                      f"{result.reported:,}/{result.expected:,}")  # fmt: skip
    return table


def district_table(view: ResultsView, contests: Sequence[DistrictContest]) -> Table:
    """One row per single-member district: winner (or no one elected), runner-up, against all, turnout."""
    table = Table(title="Single-member districts", box=box.SIMPLE_HEAD, padding=(0, 1), header_style="bold")
    table.add_column("District", justify="left", ratio=1, min_width=10)
    table.add_column("Winner", justify="left", ratio=2, min_width=14)
    for name in ("Votes", "%"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("Runner-up", justify="left", ratio=2, min_width=12)
    for name in ("Against all", "Turnout %", "Precincts"):
        table.add_column(name, justify="right", no_wrap=True)
    for q in contests:
        d = district_row(view, q)
        if d.winner is not None:
            winner = Text(f"{d.winner.option.name('en')}\n", style="bold")
            winner.append(party_label(view, d.winner.option), style="")
            votes, pct = f"{d.winner.votes:,}", percent_str(d.winner.share)
        else:
            winner = Text("no one elected" if d.decided else "not decided", style="red" if d.decided else "")
            votes, pct = "", ""
        runner = Text()
        if d.runner_up is not None:
            runner.append(f"{d.runner_up.option.name('en')} ({party_label(view, d.runner_up.option)})\n")
            runner.append(f"{d.runner_up.votes:,} · {percent_str(d.runner_up.share)}%")
        against = d.against_all
        against_cell = f"{against.votes:,}\n{percent_str(against.share)}%" if against and against.share else "—"
        reported = f"{d.result.reported:,}/{d.result.expected:,}" if d.result is not None else "0/0"
        table.add_row(Text(d.scope_name), winner, votes, pct, runner, against_cell,
                      percent_str(d.turnout), reported)  # fmt: skip
    return table
