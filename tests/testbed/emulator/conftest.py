"""The emulator's tests: a frozen-clock emulator of their own, and a client for its API.

``emulator`` overrides the root one: its own token, a fixed START and short timings,
which these tests' expected answers are written for.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from testbed.emulator import RunningEmulator
from tests.support.emulator_api import TOKEN, start_test_emulator


@pytest.fixture
async def emulator() -> AsyncIterator[RunningEmulator]:
    running = await start_test_emulator()
    yield running
    await running.stop()


@pytest.fixture
async def api(emulator: RunningEmulator) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client that sends the right token with every request."""
    async with httpx.AsyncClient(
        base_url=emulator.url, params={"token": TOKEN}, timeout=10
    ) as client:
        yield client
