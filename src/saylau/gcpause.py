"""Pause the cyclic garbage collector while building millions of small acyclic objects.

Loading a million-precinct territory, parsing a million protocol rows or applying a million versions
otherwise spends much of its time in collections that find nothing. The previous state is restored.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["bulk"]


@contextmanager
def bulk() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
