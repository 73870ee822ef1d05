"""Fixtures of the Telegram layer's tests beyond the root conftest's bot and people."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from testbed.emulator import RunningEmulator
from testbed.standin import BotApiStandin
from tests.support.harness import BotUnderTest
from tests.support.notify import align_clock


@pytest.fixture
def aligned_clock(bot: BotUnderTest) -> None:
    """The bot's notifier on the emulator's clock: for a module of notification tests,
    as ``pytestmark = pytest.mark.usefixtures("aligned_clock")``."""
    align_clock(bot)


@pytest.fixture
async def json_logging_bot(
    standin: BotApiStandin, emulator: RunningEmulator, tmp_path: Path
) -> AsyncIterator[BotUnderTest]:
    """The bot as an operator runs it with LOG_FORMAT=json at INFO."""
    running = BotUnderTest(
        standin, emulator, tmp_path / "bot.sqlite3", LOG_FORMAT="json", LOG_LEVEL="INFO"
    )
    await running.start()
    yield running
    await running.stop()
