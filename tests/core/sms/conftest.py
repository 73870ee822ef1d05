"""The SMS client's tests: a scripted SMS API on loopback."""

from collections.abc import AsyncIterator

import pytest

from tests.support.sms_stub import StubApi, stub_api


@pytest.fixture
async def stub() -> AsyncIterator[StubApi]:
    async with stub_api() as api:
        yield api
