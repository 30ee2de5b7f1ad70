"""What every use case needs: the store, the clock, the acting person and the deployment's settings
(injected, never global)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from saylau.services.settings import DeploymentSettings
from saylau.store import Store

__all__ = ["Clock", "Context", "utc_now"]

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class Context:
    store: Store
    clock: Clock
    actor: str
    settings: DeploymentSettings = field(
        default_factory=DeploymentSettings
    )  # secret key and scan policy (services.settings)
