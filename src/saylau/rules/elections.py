"""Decide an election contest under a preset version: seats of a party list, the winner of a district.

Pure and exact (spec/contests.md §4). A party list: the contest's options in ballot order become
``saylau.seats`` rows (a party takes part with its registration order; "against all" counts in the
threshold base and never holds a seat, kazakhstan.md §3), ``allocate`` shares the seats and
``elect_from_lists`` names the elected from each ranked list. A district: plurality (Election Law
Art. 9(2) as amended 2022), with "against all" first and ties handled by the version's settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TypeVar, assert_never

from saylau.model.errors import InputError, Problem
from saylau.model.numbers import fraction_str, grouped_decimal_str, percent
from saylau.model.outcome import SeatOutcome
from saylau.model.referendum import (
    Contest,
    ContestKind,
    DistrictContest,
    ElectionContest,
    Option,
    OptionKind,
    PartyListContest,
)
from saylau.rules.decide import threshold_str
from saylau.rules.election_types import ContestMismatch, PartyListDef, SettingRef
from saylau.rules.parse_election import share_value
from saylau.rules.types import PresetVersion, Settings
from saylau.seats import Method, PartyRow, SeatRules, Threshold, allocate, elect_from_lists
from saylau.seats.types import ThresholdBase, TieBreakMode

__all__ = ["decide_party_list", "list_seats", "option_votes", "require_contest", "resolve", "seat_rules"]

T = TypeVar("T")
_Kind = TypeVar("_Kind", PartyListContest, DistrictContest)
_KIND_OF: Mapping[type[ElectionContest], ContestKind] = {
    PartyListContest: ContestKind.PARTY_LIST,
    DistrictContest: ContestKind.DISTRICT,
}
_METHOD_TEXT: Mapping[Method, str] = {
    Method.HARE: "Hare quota and largest remainders",
    Method.DROOP: "Droop quota and largest remainders",
    Method.HAGENBACH_BISCHOFF: "Hagenbach-Bischoff quota and largest remainders",
    Method.IMPERIALI_QUOTA: "Imperiali quota and largest remainders",
    Method.DHONDT: "D'Hondt divisors",
    Method.SAINTE_LAGUE: "Sainte-Laguë divisors",
    Method.MODIFIED_SAINTE_LAGUE: "modified Sainte-Laguë divisors",
    Method.DANISH: "Danish divisors",
    Method.IMPERIALI: "Imperiali divisors",
    Method.HUNTINGTON_HILL: "Huntington-Hill divisors",
    Method.ADAMS: "Adams divisors",
}


def resolve(value: T | SettingRef, settings: Settings) -> T | str:
    """A literal as it is; a setting reference as the setting's value."""
    return settings[value.setting] if isinstance(value, SettingRef) else value


def _method(value: Method | SettingRef, settings: Settings) -> Method:
    chosen = resolve(value, settings)
    return chosen if isinstance(chosen, Method) else Method(chosen)  # the parser checked the values


def _threshold(section: PartyListDef, settings: Settings) -> Threshold | None:
    value = section.threshold
    if value is None:
        return None
    if isinstance(value, SettingRef):
        share = share_value(settings[value.setting])
        if share is None:  # prevented by the parser: every allowed value is a share
            raise ValueError(f"setting {value.setting} is not a share")
    else:
        share = value
    base: ThresholdBase = "parties" if resolve(section.threshold_base, settings) == "parties" else "all"
    return Threshold(share, base, section.threshold_strict)


def seat_rules(version: PresetVersion, settings: Mapping[str, str], *, seed: str | None = None) -> SeatRules:
    """The version's ``party_list`` section as ``SeatRules``, settings applied. ``seed`` is the public
    seed of a lot (spec/seats.md §5), needed only when ties are broken by lot."""
    section = _section(version)
    resolved = version.resolve_settings(settings)
    tie: TieBreakMode = "lot" if resolve(section.tie_break, resolved) == "lot" else "order"
    return SeatRules(
        method=_method(section.method, resolved),
        threshold=_threshold(section, resolved),
        first_divisor=section.first_divisor,
        droop_exact=section.droop_exact,
        quota_overflow=section.quota_overflow,
        tie_break=tie,
        seed=seed,
    )


def _section(version: PresetVersion) -> PartyListDef:
    if version.party_list is None:
        raise ContestMismatch(
            f"preset {version.preset} (version {version.id}) has no party_list section",
            details={"preset": version.preset, "version": version.id, "contest_kind": "party_list"},
        )
    return version.party_list


def require_contest(version: PresetVersion, contest: Contest, wanted: type[_Kind]) -> _Kind:
    """``contest`` as the ``wanted`` contest type; ContestMismatch unless it is one and the version is an
    election version."""
    kind = _KIND_OF[wanted]
    if version.kind != "election" or not isinstance(contest, wanted):
        raise ContestMismatch(
            f"preset {version.preset} (version {version.id}, a {version.kind} preset) cannot decide contest "
            f"{contest.code} of kind {contest.kind} as a {kind} contest",
            details={"preset": version.preset, "contest": contest.code, "contest_kind": str(contest.kind)},
        )
    return contest


def list_seats(version: PresetVersion, contest: PartyListContest) -> int:
    """The contest's own seats, else the version's default; ContestMismatch if neither gives any."""
    if contest.seats is not None:
        return contest.seats
    default = _section(version).seats
    if default is None:
        raise ContestMismatch(
            f"contest {contest.code} has no seats and preset {version.preset} gives no default",
            code="no_seats",
            details={"contest": contest.code, "preset": version.preset},
        )
    return default


def option_votes(contest: ElectionContest, totals: Mapping[str, int]) -> dict[str, int]:
    """Votes per option code in ballot order; every missing or negative count is reported."""
    problems: list[Problem] = []
    out: dict[str, int] = {}
    for o in contest.options:
        value = totals.get(o.code)
        if value is None:
            problems.append(Problem("missing_total", f"no total for option {o.code!r}", field=o.code))
        elif value < 0:
            problems.append(Problem("negative", f"{o.code}: votes must not be negative", field=o.code))
        else:
            out[o.code] = value
    if not contest.options:
        problems.append(Problem("no_options", f"contest {contest.code} has no options", field="options"))
    if problems:
        raise InputError(problems, summary=f"totals of contest {contest.code} refused")
    return out


def _row(option: Option, votes: int, contest: PartyListContest) -> PartyRow:
    match option.kind:
        case OptionKind.PARTY:
            return PartyRow(option.code, votes, order=option.order)
        case OptionKind.AGAINST_ALL:
            return PartyRow(option.code, votes, eligible=False)
        case OptionKind.CANDIDATE:
            problem = Problem("option_kind", f"{option.code}: a candidate on a party list", field=option.code)
            raise InputError([problem], summary=f"contest {contest.code} refused")
        case _:
            assert_never(option.kind)


def decide_party_list(
    version: PresetVersion,
    settings: Mapping[str, str],
    contest: Contest,
    totals: Mapping[str, int],
    *,
    seed: str | None = None,
) -> SeatOutcome:
    """Seats of a party-list contest from its national ``totals`` (option code -> votes; other keys,
    such as the ballot fields, are ignored). Raises ContestMismatch, InputError, or the seats errors
    (``TieUnresolved`` when a tie decides a seat and the rule cannot break it)."""
    contest = require_contest(version, contest, PartyListContest)
    rules = seat_rules(version, settings, seed=seed)
    seats = list_seats(version, contest)
    votes = option_votes(contest, totals)
    rows = [_row(o, votes[o.code], contest) for o in contest.options]
    allocation = allocate(rows, seats, rules)
    won = allocation.seats
    parties = [o for o in contest.options if o.kind is OptionKind.PARTY]
    lists = elect_from_lists({o.code: won[o.code] for o in parties}, {o.code: o.candidates for o in parties})
    explanation = _explain_list(version, contest, rules, seats, rows, allocation.qualified, won)
    explanation += tuple(s for s in allocation.steps if s.startswith("tie for"))
    if allocation.quota is not None:
        q = allocation.quota
        explanation += (f"quota: {grouped_decimal_str(q, 4)} votes ({fraction_str(q)})",)
    for lo in lists:
        if lo.vacant:
            explanation += (
                f"{_name(contest, lo.party)}: {lo.vacant} of its {lo.seats} seats vacant, its list has "
                f"only {len(lo.elected)} candidate{'' if len(lo.elected) == 1 else 's'} (what follows is for the law "
                "to say)",
            )
    return SeatOutcome(
        contest=contest.code,
        preset=version.preset,
        preset_version=version.id,
        seats={o.code: won[o.code] for o in contest.options},
        qualified=allocation.qualified,
        quota=allocation.quota,
        elected={lo.party: lo.elected for lo in lists},
        vacant={lo.party: lo.vacant for lo in lists if lo.vacant},
        steps=allocation.steps,
        explanation=explanation,
    )


def _name(contest: PartyListContest, code: str) -> str:
    return next((o.name() for o in contest.options if o.code == code), code)


def _explain_list(
    version: PresetVersion,
    contest: PartyListContest,
    rules: SeatRules,
    seats: int,
    rows: list[PartyRow],
    qualified: tuple[str, ...],
    won: Mapping[str, int],
) -> tuple[str, ...]:
    section = _section(version)
    how = f"{seats} seats by {_METHOD_TEXT[rules.method]}"
    t = rules.threshold
    if t is None:
        first = f"{how} among all parties, no threshold ({section.source})"
        base_votes = 0
    else:
        against = any(not r.eligible for r in rows)
        noun = "for parties" if t.base == "parties" else ("for parties and against all" if against else "cast")
        least = "more than" if t.strict else "at least"
        first = f"{how} among the parties with {least} {threshold_str(t.share)} of the votes {noun} ({section.source})"
        base_votes = sum(r.votes for r in rows if t.base == "all" or r.eligible)
    lines = [first]
    if t is not None and base_votes:
        shown = [f"{_name(contest, r.name)} {percent(Fraction(r.votes, base_votes))}" for r in rows if r.eligible]
        lines.append(f"shares of {base_votes:,} votes: " + ", ".join(shown))
    names = ", ".join(_name(contest, q) for q in qualified) or "none"
    lines.append(f"qualified: {names}")
    lines.append("seats: " + ", ".join(f"{_name(contest, r.name)} {won[r.name]}" for r in rows if r.eligible))
    return tuple(lines)
