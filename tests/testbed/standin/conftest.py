"""The stand-in's tests: a plain HTTP client, to speak to it as any Bot API client would.

They run against the root conftest's ``standin``; test_errors.py has its own, on a clock
of its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session
