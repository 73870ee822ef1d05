"""Fixtures of the core's tests beyond the root conftest's emulator and store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest

from core.sms import SmsApiClient
from testbed.emulator import RunningEmulator
from tests.support.harness import SMS_TOKEN


@pytest.fixture
async def sms(emulator: RunningEmulator) -> AsyncIterator[SmsApiClient]:
    """The SMS client on the emulator, retrying quickly."""
    async with SmsApiClient(
        emulator.url, SMS_TOKEN, ZoneInfo("Europe/Moscow"), backoff=0.01
    ) as client:
        yield client
