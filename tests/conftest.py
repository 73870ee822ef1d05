from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import Role, Storage
from testbed.emulator import RunningEmulator, start_emulator
from testbed.standin import BotApiStandin, SimUser
from tests.support.harness import (
    ADMIN_ID,
    BOT_TOKEN,
    MANAGER_ID,
    OBSERVER_ID,
    SMS_TOKEN,
    STRANGER_ID,
    BotUnderTest,
    free_port,
)


@pytest.fixture
async def emulator() -> AsyncIterator[RunningEmulator]:
    # A frozen clock: only the test moves dispatches on.
    running = await start_emulator(token=SMS_TOKEN, speed=0)
    yield running
    await running.stop()


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Storage]:
    """A fresh database, for tests of what the bot keeps without the bot around it."""
    opened = await Storage.open(tmp_path / "bot.sqlite3")
    yield opened
    await opened.close()


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandin]:
    running = await BotApiStandin.start(bot_token=BOT_TOKEN)
    yield running
    await running.stop()


@pytest.fixture
async def bot(
    standin: BotApiStandin, emulator: RunningEmulator, tmp_path: Path
) -> AsyncIterator[BotUnderTest]:
    running = BotUnderTest(standin, emulator, tmp_path / "bot.sqlite3")
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
async def health_bot(
    standin: BotApiStandin, emulator: RunningEmulator, tmp_path: Path
) -> AsyncIterator[BotUnderTest]:
    """The bot with its health listener (HEALTH_LISTEN) on a loopback port."""
    running = BotUnderTest(
        standin, emulator, tmp_path / "bot.sqlite3", HEALTH_LISTEN=f"127.0.0.1:{free_port()}"
    )
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
async def admin(bot: BotUnderTest) -> SimUser:
    return await bot.user(ADMIN_ID, Role.ADMIN, first_name="Alla")


@pytest.fixture
async def manager(bot: BotUnderTest) -> SimUser:
    return await bot.user(MANAGER_ID, Role.MANAGER, first_name="Max")


@pytest.fixture
async def observer(bot: BotUnderTest) -> SimUser:
    return await bot.user(OBSERVER_ID, Role.OBSERVER, first_name="Olga")


@pytest.fixture
async def stranger(bot: BotUnderTest) -> SimUser:
    return await bot.user(STRANGER_ID, None, first_name="Stan")
