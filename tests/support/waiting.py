"""Waiting for something the bot does without a word in any chat (it writes to the
database, or stays quiet on purpose)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from tests.support.harness import BotUnderTest


async def eventually(
    check: Callable[[], Awaitable[bool]],
    timeout: float = 5.0,  # noqa: ASYNC109 - a waiting helper
    every: float = 0.02,
) -> None:
    """Until ``check()`` is true; AssertionError after ``timeout`` seconds."""
    try:
        async with asyncio.timeout(timeout):
            # A row in SQLite or a task finishing sends no event to wait on: look again.
            while not await check():  # noqa: ASYNC110
                await asyncio.sleep(every)
    except TimeoutError:
        raise AssertionError(f"not so within {timeout} s") from None


async def updates_handled(bot: BotUnderTest, timeout: float = 5.0) -> None:  # noqa: ASYNC109
    """Until the bot has fetched every update queued so far and finished handling it: to
    see that it did nothing, where it says nothing."""
    assert bot.app is not None
    dispatcher = bot.app.dispatcher

    async def idle() -> bool:
        # aiogram keeps the tasks of the updates it handles here; the next getUpdates,
        # which confirms the ones before, is asked for only once each has its task.
        tasks = getattr(dispatcher, "_handle_update_tasks", set())
        return not bot.standin.state.updates.pending and all(task.done() for task in tasks)

    await eventually(idle, timeout)
