"""Everything the steps read: the raw files, the envelope parse and the typed views."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from saylau_verify.model import Ballot
from saylau_verify.prepass import Prepassed
from saylau_verify.record import Event
from saylau_verify.views import Views

__all__ = ["State"]


@dataclass(slots=True)
class State:
    manifest_file: dict[str, Any] | None
    events: list[Event | None]
    views: Views
    jobs: int = 0
    dask_address: str | None = None
    partial: bool = False
    prepassed: Prepassed | None = None  # per-ballot results computed where the lines were parsed
    ballot_items: list[tuple[str, Ballot, str]] | None = None  # (label, ballot, ballot_hash), built once
