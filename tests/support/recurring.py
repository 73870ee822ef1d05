"""Helpers for the recurring dispatches' tests: the keeper's passes, a schedule set up
through the chat as a manager would, and what the emulator was asked to create."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.recurring import RecurringKeeper
from storage import Schedule
from testbed.emulator.models import Dispatch
from testbed.standin import SimUser, StandinMessage
from tests.support.harness import BotUnderTest
from tests.support.send import RU, creates, prompt_with, reply_with
from tests.support.texts import CUT, head

MOSCOW = ZoneInfo("Europe/Moscow")  # the emulator's and the bot's zone


def keeper(bot: BotUnderTest) -> RecurringKeeper:
    assert bot.app is not None, "the bot is not running"
    return bot.app.keeper


async def wait_passes(bot: BotUnderTest, count: int = 2) -> None:
    """Until the keeper has finished ``count`` more passes (the first may have begun
    before what the test just did)."""
    async with asyncio.timeout(10 + count * 2):
        await keeper(bot).wait_for_passes(count)


def wall_clock(moment: datetime) -> str:
    """``HH:MM`` of ``moment`` in Moscow."""
    return moment.astimezone(MOSCOW).strftime("%H:%M")


def minute_after(bot: BotUnderTest, delta: timedelta) -> datetime:
    """The emulator's now plus ``delta``, down to the minute."""
    return (bot.emulator.clock.now() + delta).replace(second=0, microsecond=0)


def created(bot: BotUnderTest, before: int = 0) -> list[Dispatch]:
    """Dispatches the bot created at the emulator, oldest first (after ``before`` creates)."""
    state = bot.emulator.state
    count = len(creates(bot)) - before
    return sorted(state.dispatches.values(), key=lambda d: d.id)[-count:] if count > 0 else []


def create_bodies(bot: BotUnderTest) -> list[dict[str, Any]]:
    """What each create asked for (message, dateSend, phonesList), in order."""
    return [entry.get("body") or {} for entry in creates(bot)]


async def advance(bot: BotUnderTest, delta: timedelta) -> None:
    bot.emulator.state.advance_clock(delta.total_seconds())


def list_head() -> str:
    return head(RU("recurring.list_title"))


def card_head(schedule_id: int | str = CUT) -> str:
    return head(RU("recurring.card_title", id=schedule_id, state=CUT))


def question(key: str, **values: Any) -> str:
    return head(RU(key, **values))


async def open_list(user: SimUser) -> StandinMessage:
    await user.send_text("/recurring")
    return await reply_with(user, list_head())


async def set_up_daily(
    user: SimUser,
    at: str,
    *,
    text: str = "Доброе утро!",
    period: str | None = None,
    double_save: bool = False,
) -> StandinMessage:
    """/recurring -> New -> book name1 -> text -> every day -> ``at`` -> period -> Save:
    the schedule's card."""
    listing = await open_list(user)
    await user.tap(RU("recurring.button_new"), listing)
    prompt = await prompt_with(user, question("recurring.question_recipients"))
    await user.tap("name1", prompt)
    await prompt_with(user, question("recurring.question_text", limit=CUT))
    await user.send_text(text)
    kinds = await prompt_with(user, question("recurring.question_kind"))
    await user.tap(RU("recurring.button_daily"), kinds)
    await prompt_with(user, question("recurring.question_time", zone=CUT))
    return await finish_set_up(user, at, period=period, double_save=double_save)


async def finish_set_up(
    user: SimUser, at: str, *, period: str | None = None, double_save: bool = False
) -> StandinMessage:
    """From the time question on: the time typed, the period, Save."""
    await user.send_text(at)
    period_prompt = await prompt_with(user, question("recurring.question_period"))
    if period is None:
        await user.tap(RU("recurring.button_no_bounds"), period_prompt)
    else:
        await user.send_text(period)
    summary = await prompt_with(user, question("recurring.summary_question"))
    if double_save:
        save = next(b for b in summary.buttons if b["text"] == RU("recurring.button_save"))
        first = await user.send_callback(save["callback_data"], summary)
        second = await user.send_callback(save["callback_data"], summary)
        for update in (first, second):
            await user.wait_for_callback_answer(update["callback_query"]["id"])
    else:
        await user.tap(RU("recurring.button_save"), summary)
    return await reply_with(user, card_head())


async def only_schedule(bot: BotUnderTest) -> Schedule:
    rows = await bot.store.db.fetchall("SELECT id FROM recurring_schedules")
    assert len(rows) == 1, f"{len(rows)} schedules"
    schedule = await bot.store.recurring.get(rows[0]["id"])
    assert schedule is not None
    return schedule
