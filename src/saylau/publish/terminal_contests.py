"""Election contests on a terminal: a party list's votes and seats, one compact table of all districts."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.panel import Panel
from rich.text import Text

from saylau.model.numbers import grouped_decimal_str
from saylau.model.outcome import SeatOutcome
from saylau.model.referendum import DistrictContest, OptionKind, PartyListContest
from saylau.model.results import ResultsView
from saylau.publish.contests import DistrictRow, OptionRow, contest_result, district_row, option_rows, party_label
from saylau.publish.figures import percent_str, share
from saylau.publish.terminal_layout import Col, FitTable, Row

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


def _title(q: PartyListContest | DistrictContest) -> str:
    """The contest's own title (its English text, else its first), not its code."""
    text = q.text("en") or (q.texts[0] if q.texts else None)
    return text.text if text is not None else str(q.code)


def _votes_table(view: ResultsView, q: PartyListContest, seats: SeatOutcome | None) -> FitTable:
    result, counts = contest_result(view, q)
    columns = (Col("Votes"), Col("% of base"), Col("Qualified"), Col("Seats"))
    table = FitTable(_title(q), "List", columns)
    rows = option_rows(q, counts)
    for row in rows:
        dim = "dim" if row.option.kind is OptionKind.AGAINST_ALL else None
        table.add(Row(Text(row.option.name("en")), _party_cells(row, seats), style=dim))
    total = sum(r.votes for r in rows)
    table.add(Row(Text("For lists and against all (threshold base)"), (f"{total:,}", "100.00" if total else "", "", ""),
                  firm=False, section=True))  # fmt: skip
    invalid = percent_str(share(counts, "invalid", "participated"))
    table.add(Row(Text("Invalid ballots (% of ballots cast)"), (f"{counts.get('invalid', 0):,}", invalid, "", ""),
                  firm=False))  # fmt: skip
    turnout = percent_str(share(counts, "participated", "registered"))
    reported = f"{result.reported:,}/{result.expected:,}" if result is not None else "0/0"
    table.caption = (
        f"Turnout {turnout or '—'}% ({counts.get('participated', 0):,} of {counts.get('registered', 0):,})"
        f"  ·  precincts reported {reported}"
    )
    return table


def _party_cells(row: OptionRow, seats: SeatOutcome | None) -> tuple[str, ...]:
    o = row.option
    if o.kind is OptionKind.AGAINST_ALL:
        qualified, won = "—", "—"
    elif seats is None:
        qualified, won = "", ""
    else:
        qualified = "yes" if o.code in seats.qualified else "no"
        won = f"{seats.seats.get(o.code, 0):,}"
    return (f"{row.votes:,}", percent_str(row.share), qualified, won)


def _seats_panel(q: PartyListContest, seats: SeatOutcome) -> Panel:
    total = sum(seats.seats.values())
    body = Text()
    for o in q.options:
        won = seats.seats.get(o.code, 0)
        if o.kind is OptionKind.AGAINST_ALL or not won:
            continue
        body.append(f"{o.name('en')}: ", style="bold")
        body.append(f"{won:,} seat{'s' if won != 1 else ''}")
        names = seats.elected.get(o.code, ())
        if names:
            more = f", … and {len(names) - _NAMES_SHOWN} more" if len(names) > _NAMES_SHOWN else ""
            body.append(f" — {', '.join(names[:_NAMES_SHOWN])}{more}")
        if seats.vacant.get(o.code, 0):
            body.append(f"  ({seats.vacant[o.code]:,} vacant: list too short)", style="yellow")
        body.append("\n")
    if seats.quota is not None:
        body.append(f"Quota: {grouped_decimal_str(seats.quota, 4)} votes per seat (rounded half-even to 4 places)\n")
    vacant = sum(seats.vacant.values())
    body.append(f"Vacant seats: {vacant:,}\n" if vacant else "No seat left vacant\n")
    for line in seats.explanation:
        body.append(f"• {line}\n")
    body.rstrip()
    title = f"Seats: {total:,}  ·  preset {seats.preset} {seats.preset_version}"
    return Panel(body, title=title)


def _turnout_table(view: ResultsView, q: PartyListContest) -> FitTable:
    table = FitTable("Turnout by unit", "Unit", (Col("Took part"), Col("Turnout %"), Col("Precincts")))
    for code in view.territory.top_units():
        result = view.results.get(code)
        counts = result.totals.get(q.code) if result is not None else None
        if result is None or counts is None:
            continue
        turnout = percent_str(share(counts, "participated", "registered"))
        cells = (f"{counts.get('participated', 0):,}", turnout, f"{result.reported:,}/{result.expected:,}")
        table.add(Row(Text(view.territory[code].name("en")), cells))
    return table


def district_table(view: ResultsView, contests: Sequence[DistrictContest]) -> FitTable:
    """One row per single-member district: the elected (or no one), the runner-up, against all, turnout.
    The words every district's name begins with are said once, as the header ("Single-member district No.")."""
    rows = [district_row(view, q) for q in contests]
    prefix = _common_words([d.scope_name for d in rows])
    columns = (Col("Elected", justify="left", soft=True), Col("Votes\n%"), Col("Runner-up", justify="left", soft=True),
               Col("Votes\n%"), Col("Against all"), Col("Turnout\nPrecincts"))  # fmt: skip
    table = FitTable("Single-member districts", prefix.strip() or "District", columns)
    for d in rows:
        table.add(Row(Text(d.scope_name.removeprefix(prefix)), _district_cells(view, d)))
    return table


def _district_cells(view: ResultsView, d: DistrictRow) -> tuple[Text | str, ...]:
    if d.winner is not None:
        winner = Text(f"{d.winner.option.name('en')}\n", style="bold")
        winner.append(party_label(view, d.winner.option), style="")
        votes = f"{d.winner.votes:,}\n{percent_str(d.winner.share)}%"
    else:
        winner = Text("no one elected" if d.decided else "not decided", style="red" if d.decided else "")
        votes = ""
    runner, runner_votes = Text(), ""
    if d.runner_up is not None:
        runner.append(f"{d.runner_up.option.name('en')}\n{party_label(view, d.runner_up.option)}")
        runner_votes = f"{d.runner_up.votes:,}\n{percent_str(d.runner_up.share)}%"
    against = d.against_all
    against_cell = f"{against.votes:,}\n{percent_str(against.share)}%" if against and against.share else "—"
    reported = f"{d.result.reported:,}/{d.result.expected:,}" if d.result is not None else "0/0"
    turnout = percent_str(d.turnout)
    return winner, votes, runner, runner_votes, against_cell, f"{turnout}%\n{reported}" if turnout else reported


def _common_words(names: Sequence[str]) -> str:
    """The whole words every name begins with, with their trailing space, when each name has more after
    them ("Single-member district " for "Single-member district No. 1", "… No. 2"); "" for fewer than two."""
    if len(names) < 2:
        return ""
    words = [n.split(" ") for n in names]
    shared: list[str] = []
    for column in zip(*words, strict=False):
        if len(set(column)) != 1:
            break
        shared.append(column[0])
    while shared and any(len(w) <= len(shared) for w in words):
        shared.pop()
    return " ".join(shared) + " " if shared else ""
