"""The outbox in groups: so many calls a window per group beside the per-chat pace and the
overall rate, private chats paced as before, a group that became a supergroup followed to
its new id, and a group the bot is out of reported, not mistaken for a user."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot

from core.watch import Outcome
from handlers.common.outbox import Outbox, SenderClosed, SendLimits, is_group
from storage import Storage
from testbed.standin import BotApiStandin, SimGroup
from testbed.standin.testing import bot_for

# Three a second instead of Telegram's twenty a minute: the same rule, quick to watch (with
# the same margin over the window as the real one: 61 s for Telegram's 60).
SMALL = SendLimits(per_chat_interval=0.05, group_per_window=3, group_window=1.05)
GROUP_ID = -6001


@pytest.fixture
async def telegram(standin: BotApiStandin) -> AsyncIterator[Bot]:
    bot = bot_for(standin)
    yield bot
    await bot.session.close()


@pytest.fixture
async def team(standin: BotApiStandin) -> SimGroup:
    alla = standin.user(6001, "Alla")
    group = standin.group(GROUP_ID, "Team", [alla])
    await group.add_bot(by=alla)
    return group


def times_to(standin: BotApiStandin, chat_id: int) -> list[float]:
    return [c.time for c in standin.calls_to("sendMessage") if c.params["chat_id"] == chat_id]


def most_in_any_window(times: list[float], window: float) -> int:
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


def test_groups_are_the_chats_below_zero() -> None:
    assert is_group(-1) and is_group(-1001234567890)
    assert not is_group(1) and not is_group(0)


def test_telegrams_minute_is_kept_with_a_second_to_spare() -> None:
    limits = SendLimits()
    assert (limits.group_per_window, limits.group_window) == (20, 61.0)
    assert (limits.per_second, limits.per_chat_interval) == (30.0, 1.0)


async def test_a_group_gets_no_more_than_its_share_of_a_window(
    standin: BotApiStandin, telegram: Bot, store: Storage, team: SimGroup
) -> None:
    ann = standin.user(6002)
    sender = Outbox(telegram, store.users, SMALL)
    started = time.time()  # the stand-in records calls by the wall clock
    results = await asyncio.gather(
        *(sender.send(GROUP_ID, f"alert {n}") for n in range(7)),
        *(sender.send(ann.chat_id, f"private {n}") for n in range(7)),
    )
    assert all(result.outcome is Outcome.SENT for result in results)

    group_times, private_times = times_to(standin, GROUP_ID), times_to(standin, ann.chat_id)
    assert [m.text for m in team.bot_messages()] == [f"alert {n}" for n in range(7)]  # in order
    assert most_in_any_window(group_times, 1.0) <= 3
    assert group_times[-1] - started >= 2.0  # the 7th waits for two windows to pass
    # The private chat keeps its own pace only, and is not held back by the group's.
    assert private_times[-1] - started < 1.0


async def test_until_free_waits_for_the_window_without_taking_a_turn(
    standin: BotApiStandin, telegram: Bot, store: Storage, team: SimGroup
) -> None:
    sender = Outbox(telegram, store.users, SMALL)
    for n in range(3):
        await sender.send(GROUP_ID, f"alert {n}")
    started = time.monotonic()
    await sender.until_free(GROUP_ID)
    assert time.monotonic() - started >= 0.85  # the first call leaves the window
    await sender.until_free(GROUP_ID)  # nothing booked: free still
    assert time.monotonic() - started < 1.2
    await sender.until_free(4242)  # a chat never written to is free at once

    for n in range(3):
        await sender.send(GROUP_ID, f"more {n}")
    waiting = asyncio.create_task(sender.until_free(GROUP_ID))
    await asyncio.sleep(0.05)
    sender.close()
    with pytest.raises(SenderClosed):
        await asyncio.wait_for(waiting, 1)


async def test_a_group_that_became_a_supergroup_is_followed_to_its_new_id(
    standin: BotApiStandin, telegram: Bot, store: Storage, team: SimGroup
) -> None:
    moves: list[tuple[int, int]] = []

    async def moved(old: int, new: int) -> None:
        moves.append((old, new))

    sender = Outbox(telegram, store.users, SMALL, chat_moved=moved)
    alla = standin.user(6001)
    supergroup = await team.upgrade(by=alla, new_chat_id=-1006001)

    delivery = await sender.send(GROUP_ID, "final states")

    assert delivery.outcome is Outcome.SENT
    assert moves == [(GROUP_ID, -1006001)]
    assert [m.text for m in supergroup.bot_messages()] == ["final states"]


async def test_a_group_the_bot_is_out_of_is_unreachable_and_no_user_is_touched(
    standin: BotApiStandin, telegram: Bot, store: Storage, team: SimGroup
) -> None:
    await store.users.upsert_seen(6001, "Alla", None, "ru")
    sender = Outbox(telegram, store.users, SMALL)
    await team.remove_bot(by=standin.user(6001))

    assert (await sender.send(GROUP_ID, "anyone?")).outcome is Outcome.UNREACHABLE
    assert (await sender.send(-6999, "no such group")).outcome is Outcome.UNREACHABLE
    alla = await store.users.get(6001)
    assert alla is not None and alla.active
