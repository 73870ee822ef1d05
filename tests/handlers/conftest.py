"""Fixtures of the Telegram layer's tests beyond the root conftest's bot and people."""

from __future__ import annotations

import pytest

from tests.support.harness import BotUnderTest
from tests.support.notify import align_clock


@pytest.fixture
def aligned_clock(bot: BotUnderTest) -> None:
    """The bot's notifier on the emulator's clock: for a module of notification tests,
    as ``pytestmark = pytest.mark.usefixtures("aligned_clock")``."""
    align_clock(bot)
