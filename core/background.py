"""A task that runs beside the bot until asked to stop (the poller, the recurring
dispatches' keeper, the weekly digest, the periodic backup): started once, stopped safely
twice or before it started, and given a grace period to finish the work under way."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from contextlib import suppress
from typing import Any

log = logging.getLogger(__name__)

# Work under way (a create, a delivery, a digest) is finished rather than cut, but a stop
# must not hang the process's shutdown on a slow service.
STOP_GRACE_SECONDS = 5.0


class BackgroundTask:
    """``grace`` None: a stop waits for the work under way however long it takes (a
    database copy, which must not be left half written)."""

    def __init__(self, name: str, *, grace: float | None = STOP_GRACE_SECONDS) -> None:
        self.name = name
        self.grace = grace
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def stopping(self) -> bool:
        """A stop was asked for: start nothing new."""
        return self._stopping.is_set()

    def start(self, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Run ``work()`` in a task, unless it runs already."""
        if self._task is None:
            self._stopping.clear()
            self._task = asyncio.create_task(work(), name=self.name)

    async def stop(self) -> None:
        """Ask the work to end and wait for it; past the grace period it is cancelled."""
        self._stopping.set()
        task, self._task = self._task, None
        if task is None:
            return
        if self.grace is None:
            await task
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), self.grace)
        except TimeoutError:
            log.warning("The %s did not stop in time; cancelling it", self.name)
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    async def pause(self, seconds: float) -> None:
        """Sleep ``seconds``, or until a stop is asked for if that comes first."""
        if seconds <= 0:
            return
        with suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)
