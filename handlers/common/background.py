"""Work a handler starts and does not wait for (telling 500 people something through
the outbox takes a while), ended with the bot.

A handler that waited would hold its user's next update back for as long (events are
isolated per chat), so such work runs here, with its failures logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from contextlib import suppress
from typing import Any

from aiogram import Dispatcher

log = logging.getLogger(__name__)


class Background:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, work: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    @property
    def running(self) -> int:
        return len(self._tasks)

    async def wait(self) -> None:
        """Until everything started so far has ended (tests, and a graceful stop)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def close(self) -> None:
        """Cancel whatever still runs (the outbox is closed by then: it would send nothing)."""
        tasks = set(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with suppress(asyncio.CancelledError, Exception):  # logged by _finished
                await task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("Background work %s failed", task.get_name(), exc_info=task.exception())


BACKGROUND = "background"  # its name in the dispatcher's data: handlers take ``background``


async def open_background(dispatcher: Dispatcher) -> None:
    """A start-up hook of the root router."""
    dispatcher[BACKGROUND] = Background()


async def close_background(dispatcher: Dispatcher) -> None:
    """A shutdown hook of the root router."""
    background = dispatcher.workflow_data.pop(BACKGROUND, None)
    if isinstance(background, Background):
        await background.close()
