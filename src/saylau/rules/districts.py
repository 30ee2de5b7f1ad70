"""Decide a single-member district: plurality, then the version's rules for "against all" and ties.

Election Law Art. 9(2) as amended 2022 (kazakhstan.md §3): "a candidate shall be considered elected if
a larger number of those voters who took part in the voting voted for his/her candidacy compared to
other candidates". What happens when "against all" comes first, or two candidates tie, was not found in
the statute: both are settings of the preset (spec/contests.md §4).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import assert_never

from saylau.model.errors import InputError, Problem
from saylau.model.outcome import DistrictOutcome
from saylau.model.referendum import Contest, DistrictContest, Option, OptionKind
from saylau.rules.election_types import (
    AGAINST_ALL_RULES,
    DISTRICT_TIES,
    AgainstAllRule,
    ContestMismatch,
    DistrictDef,
    DistrictTie,
    SettingRef,
)
from saylau.rules.elections import option_votes, require_contest
from saylau.rules.types import PresetVersion, Settings
from saylau.seats.ties import TieBreak

__all__ = ["decide_district"]


def _setting_note(value: object, chosen: str) -> str:
    if isinstance(value, SettingRef):
        return f"setting {value.setting} = {chosen}"
    return f"rule of the preset: {chosen}"


def _against_rule(section: DistrictDef, settings: Settings) -> AgainstAllRule:
    value = section.against_all_wins
    chosen = settings[value.setting] if isinstance(value, SettingRef) else value
    return next(r for r in AGAINST_ALL_RULES if r == chosen)  # the parser checked the values


def _tie_rule(section: DistrictDef, settings: Settings) -> DistrictTie:
    value = section.tie
    chosen = settings[value.setting] if isinstance(value, SettingRef) else value
    return next(r for r in DISTRICT_TIES if r == chosen)


def _split(contest: DistrictContest) -> tuple[list[Option], list[Option]]:
    """Candidates and the "against all" option; a party option or a second "against all" is refused."""
    candidates: list[Option] = []
    against: list[Option] = []
    problems: list[Problem] = []
    for o in contest.options:
        match o.kind:
            case OptionKind.CANDIDATE:
                candidates.append(o)
            case OptionKind.AGAINST_ALL:
                against.append(o)
            case OptionKind.PARTY:
                problems.append(Problem("option_kind", f"{o.code}: a party list in a district", field=o.code))
            case _:
                assert_never(o.kind)
    if len(against) > 1:
        problems.append(Problem("against_all", "more than one 'against all' option", field="options"))
    if not candidates:
        problems.append(Problem("no_candidates", "a district needs at least one candidate", field="options"))
    if problems:
        raise InputError(problems, summary=f"contest {contest.code} refused")
    return candidates, against


def decide_district(
    version: PresetVersion,
    settings: Mapping[str, str],
    contest: Contest,
    totals: Mapping[str, int],
    *,
    seed: str | None = None,
) -> DistrictOutcome:
    """The winner of a district contest (None: nobody is elected; the explanation says why). ``seed``
    is the public seed of a lot (spec/seats.md §5), needed only with ``district_tie = lot``."""
    contest = require_contest(version, contest, DistrictContest)
    section = version.district
    if section is None:
        raise ContestMismatch(
            f"preset {version.preset} (version {version.id}) has no district section",
            details={"preset": version.preset, "version": version.id, "contest_kind": "district"},
        )
    resolved = version.resolve_settings(settings)
    votes = option_votes(contest, totals)
    candidates, against = _split(contest)
    lines = [f"plurality: the candidate with more votes than every other candidate is elected ({section.source})"]
    winner = _winner(section, resolved, votes, candidates, against, seed, lines)
    return DistrictOutcome(
        contest=contest.code,
        preset=version.preset,
        preset_version=version.id,
        winner=winner,
        votes=votes,
        explanation=tuple(lines),
    )


def _winner(
    section: DistrictDef,
    settings: Settings,
    votes: Mapping[str, int],
    candidates: list[Option],
    against: list[Option],
    seed: str | None,
    lines: list[str],
) -> str | None:
    best = max(votes[c.code] for c in candidates)
    leaders = [c for c in candidates if votes[c.code] == best]
    if best == 0:
        lines.append("no candidate has a vote: nobody is elected, a repeat election is due")
        return None
    if against and votes[against[0].code] >= best:
        rule = _against_rule(section, settings)
        note = _setting_note(section.against_all_wins, rule)
        head = f"against all has {votes[against[0].code]} votes, at least the {best} of the best candidate"
        match rule:
            case "no_winner":
                lines.append(f"{head}: nobody is elected, a repeat election is due ({note})")
                return None
            case "best_candidate":
                lines.append(f"{head}: against all is not a candidate, the best candidate is elected ({note})")
            case _:
                assert_never(rule)
    if len(leaders) == 1:
        lines.append(f"{leaders[0].name()} is elected with {best} votes{_runner_up(votes, candidates, leaders[0])}")
        return leaders[0].code
    return _break_tie(section, settings, leaders, best, seed, lines)


def _runner_up(votes: Mapping[str, int], candidates: list[Option], winner: Option) -> str:
    others = sorted((c for c in candidates if c is not winner), key=lambda c: -votes[c.code])
    return f"; next: {others[0].name()} with {votes[others[0].code]}" if others else " (the only candidate)"


def _break_tie(
    section: DistrictDef, settings: Settings, leaders: list[Option], best: int, seed: str | None, lines: list[str]
) -> str | None:
    rule = _tie_rule(section, settings)
    note = _setting_note(section.tie, rule)
    names = ", ".join(c.name() for c in leaders)
    match rule:
        case "repeat":
            lines.append(
                f"tie between {names} with {best} votes each: nobody is elected, a repeat election is due ({note})"
            )
            return None
        case "order" | "lot":
            tb = TieBreak(rule, tuple(c.code for c in leaders), tuple(c.order for c in leaders), seed)
            steps: list[str] = []
            ranked = tb.rank(range(len(leaders)), "the seat", steps)  # TieUnresolved if it cannot
            won = leaders[ranked[0]]
            lines.extend(f"{s} ({note})" for s in steps)
            lines.append(f"{won.name()} is elected with {best} votes after the tie")
            return won.code
        case _:
            assert_never(rule)
