"""Fixtures of the process's tests beyond the root conftest's: the bot in webhook mode."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from testbed.emulator import RunningEmulator
from testbed.standin import BotApiStandin
from tests.support.harness import BotUnderTest, webhook_settings


@pytest.fixture
async def webhook_bot(
    standin: BotApiStandin, emulator: RunningEmulator, tmp_path: Path
) -> AsyncIterator[BotUnderTest]:
    """The bot as the root conftest's ``bot``, but Telegram (the stand-in) delivers each
    update to its webhook instead of the bot polling."""
    running = BotUnderTest(standin, emulator, tmp_path / "bot.sqlite3", **webhook_settings())
    await running.start()
    yield running
    await running.stop()
