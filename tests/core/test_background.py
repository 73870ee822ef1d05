"""The one life cycle of the bot's background tasks: start once, stop safely, a grace
period for the work under way, and sleeps that a stop cuts short."""

from __future__ import annotations

import asyncio
import time

from core.background import BackgroundTask


async def test_a_stop_before_a_start_and_a_second_stop_do_nothing() -> None:
    task = BackgroundTask("test loop")
    await task.stop()
    await task.stop()
    assert task.stopping


async def test_a_loop_ends_at_the_stop_and_a_pause_is_cut_short() -> None:
    task = BackgroundTask("test loop")
    rounds: list[int] = []

    async def work() -> None:
        while not task.stopping:
            rounds.append(1)
            await task.pause(60)

    task.start(work)
    task.start(work)  # running already: not a second loop
    await asyncio.sleep(0.05)
    started = time.monotonic()
    await task.stop()
    assert time.monotonic() - started < 1 and rounds == [1]


async def test_work_that_overstays_the_grace_is_cancelled() -> None:
    task = BackgroundTask("test loop", grace=0.1)
    cancelled = asyncio.Event()

    async def stuck() -> None:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    task.start(stuck)
    await asyncio.sleep(0)
    await task.stop()
    assert cancelled.is_set()


async def test_without_a_grace_the_work_under_way_is_waited_for() -> None:
    task = BackgroundTask("test copy", grace=None)
    finished = asyncio.Event()

    async def copy() -> None:
        await asyncio.sleep(0.2)
        finished.set()

    task.start(copy)
    await asyncio.sleep(0)
    await task.stop()
    assert finished.is_set()


async def test_a_task_stopped_can_start_again() -> None:
    task = BackgroundTask("test loop")
    runs: list[bool] = []

    async def once() -> None:
        runs.append(task.stopping)

    for _ in range(2):
        task.start(once)
        await asyncio.sleep(0)  # it runs before the stop is asked for
        await task.stop()
    assert runs == [False, False]
