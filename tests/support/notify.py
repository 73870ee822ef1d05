"""Helpers for the notification tests: the running poller, its cycles, dispatches made the
way the send feature makes them, and reading a chat."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from core.watch import Poller
from testbed.standin import BotApiStandin, SimUser, StandinMessage
from tests.support.harness import BotUnderTest

PHONES = ["380711234567", "380711242486", "380711250405"]


def poller(bot: BotUnderTest) -> Poller:
    assert bot.app is not None, "the bot is not running"
    return bot.app.poller


def align_clock(bot: BotUnderTest) -> None:
    """Let the bot's notifier read the emulator's (frozen, advanceable) clock, so that a
    test moving the SMS API's time moves the notifier's time with it."""
    assert bot.app is not None
    bot.app.clock.source = bot.emulator.clock.now


async def restart(bot: BotUnderTest) -> None:
    await bot.restart()
    align_clock(bot)


async def wait_cycles(bot: BotUnderTest, count: int = 1) -> None:
    """Wait until the poller has finished ``count`` more cycles."""
    async with asyncio.timeout(10 + count * 3):
        await poller(bot).wait_for_cycles(count)


async def make_dispatch(
    bot: BotUnderTest,
    creator_id: int | None,
    *,
    after: timedelta | None = None,
    phones: list[str] | None = None,
    text: str = "Скидки до пятницы",
) -> int:
    """Create a dispatch through the SMS API and track it with its creator subscribed,
    as the send feature does."""
    assert bot.app is not None
    date_send = bot.emulator.clock.now() + after if after is not None else None
    numbers = phones or PHONES
    dispatch_id = await bot.app.sms.create_dispatch(text, numbers, date_send)
    await bot.store.dispatches.track(
        dispatch_id, creator_id, f"{len(numbers)} numbers", text, date_send
    )
    if creator_id is not None:
        await bot.store.subscriptions.subscribe(dispatch_id, creator_id)
    return dispatch_id


def dispatch_gets(bot: BotUnderTest, dispatch_id: int) -> int:
    path = f"/sms-api/dispatches/{dispatch_id}"
    return sum(
        1 for entry in bot.sms_requests(path) if entry["method"] == "GET" and entry["path"] == path
    )


def bot_messages(user: SimUser) -> list[StandinMessage]:
    return [message for message in user.messages if message.from_bot]


def events_in_chat(standin: BotApiStandin, chat_id: int) -> int:
    return len(standin.state.chat(chat_id).events)


def sends_to(standin: BotApiStandin, chat_id: int, method: str = "sendMessage") -> list[Any]:
    return [call for call in standin.calls_to(method) if call.params.get("chat_id") == chat_id]


async def forge_tap(standin: BotApiStandin, user: SimUser, message: StandinMessage, data: str):
    """A callback query with data no button carries, as a modified client could send."""
    update = await user.send_callback(data, message)
    return await user.wait_for_callback_answer(update["callback_query"]["id"])


def moment(bot: BotUnderTest) -> datetime:
    return bot.emulator.clock.now()
