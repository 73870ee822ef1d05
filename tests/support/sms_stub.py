"""A scripted SMS API stand-in over real HTTP on 127.0.0.1, for the client's tests.

Each route answers from a queue of scripted replies (the last one repeats), and every
request that reached the server is recorded, so tests can count what was really sent.
tests/core/sms/test_stub_server.py pins the stand-in itself.
"""

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field

from aiohttp import web

# The headers of the seed's example answers.
SEED_HEADERS: Mapping[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-XSS-Protection": "1; mode=block",
    "Cache-Control": "no-cache, no-store, max-age=0, must-revalidate",
    "Pragma": "no-cache",
    "Expires": "0",
    "X-Frame-Options": "DENY",
}
JSON_HEADERS: Mapping[str, str] = {"Content-Type": "application/json", **SEED_HEADERS}


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: Mapping[str, str] = field(default_factory=lambda: JSON_HEADERS)
    delay: float = 0.0  # seconds before answering (cut short when the stub stops)
    drop: bool = False  # close the connection after reading the request, answer nothing


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    query: dict[str, str]
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> object:
        return json.loads(self.body)


class StubApi:
    def __init__(self) -> None:
        self.url = ""
        self.requests: list[Seen] = []
        self._replies: dict[tuple[str, str], list[Reply]] = {}
        self._released = asyncio.Event()

    def reply(self, method: str, path: str, *replies: Reply) -> None:
        """Script the answers of ``method path``; the last one repeats."""
        self._replies[(method, path)] = list(replies)

    def seen(self, method: str, path: str) -> list[Seen]:
        return [r for r in self.requests if (r.method, r.path) == (method, path)]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(
            Seen(
                request.method,
                request.path,
                dict(request.query),
                await request.read(),
                dict(request.headers),
            )
        )
        queue = self._replies.get((request.method, request.path))
        if not queue:
            return web.Response(status=599, text="no reply scripted")
        reply = queue.pop(0) if len(queue) > 1 else queue[0]
        if reply.delay:
            with suppress(TimeoutError):
                await asyncio.wait_for(self._released.wait(), reply.delay)
        if reply.drop:
            assert request.transport is not None
            request.transport.close()
            raise asyncio.CancelledError  # nothing more to say on a closed connection
        body = reply.body.encode() if isinstance(reply.body, str) else reply.body
        return web.Response(status=reply.status, body=body, headers=dict(reply.headers))


@asynccontextmanager
async def stub_api() -> AsyncIterator[StubApi]:
    stub = StubApi()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", stub._handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    stub.url = f"http://{host}:{port}"
    try:
        yield stub
    finally:
        stub._released.set()
        await runner.cleanup()


def closed_port_url() -> str:
    """A loopback URL on which nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
