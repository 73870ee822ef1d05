"""Running the emulator on a TCP port, for tests (in-process) and for the CLI."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from .app import create_app
from .clock import EmulatorClock
from .config import EmulatorConfig
from .middlewares import DROPPED_KEY
from .state import EmulatorState

# Requests held by a timeout fault must not hold up a stop for long.
SHUTDOWN_TIMEOUT = 1.0


class TokenFreeAccessLogger(AbstractAccessLogger):
    """An access log without query strings: the token travels in ``?token=``."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        status = "dropped" if request.get(DROPPED_KEY) else response.status
        self.logger.info("%s %s %s %.1fms", request.method, request.path, status, time * 1000)


@dataclass
class RunningEmulator:
    """An emulator serving on ``url``; the API is at ``{url}/sms-api/...``."""

    url: str
    state: EmulatorState
    runner: web.AppRunner

    @property
    def clock(self) -> EmulatorClock:
        return self.state.clock

    @property
    def token(self) -> str:
        return self.state.config.token

    async def stop(self) -> None:
        self.state.faults.release_hangs()
        await self.runner.cleanup()

    async def __aenter__(self) -> RunningEmulator:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()


async def start_emulator(
    host: str = "127.0.0.1", port: int = 0, token: str = "test-token", **config: Any
) -> RunningEmulator:
    """Start an emulator; ``config`` takes any :class:`EmulatorConfig` field.

    ``port=0`` picks a free port; the chosen one is in ``url``.
    """
    state = EmulatorState(EmulatorConfig(token=token, **config))
    return await serve(state, host, port)


async def serve(state: EmulatorState, host: str = "127.0.0.1", port: int = 0) -> RunningEmulator:
    """Serve an existing state (one built with a custom clock, say)."""
    state.faults.hold_hangs()
    runner = web.AppRunner(
        create_app(state),
        access_log_class=TokenFreeAccessLogger,
        access_log=logging.getLogger("testbed.emulator.access"),
        shutdown_timeout=SHUTDOWN_TIMEOUT,
    )
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    bound_host, bound_port = runner.addresses[0][:2]
    url_host = f"[{bound_host}]" if ":" in bound_host else bound_host
    return RunningEmulator(f"http://{url_host}:{bound_port}", state, runner)
