"""The side panel's way to the emulator: its control API, reached with the API token
that the page never sees, and a long poll that answers when the emulator changes.

GET  /_sandbox/emulator/state?after=VERSION[&wait=S]   the emulator's state once its
                                                       version differs from VERSION
POST /_sandbox/emulator/balance                        {"add": X} or {"set": X}
POST /_sandbox/emulator/dispatches/{id}/advance        the dispatch's next status, now
POST /_sandbox/emulator/faults                         e.g. {"down": true}

Answers are the emulator's own (status and JSON body), so its checks are the panel's.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from contextlib import suppress
from typing import Any

import aiohttp
from aiohttp import web

from testbed.standin import route_params

from .queries import wait_seconds

PANEL_WAIT_SECONDS = 25.0
# The emulator moves dispatches by its clock, not by events: how often a waiting long
# poll looks again. Actions taken through the panel wake it at once.
RECHECK_SECONDS = 1.0
CONTROL_TIMEOUT_SECONDS = 10.0


class EmulatorUnreachable(Exception):
    pass


def state_version(snapshot: dict[str, Any]) -> str:
    """Equal for two snapshots that differ only in the clock: what the panel shows."""
    shown = {key: value for key, value in snapshot.items() if key != "clock"}
    encoded = json.dumps(shown, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]


class EmulatorPanel:
    def __init__(self, emulator_url: str, token: str) -> None:
        self._base = f"{emulator_url}/_emulator"
        self._token = token
        self._session: aiohttp.ClientSession | None = None
        self._changed = asyncio.Condition()

    async def open(self) -> None:
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=CONTROL_TIMEOUT_SECONDS)
        )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def control(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """One control API call; the emulator's status and JSON answer."""
        if self._session is None:
            raise EmulatorUnreachable("the panel is closed")
        try:
            async with self._session.request(
                method, f"{self._base}{path}", params={"token": self._token}, json=body
            ) as response:
                answer = await response.json(content_type=None)
                return response.status, answer
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            raise EmulatorUnreachable(f"the emulator does not answer: {error!r}") from None

    async def snapshot(self) -> dict[str, Any]:
        status, answer = await self.control("GET", "/state")
        if status != 200 or not isinstance(answer, dict):
            raise EmulatorUnreachable(f"the emulator's state came back with {status}")
        return answer

    async def changed_state(self, after: str, wait: float) -> dict[str, Any]:
        """The state as soon as its version is not `after`, or as it is after `wait`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            snapshot = await self.snapshot()
            version = state_version(snapshot)
            remaining = deadline - loop.time()
            if version != after or remaining <= 0:
                return {"version": version, "state": snapshot}
            with suppress(TimeoutError):
                async with asyncio.timeout(min(RECHECK_SECONDS, remaining)), self._changed:
                    await self._changed.wait()

    async def _post(self, path: str, body: Any) -> web.Response:
        try:
            status, answer = await self.control("POST", path, body)
        except EmulatorUnreachable as error:
            return web.json_response({"error": str(error)}, status=502)
        if status < 300:
            await self._acted()  # waiting long polls show the change now
        return web.json_response(answer, status=status)

    async def _acted(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def routes(self) -> list[web.RouteDef]:
        async def state(request: web.Request) -> web.Response:
            after = request.query.get("after", "")
            wait = wait_seconds(request, PANEL_WAIT_SECONDS)
            try:
                return web.json_response(await self.changed_state(after, wait))
            except EmulatorUnreachable as error:
                return web.json_response({"error": str(error)}, status=502)

        async def forward(request: web.Request, path: str) -> web.Response:
            try:
                body = await request.json()
            except ValueError:
                return web.json_response({"error": "the body must be JSON"}, status=400)
            return await self._post(path, body)

        async def balance(request: web.Request) -> web.Response:
            return await forward(request, "/balance")

        async def faults(request: web.Request) -> web.Response:
            return await forward(request, "/faults")

        async def advance(request: web.Request) -> web.Response:
            raw = route_params(request)["dispatch_id"]
            if not (raw.isascii() and raw.isdigit()):
                return web.json_response({"error": "the dispatch id is a number"}, status=400)
            return await self._post(f"/dispatches/{int(raw)}/advance", None)

        return [
            web.get("/_sandbox/emulator/state", state),
            web.post("/_sandbox/emulator/balance", balance),
            web.post("/_sandbox/emulator/faults", faults),
            web.post("/_sandbox/emulator/dispatches/{dispatch_id}/advance", advance),
        ]
