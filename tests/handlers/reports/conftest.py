"""The reports' tests: a bot with two admins, for the weekly digest."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from testbed.emulator import RunningEmulator
from testbed.standin import BotApiStandin
from tests.support.harness import ADMIN_ID, BotUnderTest

SECOND_ADMIN_ID = ADMIN_ID + 1


@pytest.fixture
async def two_admins_bot(
    standin: BotApiStandin, emulator: RunningEmulator, tmp_path: Path
) -> AsyncIterator[BotUnderTest]:
    running = BotUnderTest(
        standin, emulator, tmp_path / "bot.sqlite3", ADMIN_IDS=f"{ADMIN_ID},{SECOND_ADMIN_ID}"
    )
    await running.start()
    yield running
    await running.stop()
