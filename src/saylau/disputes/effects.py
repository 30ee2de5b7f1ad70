"""Decisions that change the count, as typed values a service applies later (spec/disputes.md §8).

Each names the decision it comes from; the service turns it into a new protocol version, an annulled
precinct, an invalidated event or a certified result reopened, through the existing correction path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, assert_never

__all__ = ["AnnulPrecinct", "CountEffect", "InvalidateEvent", "OrderRecount", "ReopenCertified", "effect_plain"]


@dataclass(frozen=True, slots=True)
class AnnulPrecinct:
    """A precinct's result annulled: counted neither in reported nor in totals, shown with the decision."""

    event: str
    precinct: str
    decision: str
    tag: Literal["annul_precinct"] = "annul_precinct"


@dataclass(frozen=True, slots=True)
class OrderRecount:
    """A recount of the units named (precincts or higher units); its result is a new protocol version."""

    event: str
    units: tuple[str, ...]
    decision: str
    tag: Literal["order_recount"] = "order_recount"


@dataclass(frozen=True, slots=True)
class InvalidateEvent:
    """The whole vote declared invalid."""

    event: str
    decision: str
    tag: Literal["invalidate_event"] = "invalidate_event"


@dataclass(frozen=True, slots=True)
class ReopenCertified:
    """A certified result sent back through the lifecycle, the decision as its reason."""

    event: str
    decision: str
    reason: str
    tag: Literal["reopen_certified"] = "reopen_certified"


CountEffect = AnnulPrecinct | OrderRecount | InvalidateEvent | ReopenCertified


def effect_plain(effect: CountEffect) -> dict[str, Any]:
    """The JSON form (canonical: strings and lists only)."""
    out: dict[str, Any] = {"kind": effect.tag, "event": effect.event, "decision": effect.decision}
    match effect:
        case AnnulPrecinct():
            out["precinct"] = effect.precinct
        case OrderRecount():
            out["units"] = list(effect.units)
        case InvalidateEvent():
            pass
        case ReopenCertified():
            out["reason"] = effect.reason
        case _ as never:
            assert_never(never)
    return out
