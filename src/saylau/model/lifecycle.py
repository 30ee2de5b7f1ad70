"""The life of an event: explicit phases and the transitions between them (no nullable timestamps)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from saylau.model.codes import ModelCode
from saylau.model.errors import LifecycleError

__all__ = ["TRANSITIONS", "Mode", "Phase", "check_transition"]


class Phase(StrEnum):
    SETUP = "setup"
    VOTING = "voting"
    COUNTING = "counting"
    PROVISIONAL = "provisional"
    FINAL = "final"
    CERTIFIED = "certified"


class Mode(StrEnum):
    """Test data (a rehearsal before polling day) is kept apart and can never be published or mixed in."""

    LIVE = "live"
    TEST = "test"


TRANSITIONS: Mapping[Phase, frozenset[Phase]] = {
    Phase.SETUP: frozenset({Phase.VOTING}),
    Phase.VOTING: frozenset({Phase.COUNTING}),
    Phase.COUNTING: frozenset({Phase.PROVISIONAL}),
    Phase.PROVISIONAL: frozenset({Phase.FINAL}),
    Phase.FINAL: frozenset({Phase.CERTIFIED}),
    Phase.CERTIFIED: frozenset(),
}


def check_transition(current: Phase, target: Phase) -> None:
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "none (certified is final)"
        raise LifecycleError(
            f"cannot move from {current} to {target}; allowed next: {allowed}",
            code=ModelCode.BAD_TRANSITION,
            details={"from": str(current), "to": str(target)},
        )
