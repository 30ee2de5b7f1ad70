"""Run a coroutine to the end from a synchronous test, whatever the test session holds.

The browser tests keep Playwright's synchronous API (and so an event loop) alive in the main thread for
the whole session; ``asyncio.run`` there would refuse ("cannot be called from a running event loop").
A fresh thread has no loop: the coroutine gets its own, as it would in a server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_in_own_loop(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """``asyncio.run(make())`` in a thread of its own; its result, or its exception raised here."""

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()
