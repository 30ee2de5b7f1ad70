"""``allocate``: thresholds, the method over the qualified parties, and the compensatory (MMP) step."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from saylau.model.errors import InputError, Problem
from saylau.seats.codes import SeatsCode
from saylau.seats.divisor import highest_averages
from saylau.seats.quota import largest_remainder
from saylau.seats.threshold import qualify
from saylau.seats.ties import TieBreak
from saylau.seats.types import Allocation, PartyRow, PartySeats, SeatRules, SeatsError

__all__ = ["allocate", "apportion"]


def _check(rows: Sequence[PartyRow], seats: int, rules: SeatRules) -> None:
    problems: list[Problem] = []
    seen: set[str] = set()
    for r in rows:
        if r.name in seen:
            problems.append(Problem("duplicate_party", f"party {r.name!r} appears more than once", field="party"))
        seen.add(r.name)
        for fld, value in (("votes", r.votes), ("district_seats", r.district_seats)):
            if value < 0:
                problems.append(Problem("negative", f"{r.name}: {fld} must not be negative", field=fld))
        if r.district_seats and not r.is_party:
            msg = f"{r.name} cannot hold seats but has district seats"
            problems.append(Problem("district_seats_not_party", msg, field="district_seats"))
    if seats < 0:
        problems.append(Problem("seats", "the number of seats must not be negative", field="seats"))
    if rules.first_divisor <= 0:
        problems.append(Problem("first_divisor", "the first divisor must be positive", field="first_divisor"))
    if problems:
        raise InputError(problems, summary="seat allocation refused")
    districts = sum(r.district_seats for r in rows)
    if rules.compensatory and districts > seats:
        raise SeatsError(
            f"{districts} district seats won, more than the house of {seats}",
            code=SeatsCode.DISTRICT_SEATS_EXCEED_HOUSE,
            details={"district_seats": districts, "house": seats},
        )


def apportion(
    votes: Sequence[int],
    names: Sequence[str],
    seats: int,
    rules: SeatRules,
    steps: list[str],
    *,
    orders: Sequence[int | None] | None = None,
) -> tuple[list[int], Fraction | None]:
    """The method alone: ``seats`` seats among these parties (all take part). Returns seats and quota."""
    tb = TieBreak(rules.tie_break, tuple(names), tuple(orders or [None] * len(names)), rules.seed)
    if seats == 0:
        steps.append("no seats to allocate")
        return [0] * len(votes), None
    if sum(votes) == 0:
        raise SeatsError(f"{seats} seats to allocate but no votes for the parties taking part", code=SeatsCode.NO_VOTES)
    if rules.method.is_quota:
        won, quota = largest_remainder(
            rules.method, votes, seats, tb, steps, droop_exact=rules.droop_exact, overflow=rules.quota_overflow
        )
        return won, quota
    return highest_averages(rules.method, votes, seats, tb, steps, first_divisor=rules.first_divisor), None


def allocate(rows: Sequence[PartyRow], seats: int, rules: SeatRules) -> Allocation:
    """Allocate ``seats`` (with ``compensatory``: the house size N) among the rows by ``rules``."""
    _check(rows, seats, rules)
    steps: list[str] = [f"method: {rules.method}; seats: {seats}"]
    qualified = qualify(rows, rules, steps)
    taking = [i for i, q in enumerate(qualified) if q]
    won, quota = apportion(
        [rows[i].votes for i in taking],
        [rows[i].name for i in taking],
        seats,
        rules,
        steps,
        orders=[rows[i].order for i in taking],
    )
    entitled = [0] * len(rows)
    for i, w in zip(taking, won, strict=True):
        entitled[i] = w
    if rules.compensatory:
        out = _compensate(rows, qualified, entitled, rules, steps)
    else:
        out = tuple(
            PartySeats(r.name, r.votes, q, e, r.district_seats)
            for r, q, e in zip(rows, qualified, entitled, strict=True)
        )
    return Allocation(rules.method, out, quota, tuple(steps), rules.compensatory)


def _compensate(
    rows: Sequence[PartyRow], qualified: Sequence[bool], entitled: Sequence[int], rules: SeatRules, steps: list[str]
) -> tuple[PartySeats, ...]:
    """MMP: list seats = entitlement - district seats. ``keep`` (New Zealand): a party's total is
    max(entitlement, district seats) and the house grows by the overhang. ``drop`` (Germany 2025):
    the total is the entitlement; district winners beyond it get no seat."""
    out: list[PartySeats] = []
    for r, q, e in zip(rows, qualified, entitled, strict=True):
        d = r.district_seats
        listed, over = max(e - d, 0), max(d - e, 0)
        if over and rules.overhang == "keep":
            steps.append(f"{r.name}: {d} district seats, entitlement {e}: {over} overhang seat(s) kept")
        elif over:
            steps.append(f"{r.name}: {d} district seats, entitlement {e}: {over} district winner(s) get no seat")
            over = 0
        else:
            steps.append(f"{r.name}: entitlement {e} = {d} district + {listed} list seats")
        out.append(PartySeats(r.name, r.votes, q, e + over, d, listed, over))
    grown = sum(p.overhang or 0 for p in out)
    if grown:
        steps.append(f"the house grows by {grown} overhang seat(s) to {sum(p.seats for p in out)}")
    return tuple(out)
