"""Issue 9 (Medium 9): a process holds a bounded number of live event streams; one more is a 503
problem+json with Retry-After, and a slot comes back when a listener leaves (SQLite and PostgreSQL).

Driven at the ASGI level on one event loop, so that streams stay open as long as the test wants."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from tests.aio import run_in_own_loop
from tests.integration.test_api_json import counting_small

from saylau.api import create_app
from saylau.services.context import Context

PATH = "/api/events/small/stream"


class _Listener:
    """One GET of the stream: what the app sent, and a switch to disconnect."""

    def __init__(self, app: Any):
        self.app, self.messages, self.gone = app, [], asyncio.Event()
        self.started = asyncio.Event()
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": PATH,
            "raw_path": PATH.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"testserver"), (b"accept", b"text/event-stream")],
            "client": ("127.0.0.1", 1),
            "server": ("testserver", 80),
            "state": {},
        }
        sent_request = False

        async def receive() -> dict[str, Any]:
            nonlocal sent_request
            if not sent_request:
                sent_request = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await self.gone.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            self.messages.append(message)
            if message["type"] == "http.response.body" and message.get("body"):
                self.started.set()

        await self.app(scope, receive, send)
        self.started.set()

    @property
    def status(self) -> int:
        return int(next(m["status"] for m in self.messages if m["type"] == "http.response.start"))

    @property
    def headers(self) -> dict[str, str]:
        start = next(m for m in self.messages if m["type"] == "http.response.start")
        return {k.decode().lower(): v.decode() for k, v in start["headers"]}

    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.messages if m["type"] == "http.response.body")

    async def leave(self) -> None:
        self.gone.set()
        await asyncio.wait_for(self.task, 30)


async def _scenario(app: Any) -> None:
    first = [_Listener(app) for _ in range(3)]
    for listener in first:
        await asyncio.wait_for(listener.started.wait(), 30)
        assert listener.status == 200
        assert not listener.task.done()  # still open
    refused = _Listener(app)
    await asyncio.wait_for(refused.task, 30)
    assert refused.status == 503
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert int(refused.headers["retry-after"]) > 0
    assert json.loads(refused.body())["code"] == "too_many_streams"
    await first[0].leave()  # a listener goes: its slot comes back
    again = _Listener(app)
    await asyncio.wait_for(again.started.wait(), 30)
    assert again.status == 200
    for listener in [*first[1:], again]:
        await listener.leave()
    after = [_Listener(app) for _ in range(3)]  # every slot was given back
    for listener in after:
        await asyncio.wait_for(listener.started.wait(), 30)
        assert listener.status == 200
    for listener in after:
        await listener.leave()


def test_streams_are_capped_per_process(ctx: Context) -> None:
    counting_small(ctx)
    app = create_app(ctx, stream_interval=0.02, max_streams=3)
    run_in_own_loop(lambda: _scenario(app))
